import Foundation
import HTTPValues
import NexshTesting
import NexudusAPI
import Sandbox
import Testing
import Transport

/// The typed client against the sandbox, served in-process (no socket); what only a network
/// shows is tested against the live transport.
@Suite struct NexudusClientTests {
    let jane = SandboxAccounts.jane

    // MARK: Signing in

    @Test func loginKeepsTheSessionAndSendsTheDocumentedForm() async throws {
        try await withSandboxClient { session in
            let grant = try await session.client.login(email: jane.email, password: jane.password)
            #expect(grant.value.tokenType == "bearer")
            #expect(grant.value.expiresIn == 604_799)
            let kept = try #require(session.client.session)
            #expect(kept.accessToken == grant.value.accessToken)
            #expect(kept.refreshToken == grant.value.refreshToken)
            // Issue 16: nexsh's own client_id, never the portal's, so the browser stays signed in.
            #expect(kept.clientId == "nexsh.\(jane.email)")

            let request = try #require(session.transport.requests.first)
            #expect(request.method == .post)
            #expect(request.url.path == "/api/token")
            #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded")
            #expect(String(decoding: request.body, as: UTF8.self)
                == "grant_type=password&username=jane.doe%40example.com&password=correct-horse")
            #expect(request.headers["Authorization"] == nil)
        }
    }

    @Test func wrongPasswordIsInvalidCredentials() async throws {
        try await withSandboxClient { session in
            let error = await #expect(throws: NexudusError.self) {
                try await session.client.login(email: jane.email, password: "wrong")
            }
            guard case .invalidCredentials(let description, let exchange)? = error else {
                Issue.record("expected invalidCredentials, got \(String(describing: error))")
                return
            }
            #expect(exchange.response.status == 400)
            #expect(description == "The user name or password is incorrect.")
            // Issue 16: invalid_grant names its three causes.
            #expect(error?.description == "sign-in refused (invalid_grant): the email or password is wrong, the account is not registered at this location, or it is suspended: The user name or password is incorrect; check the password, and that 127.0.0.1 is the space the account belongs to")
            #expect(session.client.session == nil)
        }
    }

    @Test func twoFactorAccountsNeedTheirCode() async throws {
        let alex = SandboxAccounts.alex
        try await withSandboxClient { session in
            for totp in [nil, "000000"] {
                let error = await #expect(throws: NexudusError.self) {
                    try await session.client.login(email: alex.email, password: alex.password, totp: totp)
                }
                guard case .twoFactorRequired? = error else {
                    Issue.record("expected twoFactorRequired, got \(String(describing: error))")
                    return
                }
                #expect(error?.description.hasPrefix("this account uses two-factor authentication") == true)
            }
            try await session.client.login(email: alex.email, password: alex.password, totp: alex.totp)
            #expect(String(decoding: try #require(session.transport.requests.last).body, as: UTF8.self).hasSuffix("&totp=123456"))
            let profiles = try await session.client.profiles()
            #expect(profiles.value.user?.email == alex.email)
        }
    }

    @Test func reservedCharactersInPasswordsAreEncoded() async throws {
        try await withSandboxClient { session in
            _ = try? await session.client.login(email: "a+b@example.com", password: "p&ss=w rd+%")
            let body = String(decoding: try #require(session.transport.requests.first).body, as: UTF8.self)
            #expect(body == "grant_type=password&username=a%2Bb%40example.com&password=p%26ss%3Dw%20rd%2B%25")
        }
    }

    // MARK: Tokens

    @Test func anExpiredTokenIsRefreshedOnceAndTheCallRepeated() async throws {
        try await withSandboxClient { session in
            try await session.client.login(email: jane.email, password: jane.password)
            let first = try #require(session.client.session)
            await session.sandbox.state.expireAccessTokens()

            let answer = try await session.client.profiles()
            #expect(answer.value.user?.id == 42)
            #expect(session.transport.requestLines == [
                "POST /api/token",
                "GET /api/public/coworkers/profiles",
                "POST /api/token",
                "GET /api/public/coworkers/profiles",
            ])
            let refresh = session.transport.requests[2]
            #expect(refresh.headers["client_id"] == "nexsh.\(jane.email)")
            #expect(String(decoding: refresh.body, as: UTF8.self) == "grant_type=refresh_token&refresh_token=\(first.refreshToken!)")
            let renewed = try #require(session.client.session)
            #expect(renewed.accessToken != first.accessToken)
            #expect(renewed.refreshToken != first.refreshToken)
            #expect(answer.value.user?.accessToken == renewed.accessToken)
        }
    }

    @Test func aRefusedRefreshEndsTheSessionWithAClearError() async throws {
        try await withSandboxClient { session in
            try await session.client.login(email: jane.email, password: jane.password)
            // Refreshing from a second client with the same client_id invalidates the first's refresh token.
            let other = NexudusClient(baseURL: session.baseURL, transport: session.transport, session: session.client.session)
            try await other.refreshSession()
            await session.sandbox.state.expireAccessTokens()

            let error = await #expect(throws: NexudusError.self) { try await session.client.profiles() }
            guard case .sessionExpired(let reason, let exchange)? = error else {
                Issue.record("expected sessionExpired, got \(String(describing: error))")
                return
            }
            #expect(exchange.response.status == 401)
            #expect(reason.hasPrefix("the refresh token was refused"))
            #expect(error?.description.hasSuffix("sign in again") == true)

            // The dead refresh token is not sent again.
            let countBefore = session.transport.requests.count
            _ = try? await session.client.profiles()
            #expect(session.transport.requests.count == countBefore + 1)
        }
    }

    @Test func callsWithoutASessionAreNotSignedIn() async throws {
        try await withSandboxClient { session in
            let error = await #expect(throws: NexudusError.self) { try await session.client.profiles() }
            guard case .notSignedIn(let exchange)? = error else {
                Issue.record("expected notSignedIn, got \(String(describing: error))")
                return
            }
            #expect(exchange.request.headers["Authorization"] == nil)
            #expect(error?.description == "not signed in: GET /api/public/coworkers/profiles needs a bearer token (401); sign in first")
        }
    }

    @Test func logoutForgetsTheTokenWithoutARequest() async throws {
        try await withSandboxClient { session in
            try await session.client.login(email: jane.email, password: jane.password)
            await session.client.logout()
            #expect(session.client.session == nil)
            #expect(session.transport.requests.count == 1)
        }
    }

    // MARK: Profiles and switching

    @Test func profilesMatchTheSandboxAccount() async throws {
        try await withSandboxClient { session in
            try await session.client.login(email: jane.email, password: jane.password)
            let answer = try await session.client.profiles()
            #expect(answer.value.user?.fullName == "Jane Doe")
            #expect(answer.value.user?.accessToken == (session.client.session)?.accessToken)
            #expect(answer.value.defaultBusiness?.webAddress == "nexudushq")
            #expect(answer.value.profiles?.map(\.summary) == ["101 Jane Doe", "102 Acme Design Co."])
            #expect(answer.value.activeProfile?.id == 101)
            #expect(answer.request.headers["Authorization"] == "Bearer \((session.client.session)!.accessToken)")
            #expect(answer.response.status == 200)
            #expect(await session.client.knownProfiles == answer.value)
        }
    }

    @Test func shapeTrimsNestedPaths() async throws {
        try await withSandboxClient { session in
            try await session.client.login(email: jane.email, password: jane.password)
            let answer = try await session.client.profiles(shape: ["User.FullName", "Profiles.Id", "DefaultBusiness"])
            #expect(answer.request.url.query == "_shape=User.FullName,Profiles.Id,DefaultBusiness")
            #expect(String(decoding: answer.response.body, as: UTF8.self)
                == #"{"User":{"FullName":"Jane Doe"},"DefaultBusiness":{"Id":7,"Name":"Nexudus HQ","WebAddress":"nexudushq"},"Profiles":[{"Id":101},{"Id":102}]}"#)
            #expect(answer.value.user?.email == nil)
            #expect(answer.value.profiles?.map(\.id) == [101, 102])
            #expect(answer.value.profiles?.first?.fullName == nil)

            let unknown = try await session.client.profiles(shape: ["Records.FullName", "Nope"])
            #expect(String(decoding: unknown.response.body, as: UTF8.self) == "{}")
        }
    }

    @Test func switchingSendsThePutThenRefetchesProfiles() async throws {
        try await withSandboxClient { session in
            try await session.client.login(email: jane.email, password: jane.password)
            let result = try await session.client.switchProfile(to: 102)
            #expect(result.confirmation.value.wasSuccessful == true)
            #expect(result.confirmation.value.status == 200)
            #expect(result.profiles.value.activeProfile?.id == 102)
            #expect(session.transport.requestLines.suffix(2) == [
                "PUT /api/public/coworkers/profiles/current?coworkerId=102",
                "GET /api/public/coworkers/profiles",
            ])
            #expect(await session.sandbox.state.activeProfileId(email: jane.email) == 102)
        }
    }

    @Test func switchingToAnotherAccountsProfileListsThisAccountsProfiles() async throws {
        try await withSandboxClient { session in
            try await session.client.login(email: jane.email, password: jane.password)
            _ = try await session.client.profiles()
            for coworkerId in [201, 999] {
                let error = await #expect(throws: NexudusError.self) { try await session.client.switchProfile(to: coworkerId) }
                guard case .profileNotInAccount(let id, let available, let exchange)? = error else {
                    Issue.record("expected profileNotInAccount, got \(String(describing: error))")
                    return
                }
                #expect(id == coworkerId)
                #expect(available.map(\.id) == [101, 102])
                #expect(exchange.response.status == 404)
                #expect(error?.description
                    == "profile \(coworkerId) does not belong to this account (404); its profiles are 101 Jane Doe, 102 Acme Design Co.")
            }
            // No profiles request follows a failed switch.
            #expect(session.transport.requestLines.last == "PUT /api/public/coworkers/profiles/current?coworkerId=999")
            #expect(await session.sandbox.state.activeProfileId(email: jane.email) == 101)
        }
    }

    @Test func invalidProfileIdsAreRefusedBeforeAnyRequest() async throws {
        try await withSandboxClient { session in
            try await session.client.login(email: jane.email, password: jane.password)
            for id in [0, -5] {
                await #expect(throws: NexudusError.self) { try await session.client.switchProfile(to: id) }
            }
            for text in ["abc", "1.5", "", "-3", "0", "102x"] {
                #expect(throws: NexudusError.self) { try NexudusClient.coworkerID(from: text) }
            }
            #expect(try NexudusClient.coworkerID(from: " 102 ") == 102)
            #expect(NexudusError.invalidCoworkerID("abc").description == "'abc' is not a profile id: expected a positive whole number such as 102")
            #expect(session.transport.requests.count == 1)
        }
    }

    @Test func anUnsuccessfulConfirmationUnder200IsAFailure() async throws {
        let sam = SandboxAccounts.sam
        try await withSandboxClient { session in
            try await session.client.login(email: sam.email, password: sam.password)
            let error = await #expect(throws: NexudusError.self) { try await session.client.switchProfile(to: 202) }
            guard case .actionFailed(let message, let exchange)? = error else {
                Issue.record("expected actionFailed, got \(String(describing: error))")
                return
            }
            #expect(exchange.response.status == 200)
            #expect(message == "Profile 202 is not active and cannot be selected.")
            #expect(error?.description
                == "PUT /api/public/coworkers/profiles/current?coworkerId=202 failed: Profile 202 is not active and cannot be selected. (200)")
        }
    }

    // MARK: Teams, benefits, contracts

    @Test func teamProfilesFollowTheActiveProfileAndBookForTeam() async throws {
        try await withSandboxClient { session in
            try await session.client.login(email: jane.email, password: jane.password)
            let asJane = try await session.client.teamProfiles(bookForTeam: true)
            #expect(asJane.request.url.query == "bookForTeam=true")
            #expect(asJane.value.map { $0.team?.id } == [55])
            #expect(asJane.value.first?.allTeamMembers?.first?.contracts?.first?.id == 5001)

            _ = try await session.client.switchProfile(to: 102)
            let all = try await session.client.teamProfiles()
            #expect(all.request.url.query == nil)
            #expect(all.value.map { $0.team?.id } == [55, 56])
            let bookable = try await session.client.teamProfiles(bookForTeam: true)
            #expect(bookable.value.map { $0.team?.name } == ["Acme Design Studio"])
        }
    }

    @Test func shapeAppliesToEveryElementOfATopLevelArray() async throws {
        try await withSandboxClient { session in
            try await session.client.login(email: jane.email, password: jane.password)
            let shaped = try await session.client.teamProfiles(shape: ["Team.Name", "AllTeamMembers.Contracts.Price"])
            #expect(String(decoding: shaped.response.body, as: UTF8.self)
                == #"[{"Team":{"Name":"Tech Innovators"},"AllTeamMembers":[{"Contracts":[{"Price":250.0}]},{"Contracts":[{"Price":49.0}]}]}]"#)
            #expect(shaped.value.first?.canAddNewMembers == nil)
        }
    }

    @Test func benefitsTeamsAndContracts() async throws {
        try await withSandboxClient { session in
            try await session.client.login(email: jane.email, password: jane.password)
            let benefits = try await session.client.benefits()
            #expect(benefits.value.personal?.bookingCredits?.first?.name == "Meeting room hours")
            #expect(benefits.value.personal?.bookingCredits?.first?.canBeUsedForBookings == true)
            #expect(benefits.value.personal?.extraServices?.first?.extraService?.isPrintingCredit == true)
            #expect(benefits.value.team?.bookingCredits?.first?.remainingCredit == 31.0)

            let teams = try await session.client.myTeams()
            #expect(teams.request.url.query == "isTeamAdmin=false")
            #expect(teams.value.records?.map(\.name) == ["Tech Innovators"])
            #expect(teams.value.totalItems == 1)

            let team = try await session.client.team(id: 55)
            #expect(team.value.teamAdministratorsFullNames == ["Jane Doe"])
            #expect(team.value.teamMembersCount == 2)

            let contract = try await session.client.contract(id: 5001)
            #expect(contract.value.tariffName == "Hot Desk Monthly")
            #expect(contract.value.priceFormatted == "£250.00")
            #expect(contract.request.url.path == "/api/public/billing/coworkerContracts/5001")

            // Sam's contract and a team Jane is not in are not hers to see.
            let hidden = await #expect(throws: NexudusError.self) { try await session.client.contract(id: 6001) }
            #expect(hidden?.exchange?.response.status == 404)
            #expect(hidden?.description == "GET /api/public/billing/coworkerContracts/6001 → 404 Not Found: No contract with id 6001 exists for this customer.")
            await #expect(throws: NexudusError.self) { try await session.client.team(id: 57) }
        }
    }

    // MARK: Answers that are not what they should be

    @Test func serverErrorsCarryTheStatusAndTheBodysMessage() async throws {
        try await withSandboxClient(addingHeaders: [("X-Sandbox-Fault", "status=503")]) { session in
            let error = await #expect(throws: NexudusError.self) {
                try await session.client.login(email: jane.email, password: jane.password)
            }
            // Issue 16: a failing token endpoint is a failed sign-in, not a decoding error.
            #expect(error?.description == "sign-in failed: the server answered 503 Service Unavailable: Fault injected by the sandbox: 503 Service Unavailable; check the email address (the service fails this way for an account it does not know), or try again later")
        }
    }

    @Test func nonJSONBodiesQuoteTheirContentTypeAndFirstBytes() async throws {
        let html = TestRoute("GET", "/api/public/coworkers/profiles") { _ in
            CannedResponse(headers: [("Content-Type", "text/html; charset=utf-8")], text: "<!doctype html>\n<title>Sign in</title>")
        }
        let server = InProcessTransport(serving: [html])
        let client = NexudusClient(baseURL: server.baseURL, transport: server)
        let error = await #expect(throws: NexudusError.self) { try await client.profiles() }
        guard case .notJSON(let contentType, let preview, _)? = error else {
            Issue.record("expected notJSON, got \(String(describing: error))")
            return
        }
        #expect(contentType == "text/html; charset=utf-8")
        #expect(preview == "<!doctype html>\\n<title>Sign in</title>")
        // A web page where JSON should be: the host answers pages, and the hint says which to try.
        #expect(error?.description
            == #"GET /api/public/coworkers/profiles → 200: expected JSON but got text/html; charset=utf-8, starting "<!doctype html>\n<title>Sign in</title>"; 127.0.0.1 answers web pages, not the API: give the space's own portal, --server SPACE (https://SPACE.spaces.nexudus.com)"#)
    }

    @Test func malformedJSONNamesThePathThatIsWrong() async throws {
        let routes = [
            TestRoute("GET", "/api/public/coworkers/profiles") { _ in
                CannedResponse(headers: [("Content-Type", "application/json")], text: #"{"Profiles": [{"Id": "one"}]}"#)
            },
            TestRoute("GET", "/en/team/profiles") { _ in
                CannedResponse(headers: [("Content-Type", "application/json")], text: "{\"truncated\": ")
            },
        ]
        let server = InProcessTransport(serving: routes)
        let client = NexudusClient(baseURL: server.baseURL, transport: server)
        let wrongType = await #expect(throws: NexudusError.self) { try await client.profiles() }
        #expect(wrongType?.description
            == "GET /api/public/coworkers/profiles: the answer is not a valid CoworkerProfiles: at .Profiles[0].Id: expected a number")
        let truncated = await #expect(throws: NexudusError.self) { try await client.teamProfiles() }
        guard case .notJSON? = truncated else {
            Issue.record("expected notJSON, got \(String(describing: truncated))")
            return
        }
    }

    @Test func transportFailuresPassThroughUnwrapped() async throws {
        try await withLiveTransport { transport in
            let client = NexudusClient(baseURL: URL(string: "http://127.0.0.1:9")!, transport: transport)
            await #expect(throws: TransportError.connectionRefused(origin: "http://127.0.0.1:9")) {
                try await client.login(email: jane.email, password: jane.password)
            }
        }
    }
}

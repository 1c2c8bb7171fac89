import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NexshTesting
@testable import Sandbox
import Testing

/// The sandbox's HTTP behaviour, through Hummingbird's in-memory router client (no sockets).
@Suite struct SandboxRouterTests {
    let jane = SandboxAccounts.jane

    func withRouter<Result: Sendable>(
        _ configuration: SandboxServer.Configuration = .init(),
        _ body: @Sendable (any TestClientProtocol, SandboxState) async throws -> Result
    ) async throws -> Result {
        let server = SandboxServer(configuration: configuration)
        let app = Application(router: server.makeRouter())
        return try await app.test(.router) { client in try await body(client, server.state) }
    }

    func form(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    func signIn(_ client: any TestClientProtocol, email: String? = nil, password: String? = nil, clientId: String? = nil) async throws
        -> (access: String, refresh: String)
    {
        var headers = Self.formHeaders
        if let clientId { headers[HTTPField.Name("client_id")!] = clientId }
        let body = "grant_type=password&username=\(email ?? jane.email)&password=\(password ?? jane.password)"
        let response = try await client.execute(uri: "/api/token", method: .post, headers: headers, body: form(body))
        #expect(response.status == .ok)
        let answer = try json(response)
        return (try #require(answer["access_token"] as? String), try #require(answer["refresh_token"] as? String))
    }

    func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    // MARK: Token endpoint

    @Test func passwordGrantAnswersAsDocumented() async throws {
        try await withRouter { client, _ in
            let response = try await client.execute(
                uri: "/api/token", method: .post, headers: Self.formHeaders,
                body: form("grant_type=password&username=jane.doe%40example.com&password=correct-horse")
            )
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            let answer = try json(response)
            #expect(Set(answer.keys) == ["access_token", "token_type", "expires_in", "refresh_token"])
            #expect(answer["token_type"] as? String == "bearer")
            #expect(answer["expires_in"] as? Int == 604_799)
        }
    }

    @Test func tokenErrorsUseTheOAuthCodes() async throws {
        try await withRouter { client, _ in
            let cases: [(HTTPFields, String, String)] = [
                (Self.formHeaders, "grant_type=password&username=jane.doe%40example.com&password=nope", "invalid_grant"),
                (Self.formHeaders, "grant_type=password&username=nobody%40example.com&password=x", "invalid_grant"),
                (Self.formHeaders, "grant_type=client_credentials", "unsupported_grant_type"),
                (Self.formHeaders, "username=jane.doe%40example.com", "unsupported_grant_type"),
                ([.contentType: "application/json"], #"{"grant_type":"password"}"#, "unsupported_grant_type"),
                (Self.formHeaders, "grant_type=password&username=alex.kim%40example.com&password=tr0ub4dor-3", "two_factor_auth_check"),
                (Self.formHeaders, "grant_type=password&username=alex.kim%40example.com&password=tr0ub4dor-3&totp=111111", "two_factor_auth_check"),
                (Self.formHeaders, "grant_type=refresh_token&refresh_token=unknown", "invalid_grant"),
            ]
            for (headers, body, code) in cases {
                let response = try await client.execute(uri: "/api/token", method: .post, headers: headers, body: form(body))
                #expect(response.status == .badRequest, "\(body)")
                let answer = try json(response)
                #expect(answer["error"] as? String == code, "\(body)")
                #expect((answer["error_description"] as? String)?.isEmpty == false)
            }
            let withCode = try await client.execute(
                uri: "/api/token", method: .post, headers: Self.formHeaders,
                body: form("grant_type=password&username=alex.kim%40example.com&password=tr0ub4dor-3&totp=123456")
            )
            #expect(withCode.status == .ok)
        }
    }

    @Test func refreshNeedsTheClientIdAndInvalidatesEarlierRefreshTokens() async throws {
        try await withRouter { client, _ in
            let first = try await signIn(client, clientId: "my-app")
            let refresh = { (token: String, clientId: String?) async throws -> TestResponse in
                var headers = Self.formHeaders
                if let clientId { headers[HTTPField.Name("client_id")!] = clientId }
                return try await client.execute(
                    uri: "/api/token", method: .post, headers: headers,
                    body: self.form("grant_type=refresh_token&refresh_token=\(token)")
                )
            }
            #expect(try await refresh(first.refresh, nil).status == .badRequest)
            #expect(try await refresh(first.refresh, jane.email).status == .badRequest, "issued to my-app")
            let renewed = try await refresh(first.refresh, "my-app")
            #expect(renewed.status == .ok)
            let second = try #require(try json(renewed)["access_token"] as? String)
            // The old refresh token is spent; the old access token still works until it expires.
            #expect(try await refresh(first.refresh, "my-app").status == .badRequest)
            for token in [first.access, second] {
                let profiles = try await client.execute(uri: "/api/public/coworkers/profiles", method: .get, headers: bearer(token))
                #expect(profiles.status == .ok)
            }
        }
    }

    @Test func tokensExpire() async throws {
        try await withRouter { client, state in
            let tokens = try await signIn(client)
            await state.expireAccessTokens()
            let response = try await client.execute(uri: "/api/public/coworkers/profiles", method: .get, headers: bearer(tokens.access))
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == #"Bearer error="invalid_token", error_description="The access token expired""#)
        }
    }

    @Test func tokenLifetimeIsConfigurable() async throws {
        try await withRouter(.init(tokenLifetime: .seconds(90))) { client, _ in
            let response = try await client.execute(
                uri: "/api/token", method: .post, headers: Self.formHeaders,
                body: form("grant_type=password&username=jane.doe%40example.com&password=correct-horse")
            )
            #expect(try json(response)["expires_in"] as? Int == 90)
        }
    }

    // MARK: Profiles

    @Test func janesProfilesAreTheDocumentationsExample() async throws {
        try await withRouter { client, _ in
            let tokens = try await signIn(client)
            let response = try await client.execute(uri: "/api/public/coworkers/profiles", method: .get, headers: bearer(tokens.access))
            var answer = try json(response)
            var user = try #require(answer["User"] as? [String: Any])
            #expect(user["AccessToken"] as? String == tokens.access)
            var expected = try #require(JSONSerialization.jsonObject(with: SeedExamples.profiles) as? [String: Any])
            var expectedUser = try #require(expected["User"] as? [String: Any])
            user["AccessToken"] = nil
            expectedUser["AccessToken"] = nil
            answer["User"] = user
            expected["User"] = expectedUser
            #expect(NSDictionary(dictionary: answer).isEqual(to: expected))
        }
    }

    @Test func portalCallsNeedAValidBearerToken() async throws {
        try await withRouter { client, _ in
            let paths = [
                ("/api/public/coworkers/profiles", HTTPRequest.Method.get),
                ("/api/public/coworkers/profiles/current?coworkerId=102", .put),
                ("/api/public/coworkers/profiles/current/benefits", .get),
                ("/en/team/profiles", .get),
                ("/api/public/teams/my?isTeamAdmin=false", .get),
                ("/api/public/teams/55/profile", .get),
                ("/api/public/billing/coworkerContracts/5001", .get),
            ]
            for (path, method) in paths {
                for var headers: HTTPFields in [[:], bearer("not-a-token"), [.authorization: "Basic amFuZTpwdw=="]] {
                    // View routes answer JSON only to a client that asks for it (issue 16).
                    headers[.accept] = "application/json"
                    let response = try await client.execute(uri: path, method: method, headers: headers)
                    #expect(response.status == .unauthorized, "\(method) \(path)")
                    #expect(try json(response)["Message"] as? String == "Authorization has been denied for this request.")
                }
            }
        }
    }

    @Test func switchingValidatesTheIdAndOwnership() async throws {
        try await withRouter { client, state in
            let tokens = try await signIn(client)
            let put = { (query: String) in
                try await client.execute(uri: "/api/public/coworkers/profiles/current\(query)", method: .put, headers: self.bearer(tokens.access))
            }
            let missing = try await put("")
            #expect(missing.status == .badRequest)
            #expect(try json(missing)["WasSuccessful"] as? Bool == false)
            #expect(try json(missing)["Status"] as? Int == 400)
            let nonNumeric = try await put("?coworkerId=abc")
            #expect(nonNumeric.status == .badRequest)
            let errors = try #require(try json(nonNumeric)["Errors"] as? [[String: Any]])
            #expect(errors.first?["PropertyName"] as? String == "coworkerId")
            #expect(errors.first?["AttemptedValue"] as? String == "abc")
            for other in ["201", "999", "-1"] {
                let response = try await put("?coworkerId=\(other)")
                #expect(response.status == .notFound, "coworkerId=\(other)")
                #expect(try json(response)["Status"] as? Int == 404)
            }
            #expect(await state.activeProfileId(email: jane.email) == 101)

            let switched = try await put("?coworkerId=102")
            #expect(switched.status == .ok)
            #expect(String(buffer: switched.body) == #"{"WasSuccessful":true,"Value":null,"Status":200,"Message":null,"Errors":null}"#)
            #expect(await state.activeProfileId(email: jane.email) == 102)
            #expect(await state.activeProfileId(email: SandboxAccounts.sam.email) == 201, "state is per account")

            let profiles = try await client.execute(uri: "/api/public/coworkers/profiles", method: .get, headers: bearer(tokens.access))
            let list = try #require(try json(profiles)["Profiles"] as? [[String: Any]])
            #expect(list.map { $0["IsDefaultProfile"] as? Bool } == [false, true])
        }
    }

    @Test func anInactiveProfileIsRefusedInTheEnvelope() async throws {
        try await withRouter { client, state in
            let sam = SandboxAccounts.sam
            let tokens = try await signIn(client, email: sam.email, password: sam.password)
            let response = try await client.execute(
                uri: "/api/public/coworkers/profiles/current?coworkerId=202", method: .put, headers: bearer(tokens.access)
            )
            #expect(response.status == .ok)
            #expect(try json(response)["WasSuccessful"] as? Bool == false)
            #expect(try json(response)["Message"] as? String == "Profile 202 is not active and cannot be selected.")
            #expect(await state.activeProfileId(email: sam.email) == 201)
        }
    }

    @Test func pathsAreCaseInsensitiveLikeTheRealServers() async throws {
        try await withRouter { client, _ in
            let tokens = try await signIn(client)
            let response = try await client.execute(uri: "/API/Public/Coworkers/Profiles", method: .get, headers: bearer(tokens.access))
            #expect(response.status == .ok)
        }
    }

    // MARK: Teams and contracts

    @Test func teamsListUsesTheListEnvelopeAndNeedsIsTeamAdmin() async throws {
        try await withRouter { client, _ in
            let tokens = try await signIn(client)
            let missing = try await client.execute(uri: "/api/public/teams/my", method: .get, headers: bearer(tokens.access))
            #expect(missing.status == .badRequest)
            let all = try json(try await client.execute(uri: "/api/public/teams/my?isTeamAdmin=false", method: .get, headers: bearer(tokens.access)))
            #expect((all["Records"] as? [[String: Any]])?.map { $0["Id"] as? Int } == [55])
            #expect(all["TotalItems"] as? Int == 1)
            #expect(all["CurrentPage"] as? Int == 1)
            #expect(all["HasNextPage"] as? Bool == false)
            let shaped = try await client.execute(
                uri: "/api/public/teams/my?isTeamAdmin=true&_shape=Records.Id,Records.Name,TotalItems", method: .get,
                headers: bearer(tokens.access)
            )
            #expect(String(buffer: shaped.body) == #"{"Records":[{"Id":55,"Name":"Tech Innovators"}],"TotalItems":1}"#)
        }
    }

    @Test func teamAndContractLookupsAreScopedToTheActiveProfile() async throws {
        try await withRouter { client, _ in
            let tokens = try await signIn(client)
            let get = { (path: String) in try await client.execute(uri: path, method: .get, headers: self.bearer(tokens.access)) }
            #expect(try await get("/api/public/teams/55/profile").status == .ok)
            #expect(try await get("/api/public/teams/56/profile").status == .notFound, "101 is not in team 56")
            #expect(try await get("/api/public/teams/x/profile").status == .badRequest)
            #expect(try await get("/api/public/billing/coworkerContracts/5001").status == .ok, "101's own")
            #expect(try await get("/api/public/billing/coworkerContracts/55").status == .ok, "102's, in a team 101 manages")
            #expect(try await get("/api/public/billing/coworkerContracts/6001").status == .notFound, "another account's")
            let contract = try json(try await get("/api/public/billing/coworkerContracts/5001"))
            #expect(contract["TariffName"] as? String == "Hot Desk Monthly")
            #expect(contract["PriceFormatted"] as? String == "£250.00")
        }
    }

    @Test func aProfileInNoTeamHasNoTeamBenefits() async throws {
        try await withRouter { client, _ in
            let alex = SandboxAccounts.alex
            let tokens = try await signIn(client, email: alex.email, password: alex.password + "&totp=" + alex.totp)
            let response = try await client.execute(
                uri: "/api/public/coworkers/profiles/current/benefits", method: .get, headers: bearer(tokens.access)
            )
            #expect(String(buffer: response.body) == #"{"Personal":{"BookingCredits":[],"ExtraServices":[],"TimePasses":[]},"Team":null}"#)
        }
    }

    // MARK: Faults

    @Test func faultHeaderInjectsStatusLatencyOrRefusesBadSpecs() async throws {
        try await withRouter { client, _ in
            let unavailable = try await client.execute(
                uri: "/api/public/coworkers/profiles", method: .get, headers: [HTTPField.Name("X-Sandbox-Fault")!: "status=503"]
            )
            #expect(unavailable.status == .serviceUnavailable)
            #expect(String(buffer: unavailable.body) == #"{"Message":"Fault injected by the sandbox: 503 Service Unavailable"}"#)
            let slowThenNormal = try await client.execute(
                uri: "/api/public/coworkers/profiles", method: .get, headers: [HTTPField.Name("X-Sandbox-Fault")!: "latency=10ms"]
            )
            #expect(slowThenNormal.status == .unauthorized, "latency alone lets the request through")
            let bad = try await client.execute(
                uri: "/api/public/coworkers/profiles", method: .get, headers: [HTTPField.Name("X-Sandbox-Fault")!: "status=abc"]
            )
            #expect(bad.status == .badRequest)
            #expect(String(buffer: bad.body).contains("bad status 'abc'"))
        }
    }

    @Test func faultPlanHitsTheGivenShareRepeatably() async throws {
        let plan = SandboxFaultPlan(fault: SandboxFault(status: 500), rate: 0.3, seed: 42)
        let statuses = { @Sendable () async throws -> [UInt16] in
            try await self.withRouter(.init(faultPlan: plan)) { client, _ in
                var codes: [UInt16] = []
                for _ in 0..<200 {
                    codes.append(UInt16(try await client.execute(uri: "/api/public/coworkers/profiles", method: .get).status.code))
                }
                return codes
            }
        }
        let first = try await statuses()
        let failures = first.filter { $0 == 500 }.count
        #expect((40...80).contains(failures), "about 30% of 200, got \(failures)")
        #expect(Set(first) == [500, 401])
        #expect(try await statuses() == first, "the same seed fails the same requests")
    }

    @Test func faultSpecsParse() throws {
        #expect(try SandboxFault(parsing: "latency=250ms") == SandboxFault(latency: .milliseconds(250)))
        #expect(try SandboxFault(parsing: "latency=1.5s, status=502") == SandboxFault(latency: .milliseconds(1500), status: 502))
        #expect(try SandboxFault(parsing: "drop").drop)
        #expect(try SandboxFault(parsing: "latency=2s,status=500,drop").description == "latency=2000ms,status=500,drop")
        for bad in ["", "latency", "latency=fast", "status=99", "status=600", "explode", "drop=1"] {
            #expect(throws: SandboxFault.ParseError.self, "\(bad)") { try SandboxFault(parsing: bad) }
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NexshTesting
@testable import Sandbox
import Testing

/// The member endpoints beyond the seed (issue 17): lists, paging, filters, views and writes.
extension SandboxRouterTests {
    func getJSON(_ client: any TestClientProtocol, _ token: String, _ path: String) async throws -> [String: Any] {
        let response = try await client.execute(uri: path, method: .get, headers: bearer(token))
        #expect(response.status == .ok, "\(path)")
        return try json(response)
    }

    func getArray(_ client: any TestClientProtocol, _ token: String, _ path: String) async throws -> [[String: Any]] {
        let response = try await client.execute(uri: path, method: .get, headers: bearer(token))
        #expect(response.status == .ok, "\(path)")
        return try #require(JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]])
    }

    @Test func everyMemberEndpointAnswersASignedInProfileAndRefusesWithoutAToken() async throws {
        let endpoints: [(String, HTTPRequest.Method)] = [
            ("/api/public/bookings/my", .get),
            ("/api/public/billing/invoices/my?paid=false", .get),
            ("/api/public/events/my?showUpcoming=true", .get),
            ("/api/public/visitors/my?showUpcoming=true", .get),
            ("/api/public/deliveries/my?showPending=true", .get),
            ("/api/public/plans/my", .get),
            ("/api/public/businesses/current", .get),
            ("/en/profile?_resource=Coworker", .get),
            ("/api/public/teams/published/55", .get),
            ("/api/public/billing/coworkerContracts/v2/5001/resume", .put),
            ("/api/public/teams/55/members", .post),
        ]
        try await withRouter { client, _ in
            let tokens = try await signIn(client)
            for (path, method) in endpoints {
                let refused = try await client.execute(uri: path, method: method, headers: [.accept: "application/json"])
                #expect(refused.status == .unauthorized, "\(method) \(path)")
                var headers = bearer(tokens.access)
                headers[.accept] = "application/json"
                let body = method == .post ? ByteBuffer(string: #"["someone.new@example.com"]"#) : nil
                let answered = try await client.execute(uri: path, method: method, headers: headers, body: body)
                #expect(answered.status == .ok, "\(method) \(path)")
                #expect(answered.headers[.contentType] == "application/json; charset=utf-8", "\(method) \(path)")
            }
        }
    }

    @Test func bookingsAreTheActiveProfilesOnResourcesOfItsBusiness() async throws {
        try await withRouter { client, _ in
            let tokens = try await signIn(client)
            let bookings = try await getArray(client, tokens.access, "/api/public/bookings/my")
            #expect(bookings.count == 4)
            #expect(bookings.allSatisfy { $0["CoworkerId"] as? Int == 101 && $0["BusinessId"] as? Int == 7 })
            #expect(bookings.first?["ResourceName"] as? String == "Meeting Room 1")
            let shaped = try await client.execute(uri: "/api/public/bookings/my?_shape=Id", method: .get, headers: bearer(tokens.access))
            #expect(String(buffer: shaped.body) == #"[{"Id":3001},{"Id":3002},{"Id":3003},{"Id":3004}]"#)
        }
    }

    @Test func invoicesReferenceTheProfilesContractsAndHonourTheirFilters() async throws {
        try await withRouter { client, _ in
            let tokens = try await signIn(client)
            let count = { (query: String) in try await self.getArray(client, tokens.access, "/api/public/billing/invoices/my\(query)").count }
            let all = try await getArray(client, tokens.access, "/api/public/billing/invoices/my")
            #expect(all.count == 7)
            #expect(Set(all.compactMap { $0["CoworkerContractId"] as? Int }) == [5001])
            #expect(try await count("?paid=false") == 1)
            #expect(try await count("?paid=true") == 6)
            #expect(try await count("?creditNotes=true") == 1)
            #expect(try await count("?creditNotes=false&paid=true") == 5)
        }
    }

    @Test func eventsPageInThreesAtTheDefaultSizeAndShowTeam55() async throws {
        try await withRouter { client, _ in
            let tokens = try await signIn(client)
            var seen: [Int] = []
            for (page, expectedCount, hasNext) in [(1, 25, true), (2, 25, true), (3, 10, false)] {
                let answer = try await getJSON(client, tokens.access, "/api/public/events/my?_page=\(page)")
                let records = try #require(answer["Records"] as? [[String: Any]])
                #expect(records.count == expectedCount)
                #expect(answer["HasNextPage"] as? Bool == hasNext)
                #expect(answer["HasPreviousPage"] as? Bool == (page > 1))
                #expect(answer["TotalItems"] as? Int == 60)
                #expect(answer["TotalPages"] as? Int == 3)
                #expect(answer["CurrentPageSize"] as? Int == 25)
                seen += records.compactMap { $0["Id"] as? Int }
                let attendees = records.flatMap { ($0["Attendees"] as? [[String: Any]]) ?? [] }.compactMap { $0["CoworkerId"] as? Int }
                #expect(Set(attendees).isSuperset(of: [101, 102]), "team 55's members attend")
            }
            #expect(Set(seen).count == 60)
            let beyond = try await getJSON(client, tokens.access, "/api/public/events/my?_page=4")
            #expect((beyond["Records"] as? [Any])?.isEmpty == true)
            #expect(beyond["HasNextPage"] as? Bool == false)
            // A page number whose offset does not fit in an Int is an empty page too; the server goes on.
            let huge = try await getJSON(client, tokens.access, "/api/public/events/my?_page=\(Int.max)")
            #expect((huge["Records"] as? [Any])?.isEmpty == true)
            #expect(huge["HasNextPage"] as? Bool == false)
            let big = try await getJSON(client, tokens.access, "/api/public/events/my?_pageSize=500")
            #expect(big["CurrentPageSize"] as? Int == 100)
            #expect((big["Records"] as? [Any])?.count == 60)
            let upcoming = try await getJSON(client, tokens.access, "/api/public/events/my?showUpcoming=true")
            #expect(upcoming["TotalItems"] as? Int == 20)
            let starts = try #require(upcoming["Records"] as? [[String: Any]]).compactMap { $0["StartDate"] as? String }
            #expect(starts.allSatisfy { $0 >= Fixtures.today } && starts == starts.sorted())
            let byName = try await getJSON(client, tokens.access, "/api/public/events/my?_orderBy=name&_sortDirection=desc&_pageSize=100")
            let names = try #require(byName["Records"] as? [[String: Any]]).compactMap { $0["Name"] as? String }
            #expect(names == names.sorted(by: >))
            #expect(byName["CurrentOrderField"] as? String == "Name")
            #expect(byName["CurrentSortDirection"] as? String == "DESC")
            let shaped = try await client.execute(uri: "/api/public/events/my?_pageSize=1&_shape=Records.Id,TotalItems", method: .get, headers: bearer(tokens.access))
            #expect(String(buffer: shaped.body) == #"{"Records":[{"Id":8001}],"TotalItems":60}"#)
        }
    }

    @Test func deliveriesPageWithPageAndSizeAndFilterThePending() async throws {
        try await withRouter { client, _ in
            let tokens = try await signIn(client)
            for (page, expectedCount, hasNext) in [(1, 15, true), (2, 15, true), (3, 10, false), (4, 0, false)] {
                let answer = try await getJSON(client, tokens.access, "/api/public/deliveries/my?page=\(page)")
                #expect((answer["Records"] as? [Any])?.count == expectedCount, "page \(page)")
                #expect(answer["HasNextPage"] as? Bool == hasNext, "page \(page)")
                #expect(answer["TotalItems"] as? Int == 40)
                #expect(answer["PageSize"] as? Int == 15)
            }
            let sized = try await getJSON(client, tokens.access, "/api/public/deliveries/my?size=1000")
            #expect(sized["PageSize"] as? Int == 100)
            let pending = try await getJSON(client, tokens.access, "/api/public/deliveries/my?showPending=true")
            let records = try #require(pending["Records"] as? [[String: Any]])
            #expect(records.count == 6 && records.allSatisfy { $0["Collected"] as? Bool == false })
            let received = records.compactMap { $0["ReceivedOn"] as? String }
            #expect(received == received.sorted(by: >), "newest first")
        }
    }

    @Test func visitorsPlansAndTheBusiness() async throws {
        try await withRouter { client, _ in
            let tokens = try await signIn(client)
            #expect(try await getArray(client, tokens.access, "/api/public/visitors/my").count == 4)
            #expect(try await getArray(client, tokens.access, "/api/public/visitors/my?showUpcoming=true").count == 2)
            let plans = try await getArray(client, tokens.access, "/api/public/plans/my")
            #expect(plans.map { $0["Id"] as? Int } == [5001])
            let business = try await getJSON(client, tokens.access, "/api/public/businesses/current")
            #expect(business["Name"] as? String == "Nexudus HQ")
            #expect(business["WebAddress"] as? String == "nexudushq")
            #expect(business["TimeZone"] as? String == "Europe/London")
            #expect((business["Currency"] as? [String: Any])?["Code"] as? String == "GBP")
            let shaped = try await client.execute(uri: "/api/public/businesses/current?_shape=TimeZone", method: .get, headers: bearer(tokens.access))
            #expect(String(buffer: shaped.body) == #"{"TimeZone":"Europe/London"}"#)
        }
    }

    @Test func theProfileViewAnswersJSONOnlyWhenAskedFor() async throws {
        try await withRouter { client, _ in
            let tokens = try await signIn(client)
            let page = try await client.execute(uri: "/en/profile?_resource=Coworker", method: .get, headers: bearer(tokens.access))
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            var headers = bearer(tokens.access)
            headers[.accept] = "application/json"
            let profile = try await client.execute(uri: "/en/profile?_resource=Coworker", method: .get, headers: headers)
            #expect(try json(profile)["Id"] as? Int == 101)
            #expect(try json(profile)["FullName"] as? String == "Jane Doe")
            let wrongResource = try await client.execute(uri: "/en/profile?_resource=Team", method: .get, headers: headers)
            #expect(wrongResource.status == .badRequest)
        }
    }

    @Test func aPublishedTeamIsVisibleToAnyMember() async throws {
        try await withRouter { client, _ in
            let tokens = try await signIn(client)
            let team = try await getJSON(client, tokens.access, "/api/public/teams/published/56")
            #expect(team["Name"] as? String == "Acme Design Studio", "101 is not in team 56")
            let missing = try await client.execute(uri: "/api/public/teams/published/999", method: .get, headers: bearer(tokens.access))
            #expect(missing.status == .notFound)
        }
    }

    @Test func pausingChangesTheContractAndPausingTwiceIsRefusedUnder200() async throws {
        try await withRouter { client, _ in
            let tokens = try await signIn(client)
            let put = { (action: String) in
                try await client.execute(uri: "/api/public/billing/coworkerContracts/v2/5001/\(action)", method: .put, headers: self.bearer(tokens.access))
            }
            let isPaused = { try await self.getJSON(client, tokens.access, "/api/public/billing/coworkerContracts/5001")["IsPaused"] as? Bool }
            #expect(try await isPaused() == false)
            let paused = try await put("pause")
            #expect(paused.status == .ok)
            #expect(try json(paused)["WasSuccessful"] as? Bool == true)
            #expect(try await isPaused() == true)
            #expect(try await getArray(client, tokens.access, "/api/public/plans/my").first?["IsPaused"] as? Bool == true)
            let again = try await put("pause")
            #expect(again.status == .ok)
            #expect(try json(again)["WasSuccessful"] as? Bool == false)
            #expect(try json(again)["Status"] as? Int == 500)
            #expect(try json(try await put("resume"))["WasSuccessful"] as? Bool == true)
            #expect(try await isPaused() == false)
            let office = try await client.execute(uri: "/api/public/billing/coworkerContracts/v2/55/pause", method: .put, headers: bearer(tokens.access))
            #expect(try json(office)["WasSuccessful"] as? Bool == true, "102's virtual office, in a team 101 manages")
            let profiles = try #require(try await getJSON(client, tokens.access, "/api/public/coworkers/profiles")["Profiles"] as? [[String: Any]])
            #expect(profiles.map { $0["VirtualOfficePaused"] as? Bool } == [nil, true])
            let other = try await client.execute(uri: "/api/public/billing/coworkerContracts/v2/6001/pause", method: .put, headers: bearer(tokens.access))
            #expect(other.status == .notFound, "another account's contract")
        }
    }

    @Test func onlyATeamAdministratorAddsMembers() async throws {
        try await withRouter { client, _ in
            let tokens = try await signIn(client)
            let post = { (body: String) in
                try await client.execute(
                    uri: "/api/public/teams/55/members", method: .post, headers: self.bearer(tokens.access), body: ByteBuffer(string: body)
                )
            }
            let added = try await post(#"{"Emails":["new.person@example.com"]}"#)
            #expect(try json(added)["WasSuccessful"] as? Bool == true)
            let twice = try await post(#"["NEW.person@example.com"]"#)
            #expect(twice.status == .ok)
            #expect(try json(twice)["WasSuccessful"] as? Bool == false)
            #expect(try json(twice)["Status"] as? Int == 500)
            #expect(try await post(#"["not-an-address"]"#).status == .badRequest)
            #expect(try await post("[]").status == .badRequest)
            let switched = try await client.execute(uri: "/api/public/coworkers/profiles/current?coworkerId=102", method: .put, headers: bearer(tokens.access))
            #expect(switched.status == .ok)
            let refused = try await post(#"["another@example.com"]"#)
            #expect(refused.status == .forbidden, "102 is a plain member of team 55")
            #expect(try json(refused)["WasSuccessful"] as? Bool == false)
        }
    }
}

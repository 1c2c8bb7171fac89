import Foundation
import HTTPValues
import NexudusAPI
import Testing

@Suite struct EndpointCatalogueTests {
    /// The file built into the program decodes, passes its checks, and holds every documented
    /// member endpoint (the table of ../shared/nexudus-api.md, pause and resume and the plan
    /// cancellation each an entry of their own).
    @Test func theBuiltInCatalogueHoldsTheDocumentedEndpoints() throws {
        let catalogue = EndpointCatalogue.builtIn
        #expect(catalogue.endpoints.count == 20)
        let lines = Set(catalogue.endpoints.map { "\($0.method) \($0.path)" })
        #expect(lines.count == catalogue.endpoints.count)
        for line in [
            "GET /api/public/coworkers/profiles", "PUT /api/public/coworkers/profiles/current", "GET /en/profile", "GET /en/team/profiles",
            "GET /api/public/teams/{teamId}/profile", "PUT /api/public/billing/coworkerContracts/v2/{id}/resume", "POST /api/public/plans/cancel",
        ] {
            #expect(lines.contains(line), "\(line)")
        }
        for endpoint in catalogue.endpoints {
            #expect(!endpoint.summary.isEmpty)
            #expect(endpoint.placeholders.allSatisfy { !$0.isEmpty && !$0.contains("{") }, "\(endpoint.path)")
        }
        let events = try #require(catalogue.endpoint(.get, path: "/api/public/events/my?showUpcoming=true"))
        #expect(events.paging == .underscore && events.response == .list)
        #expect(events.allParameters.map(\.name) == ["showUpcoming", "_shape", "_page", "_pageSize", "_orderBy", "_sortDirection"])
        let deliveries = try #require(catalogue.endpoint(.get, path: "/api/public/deliveries/my"))
        #expect(deliveries.paging.parameters.map(\.name) == ["page", "size"])
        #expect(deliveries.paging.parameters.last?.default == "15")
        // A placeholder matches any one segment; a write takes no read parameters.
        let team = try #require(catalogue.endpoint(.post, path: "/api/public/teams/55/members"))
        #expect(team.placeholders == ["teamId"] && team.response == .confirmation && team.allParameters.isEmpty)
        #expect(catalogue.endpoint(.get, path: "/api/public/teams/55/members") == nil)
        #expect(catalogue.endpoint(.get, path: "/api/public/nowhere") == nil)
    }

    @Test func aCatalogueWithABadPlaceholderOrATwiceListedEndpointIsRefused() throws {
        func catalogue(_ paths: [String]) throws -> EndpointCatalogue {
            let entries = paths.map { #"{"method": "GET", "path": "\#($0)", "paging": "none", "response": "object", "summary": "s"}"# }
            return try EndpointCatalogue(json: Data(#"{"endpoints": [\#(entries.joined(separator: ","))]}"#.utf8))
        }
        #expect(try catalogue(["/a/{id}/b", "/a/{id}/c"]).endpoints.count == 2)
        for bad in ["/a/{id/b", "/a/id}/b", "/a/x{id}/b", "/a/{}/b", "/a/{i-d}", "a/b", "/a?x=1"] {
            #expect(throws: CatalogueError.self, "\(bad)") { try catalogue([bad]) }
        }
        #expect { try catalogue(["/a/{id}", "/a/{id}"]) } throws: { "\($0)" == "GET /a/{id} is in the catalogue twice" }
        #expect(throws: DecodingError.self) {
            try EndpointCatalogue(json: Data(#"{"endpoints": [{"method": "GET", "path": "/a", "paging": "pages", "response": "object", "summary": "s"}]}"#.utf8))
        }
    }

    @Test func aTypedPathContinuesUpToTheNextPlaceholder() {
        let catalogue = EndpointCatalogue.builtIn
        let paths = catalogue.continuations(of: "/api/public/b", method: .get).map(\.path)
        #expect(paths == ["/api/public/billing/coworkerContracts/", "/api/public/bookings/my", "/api/public/billing/invoices/my", "/api/public/businesses/current"])
        let pause = catalogue.continuations(of: "/api/public/billing/coworkerContracts/v2/5001/p", method: .put)
        #expect(pause.map(\.path) == ["/api/public/billing/coworkerContracts/v2/5001/pause"])
        #expect(pause.map(\.isWhole) == [true] && pause.map(\.summary) == ["Pause a contract."])
        #expect(catalogue.continuations(of: "/api/public/teams/", method: .get).map(\.path) == ["/api/public/teams/my", "/api/public/teams/published/"])
        #expect(catalogue.continuations(of: "", method: .post).map(\.path) == ["/api/public/teams/", "/api/public/plans/cancel"])
        #expect(catalogue.continuations(of: "api", method: .get).isEmpty)
    }
}

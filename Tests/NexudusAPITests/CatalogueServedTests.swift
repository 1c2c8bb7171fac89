import Foundation
import HTTPValues
import NexshTesting
@testable import NexudusAPI
import Testing

/// Every entry of the catalogue is served by the sandbox and decoded by the client into its
/// model, a fact of the sandbox's data read back from it. The checks are keyed by the entry, so
/// an entry added to the catalogue without one fails here, and a check whose entry went fails
/// too.
@Suite struct CatalogueServedTests {
    /// One entry's request (ids of the sandbox's data in its placeholders) and what its decoded
    /// answer says.
    struct Check: Sendable {
        let endpoint: Endpoint
        let read: @Sendable (NexudusClient, Endpoint) async throws -> String
        let expected: String
    }

    static func check<Value: Decodable & Sendable>(
        _ endpoint: Endpoint, as type: Value.Type, _ expected: String, _ fact: @escaping @Sendable (Value) -> String
    ) -> Check {
        Check(endpoint: endpoint, read: { client, endpoint in fact(try await client.call(endpoint, as: type).value) }, expected: expected)
    }

    static func confirmed(_ endpoint: Endpoint) -> Check {
        check(endpoint, as: ActionConfirmation.self, "successful") { $0.wasSuccessful == true ? "successful" : "refused: \($0.message ?? "")" }
    }

    /// In the order they run: the writes last, reads of what they change before them.
    static let checks: KeyValuePairs<String, Check> = [
        "GET /api/public/coworkers/profiles": check(.profiles(), as: CoworkerProfiles.self, "101,102") { ($0.profiles ?? []).compactMap(\.id).map(String.init).joined(separator: ",") },
        "GET /api/public/coworkers/profiles/current/benefits": check(.benefits(), as: ProfileBenefits.self, "has booking credits") { ($0.personal?.bookingCredits ?? []).isEmpty ? "none" : "has booking credits" },
        "GET /en/profile": check(.editableProfile(), as: EditableProfile.self, "jane.doe@example.com") { $0.email ?? "" },
        "GET /en/team/profiles": check(.teamProfiles(), as: [TeamProfile].self, "Tech Innovators") { $0.compactMap(\.team?.name).joined(separator: ",") },
        "GET /api/public/teams/my": check(.myTeams(), as: ListResult<Team>.self, "55") { ($0.records ?? []).compactMap(\.id).map(String.init).joined(separator: ",") },
        "GET /api/public/teams/{teamId}/profile": check(.team(id: 55), as: Team.self, "Tech Innovators") { $0.name ?? "" },
        "GET /api/public/teams/published/{id}": check(.publishedTeam(id: 55), as: Team.self, "55 Tech Innovators") { "\($0.id ?? 0) \($0.name ?? "")" },
        "GET /api/public/billing/coworkerContracts/{contractId}": check(.contract(id: 5001), as: CoworkerContract.self, "Hot Desk Monthly") { $0.tariffName ?? "" },
        "GET /api/public/bookings/my": check(.myBookings(), as: ListResult<Booking>.self, "4") { String($0.records?.count ?? 0) },
        "GET /api/public/billing/invoices/my": check(.invoices(), as: ListResult<Invoice>.self, "INV-4006") { $0.records?.first?.invoiceNumber ?? "" },
        "GET /api/public/events/my": check(.events(), as: ListResult<Event>.self, "25 of 60") { "\($0.records?.count ?? 0) of \($0.totalItems ?? 0)" },
        "GET /api/public/visitors/my": check(.visitors(), as: ListResult<Visitor>.self, "visitors") { ($0.records ?? []).isEmpty ? "none" : "visitors" },
        "GET /api/public/deliveries/my": check(.deliveries(), as: ListResult<Delivery>.self, "15 of 40") { "\($0.records?.count ?? 0) of \($0.totalItems ?? 0)" },
        "GET /api/public/plans/my": check(.myPlans(), as: ListResult<Plan>.self, "5001 Hot Desk Monthly") { "\($0.records?.first?.id ?? 0) \($0.records?.first?.name ?? "")" },
        "GET /api/public/businesses/current": check(.currentBusiness(), as: Business.self, "Nexudus HQ Europe/London") { "\($0.name ?? "") \($0.timeZone ?? "")" },
        "PUT /api/public/coworkers/profiles/current": confirmed(.switchProfile(to: 101)),
        "POST /api/public/teams/{teamId}/members": confirmed(.addTeamMembers(teamId: 55, emails: ["ada@example.com"])),
        "PUT /api/public/billing/coworkerContracts/v2/{id}/pause": confirmed(.pauseContract(id: 5001)),
        "PUT /api/public/billing/coworkerContracts/v2/{id}/resume": confirmed(.resumeContract(id: 5001)),
        "POST /api/public/plans/cancel": confirmed(.cancelPlan(contractId: 5001)),
    ]

    @Test func everyEntryIsServedAndDecoded() async throws {
        let entries = EndpointCatalogue.builtIn.endpoints.map { "\($0.method) \($0.path)" }
        let checked = Self.checks.map(\.key)
        #expect(entries.filter { !checked.contains($0) } == [], "catalogue entries without a check")
        #expect(checked.filter { !entries.contains($0) } == [], "checks without a catalogue entry")
        try await withSandboxClient { session in
            _ = try await session.client.login(email: SandboxAccounts.jane.email, password: SandboxAccounts.jane.password)
            for (entry, check) in Self.checks {
                // The request is the entry's: its method, and a path its template matches.
                let spec = EndpointCatalogue.builtIn.endpoint(check.endpoint.method, path: check.endpoint.path)
                #expect(spec.map { "\($0.method) \($0.path)" } == entry)
                let fact = try await check.read(session.client, check.endpoint)
                #expect(fact == check.expected, "\(entry)")
            }
        }
    }
}

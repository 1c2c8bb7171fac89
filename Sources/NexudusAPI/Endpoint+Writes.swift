import Foundation
import HTTPValues

/// The member's writes: each answers an ActionConfirmation (``NexudusClient/act(_:)``). A
/// command builds the endpoint first, so that what it shows before sending is what is sent.
extension Endpoint {
    public static func pauseContract(id: Int) -> Endpoint {
        Endpoint(method: .put, path: "/api/public/billing/coworkerContracts/v2/\(id)/pause")
    }

    public static func resumeContract(id: Int) -> Endpoint {
        Endpoint(method: .put, path: "/api/public/billing/coworkerContracts/v2/\(id)/resume")
    }

    /// The body is the bare JSON array of addresses (`["a@example.com"]`), one of the two forms
    /// the service takes (the other wraps it as `{"Emails": [...]}`).
    public static func addTeamMembers(teamId: Int, emails: [String]) -> Endpoint {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // An array of strings always encodes.
        let body = (try? encoder.encode(emails)) ?? Data("[]".utf8)
        return Endpoint(method: .post, path: "/api/public/teams/\(teamId)/members", body: (body, "application/json"))
    }

    /// The plan is named in the body, `{"CoworkerContractId":5001}`.
    public static func cancelPlan(contractId: Int) -> Endpoint {
        Endpoint(method: .post, path: "/api/public/plans/cancel", body: (Data(#"{"CoworkerContractId":\#(contractId)}"#.utf8), "application/json"))
    }

    /// `POST /api/public/teams/55/members`: the method and the path with its query, as a request
    /// line reads (the body, when there is one, is ``body``).
    public var requestLine: String {
        let (ownPath, ownQuery) = Self.split(path)
        let added = query.map { "\(PercentEncoder.queryValue.encode($0.0))=\(PercentEncoder.queryValue.encode($0.1))" }
        let parts = (ownQuery.map { [$0] } ?? []) + added
        return "\(method.rawValue) \(ownPath)" + (parts.isEmpty ? "" : "?" + parts.joined(separator: "&"))
    }
}

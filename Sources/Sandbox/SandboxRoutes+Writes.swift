import Foundation
import Hummingbird

/// The writes a member makes: pausing or resuming a contract, cancelling a plan, adding people
/// to a team. Each
/// answers an ActionConfirmation, and a business-rule refusal (pausing a paused contract, adding
/// someone already added) comes back as HTTP 200 with `WasSuccessful: false` and `Status: 500`,
/// as observed on the real service.
extension SandboxRoutes {
    func registerWriteRoutes(on router: Router<BasicRequestContext>) {
        router.put("/api/public/billing/coworkerContracts/v2/:contractId/pause", use: pauseContract)
        router.put("/api/public/billing/coworkerContracts/v2/:contractId/resume", use: resumeContract)
        router.post("/api/public/teams/:teamId/members", use: addTeamMembers)
        router.post("/api/public/plans/cancel", use: cancelPlan)
    }

    /// The body names the plan: `{"CoworkerContractId": 5001}`. Only its holder cancels a plan
    /// (`plans/my` lists only the profile's own); it ends with its billing period.
    @Sendable func cancelPlan(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            let body = try await request.body.collect(upTo: 64 * 1024)
            let parsed = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
            guard let contractId = parsed?.first(where: { $0.key.lowercased() == "coworkercontractid" })?.value as? Int else {
                return .json(
                    Fixtures.actionConfirmation(
                        successful: false, status: 400, message: "The body must name the plan: {\"CoworkerContractId\": <id>}.",
                        errors: [("CoworkerContractId", nil, "The CoworkerContractId is required.")]
                    ),
                    status: .badRequest
                )
            }
            let active = await state.activeProfileId(of: account)
            guard let contract = fixtures.contracts(of: active).first(where: { $0.id == contractId }) else {
                return .json(
                    Fixtures.actionConfirmation(successful: false, status: 404, message: "No plan with id \(contractId) exists for this customer."),
                    status: .notFound
                )
            }
            guard await state.cancel(contractId: contract.id) else {
                return .json(Fixtures.actionConfirmation(successful: false, status: 500, message: "The plan is already cancelled."))
            }
            return .json(Fixtures.actionConfirmation(
                successful: true, status: 200, message: "The plan has been cancelled: it ends on \(contract.nextInvoice.prefix(10))."
            ))
        }
    }

    @Sendable func pauseContract(request: Request, context: BasicRequestContext) async throws -> Response {
        try await setContractPaused(true, request: request, context: context)
    }

    @Sendable func resumeContract(request: Request, context: BasicRequestContext) async throws -> Response {
        try await setContractPaused(false, request: request, context: context)
    }

    private func setContractPaused(_ paused: Bool, request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            guard let contractId = context.parameters.get("contractId").flatMap({ Int($0) }) else {
                return .json(Fixtures.actionConfirmation(successful: false, status: 400, message: "The contract id must be a number."), status: .badRequest)
            }
            let active = await state.activeProfileId(of: account)
            guard let contract = fixtures.contract(contractId, visibleTo: active) else {
                return .json(
                    Fixtures.actionConfirmation(successful: false, status: 404, message: "No contract with id \(contractId) exists for this customer."),
                    status: .notFound
                )
            }
            guard await state.setPaused(paused, contractId: contract.id) else {
                let message = paused ? "The contract is already paused." : "The contract is not paused."
                return .json(Fixtures.actionConfirmation(successful: false, status: 500, message: message))
            }
            return .json(Fixtures.actionConfirmation(
                successful: true, status: 200, message: paused ? "The contract has been paused." : "The contract has been resumed."
            ))
        }
    }

    /// The body is a JSON array of e-mail addresses, or an object whose `Emails` member is one.
    /// Only a member of the team allowed to add members (`CanAddNewMembers`) may.
    @Sendable func addTeamMembers(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            guard let teamId = context.parameters.get("teamId").flatMap({ Int($0) }) else {
                return .json(Fixtures.actionConfirmation(successful: false, status: 400, message: "The team id must be a number."), status: .badRequest)
            }
            let active = await state.activeProfileId(of: account)
            guard let (team, membership) = fixtures.teams(of: active).first(where: { $0.0.id == teamId }) else {
                return .json(
                    Fixtures.actionConfirmation(successful: false, status: 404, message: "No team with id \(teamId) exists or the customer is not one of its members."),
                    status: .notFound
                )
            }
            guard membership.canAddNewMembers else {
                return .json(
                    Fixtures.actionConfirmation(successful: false, status: 403, message: "Only a team administrator can add members to \(team.name)."),
                    status: .forbidden
                )
            }
            let body = try await request.body.collect(upTo: 64 * 1024)
            guard let emails = Self.emailList(Data(body.readableBytesView)), !emails.isEmpty else {
                return .json(
                    Fixtures.actionConfirmation(
                        successful: false, status: 400, message: "The body must be a list of e-mail addresses.",
                        errors: [("Emails", nil, "The body must be a JSON array of e-mail addresses, or {\"Emails\": [...]}.")]
                    ),
                    status: .badRequest
                )
            }
            if let invalid = emails.first(where: { !Self.looksLikeEmail($0) }) {
                return .json(
                    Fixtures.actionConfirmation(
                        successful: false, status: 400, message: "'\(invalid)' is not a valid e-mail address.",
                        errors: [("Emails", invalid, "'\(invalid)' is not a valid e-mail address.")]
                    ),
                    status: .badRequest
                )
            }
            let existing = Set(team.memberships.compactMap { fixtures.profile($0.profileId)?.email.lowercased() })
            let refused = await state.addMembers(emails, toTeam: team.id, existing: existing)
            guard refused.isEmpty else {
                return .json(Fixtures.actionConfirmation(
                    successful: false, status: 500, message: "Already a member of \(team.name): \(refused.joined(separator: ", "))."
                ))
            }
            return .json(Fixtures.actionConfirmation(successful: true, status: 200, message: "\(emails.count) member(s) added to \(team.name)."))
        }
    }

    private static func emailList(_ body: Data) -> [String]? {
        let parsed = try? JSONSerialization.jsonObject(with: body)
        let list = (parsed as? [Any]) ?? ((parsed as? [String: Any])?.first { $0.key.lowercased() == "emails" }?.value as? [Any])
        return list?.compactMap { $0 as? String }
    }

    private static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && text.count <= 254
    }
}

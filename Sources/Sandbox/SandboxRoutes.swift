import Foundation
import HTTPTypes
import Hummingbird

/// The Nexudus endpoints the sandbox simulates, registered on a router.
struct SandboxRoutes: Sendable {
    let state: SandboxState

    var fixtures: Fixtures { state.fixtures }

    func register(on router: Router<BasicRequestContext>) {
        router.post("/api/token", use: token)
        router.get("/api/public/coworkers/profiles", use: profiles)
        router.put("/api/public/coworkers/profiles/current", use: switchProfile)
        router.get("/api/public/coworkers/profiles/current/benefits", use: benefits)
        router.get("/en/team/profiles", use: teamProfiles)
        router.get("/api/public/teams/my", use: myTeams)
        router.get("/api/public/teams/:teamId/profile", use: teamProfile)
        router.get("/api/public/billing/coworkerContracts/:contractId", use: contract)
        registerMemberListRoutes(on: router)
        registerMemberViewRoutes(on: router)
        registerWriteRoutes(on: router)
    }

    // MARK: - POST /api/token

    @Sendable func token(request: Request, context: BasicRequestContext) async throws -> Response {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            return Self.tokenError("unsupported_grant_type", "The request body must be application/x-www-form-urlencoded.")
        }
        let body = try await request.body.collect(upTo: 64 * 1024)
        let form = FormFields(String(buffer: body))
        let clientIdHeader = request.headers[HTTPField.Name("client_id")!]

        switch form["grant_type"] {
        case "password":
            let email = form["username"] ?? ""
            if let account = fixtures.account(email: email), case .serverError = account.signInRefusal {
                return .json(["Message": "An error has occurred."], status: .internalServerError)
            }
            guard let account = fixtures.account(email: email), account.password == form["password"] else {
                return Self.tokenError("invalid_grant", "The user name or password is incorrect.")
            }
            if case .mustResetPassword(let resetToken) = account.signInRefusal {
                return Self.tokenError("must_reset_password", resetToken)
            }
            guard account.active else {
                return Self.tokenError("invalid_grant", "This account has been suspended.")
            }
            if let expected = account.totpCode {
                guard let code = form["totp"], !code.isEmpty else {
                    return Self.tokenError("two_factor_auth_check", "A two-factor authentication code (totp) is required for this account.")
                }
                guard code == expected else {
                    return Self.tokenError("two_factor_auth_check", "The two-factor authentication code is not valid.")
                }
            }
            let pair = await state.issueTokens(for: account, clientId: clientIdHeader ?? account.email)
            return Self.tokenAnswer(pair)

        case "refresh_token":
            guard let refreshToken = form["refresh_token"], !refreshToken.isEmpty else {
                return Self.tokenError("invalid_grant", "The refresh_token field is required.")
            }
            // Required on refresh, as documented (sign-in falls back to the e-mail address).
            guard let clientId = clientIdHeader, !clientId.isEmpty else {
                return Self.tokenError("invalid_grant", "The client_id header is required to refresh a token.")
            }
            switch await state.refresh(token: refreshToken, clientId: clientId) {
            case .issued(let pair): return Self.tokenAnswer(pair)
            case .rejected(let reason): return Self.tokenError("invalid_grant", reason)
            }

        default:
            return Self.tokenError("unsupported_grant_type", "The grant_type must be password or refresh_token.")
        }
    }

    private static func tokenAnswer(_ pair: SandboxState.TokenPair) -> Response {
        .json(
            [
                "access_token": .string(pair.accessToken),
                "token_type": "bearer",
                "expires_in": .int(pair.expiresIn),
                "refresh_token": .string(pair.refreshToken),
            ],
            headers: [.cacheControl: "no-store"]
        )
    }

    private static func tokenError(_ code: String, _ description: String) -> Response {
        .json(["error": .string(code), "error_description": .string(description)], status: .badRequest)
    }

    // MARK: - Profiles

    @Sendable func profiles(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, token in
            let active = await state.activeProfileId(of: account)
            let paused = await state.contractChanges().paused
            let answer = fixtures.profilesAnswer(for: account, activeProfileId: active, accessToken: token, pausedContracts: paused)
            return Self.shaped(answer, request)
        }
    }

    @Sendable func switchProfile(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            guard let raw = request.uri.queryParameters["coworkerId"].map(String.init), !raw.isEmpty else {
                return .json(
                    Fixtures.actionConfirmation(
                        successful: false, status: 400, message: "The coworkerId query parameter is required.",
                        errors: [("coworkerId", nil, "The coworkerId query parameter is required.")]
                    ),
                    status: .badRequest
                )
            }
            guard let coworkerId = Int(raw) else {
                return .json(
                    Fixtures.actionConfirmation(
                        successful: false, status: 400, message: "The value '\(raw)' is not valid for coworkerId.",
                        errors: [("coworkerId", raw, "The value '\(raw)' is not valid for coworkerId.")]
                    ),
                    status: .badRequest
                )
            }
            switch await state.switchProfile(of: account, to: coworkerId) {
            case .switched:
                return .json(Fixtures.actionConfirmation(successful: true, status: 200))
            case .notFound:
                return .json(
                    Fixtures.actionConfirmation(
                        successful: false, status: 404,
                        message: "No profile with the given coworkerId exists or it does not belong to this user account."
                    ),
                    status: .notFound
                )
            case .inactive:
                // The portal API reports refusals of this kind in the envelope, under HTTP 200.
                return .json(Fixtures.actionConfirmation(
                    successful: false, status: 400, message: "Profile \(coworkerId) is not active and cannot be selected."
                ))
            }
        }
    }

    @Sendable func benefits(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            let active = await state.activeProfileId(of: account)
            return Self.shaped(fixtures.benefitsJSON(profileId: active), request)
        }
    }

    // MARK: - Teams

    @Sendable func teamProfiles(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            let active = await state.activeProfileId(of: account)
            let bookForTeam = Self.flag(request.uri.queryParameters["bookForTeam"])
            let changes = await state.contractChanges()
            var entries: [JSON] = []
            for (team, membership) in fixtures.teams(of: active) where !bookForTeam || membership.isAdministrator {
                let added = await state.addedMembers(ofTeam: team.id)
                entries.append(fixtures.teamProfileJSON(team, seenBy: membership, added: added, contracts: changes))
            }
            return Self.shaped(.array(entries), request)
        }
    }

    @Sendable func myTeams(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            let query = request.uri.queryParameters
            guard let adminParameter = query["isTeamAdmin"], let adminOnly = Self.strictFlag(adminParameter) else {
                return .json(["Message": "The isTeamAdmin query parameter is required (true or false)."], status: .badRequest)
            }
            let teamFilter = query["teamId"].flatMap { Int($0) }
            let active = await state.activeProfileId(of: account)
            let teams = fixtures.teams(of: active)
                .filter { !adminOnly || $0.1.isAdministrator }
                .map(\.0)
                .filter { teamFilter == nil || $0.id == teamFilter }
            let paging = ListPaging(query, convention: .underscored, defaultPageSize: 25, defaultOrder: "Name")
            var records: [JSON] = []
            for team in teams { records.append(fixtures.teamJSON(team, added: await state.addedMembers(ofTeam: team.id))) }
            let envelope = paging.envelope(records)
            return Self.shaped(envelope, request)
        }
    }

    @Sendable func teamProfile(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            guard let teamId = context.parameters.get("teamId").flatMap({ Int($0) }) else {
                return .json(["Message": "The team id must be a number."], status: .badRequest)
            }
            let active = await state.activeProfileId(of: account)
            guard let (team, _) = fixtures.teams(of: active).first(where: { $0.0.id == teamId }) else {
                return .json(["Message": .string("No team with id \(teamId) exists or the customer is not one of its members.")], status: .notFound)
            }
            return Self.shaped(fixtures.teamJSON(team, added: await state.addedMembers(ofTeam: team.id)), request)
        }
    }

    // MARK: - Billing

    /// A contract is visible to its holder and to the administrators of a team its holder is in.
    @Sendable func contract(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            guard let contractId = context.parameters.get("contractId").flatMap({ Int($0) }) else {
                return .json(["Message": "The contract id must be a number."], status: .badRequest)
            }
            let active = await state.activeProfileId(of: account)
            guard let contract = fixtures.contract(contractId, visibleTo: active) else {
                return .json(["Message": .string("No contract with id \(contractId) exists for this customer.")], status: .notFound)
            }
            return Self.shaped(fixtures.contractDetailJSON(contract, await state.contractChanges()), request)
        }
    }

    // MARK: - Helpers

    func signedIn(
        _ request: Request,
        _ body: (Fixtures.Account, String) async throws -> Response
    ) async throws -> Response {
        switch await state.authenticate(authorization: request.headers[.authorization]) {
        case .signedIn(let account, let token):
            return try await body(account, token)
        case .missing, .invalid:
            return Self.unauthorized(challenge: "Bearer")
        case .expired:
            return Self.unauthorized(challenge: "Bearer error=\"invalid_token\", error_description=\"The access token expired\"")
        }
    }

    private static func unauthorized(challenge: String) -> Response {
        .json(
            ["Message": "Authorization has been denied for this request."],
            status: .unauthorized,
            headers: [.wwwAuthenticate: challenge]
        )
    }

    static func shaped(_ value: JSON, _ request: Request) -> Response {
        let shape = Shape(request.uri.queryParameters["_shape"].map(String.init))
        return .json(shape?.apply(to: value) ?? value)
    }

    static func flag(_ value: Substring?) -> Bool {
        value.flatMap { strictFlag($0) } ?? false
    }

    static func strictFlag(_ value: Substring) -> Bool? {
        switch value.lowercased() {
        case "true", "1": true
        case "false", "0": false
        default: nil
        }
    }
}

/// The fields of an `application/x-www-form-urlencoded` body (`+` is a space).
struct FormFields {
    private var fields: [(String, String)] = []

    init(_ body: String) {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            fields.append((decode(parts[0]), parts.count > 1 ? decode(parts[1]) : ""))
        }
    }

    subscript(name: String) -> String? {
        fields.first { $0.0 == name }?.1
    }
}

import Hummingbird

/// Single records a member looks at: the location, the editable profile, a published team.
extension SandboxRoutes {
    func registerMemberViewRoutes(on router: Router<BasicRequestContext>) {
        router.get("/api/public/businesses/current", use: currentBusiness)
        // A view route: WebPageMiddleware answers HTML unless the client asks for JSON.
        router.get("/en/profile", use: editableProfile)
        router.get("/api/public/teams/published/:teamId", use: publishedTeam)
    }

    @Sendable func currentBusiness(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            guard let business = fixtures.business(account.businessId) else {
                return .json(["Message": "The account has no business."], status: .notFound)
            }
            return Self.shaped(fixtures.businessJSON(business), request)
        }
    }

    @Sendable func editableProfile(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            guard request.uri.queryParameters["_resource"]?.lowercased() == "coworker" else {
                return .json(["Message": "The _resource query parameter must be Coworker."], status: .badRequest)
            }
            let active = await state.activeProfileId(of: account)
            guard let profile = fixtures.profile(active) else {
                return .json(["Message": "The account has no customer profile."], status: .notFound)
            }
            return Self.shaped(fixtures.editableProfileJSON(profile), request)
        }
    }

    /// Any signed-in member may see a team's published profile, member or not.
    @Sendable func publishedTeam(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { _, _ in
            guard let teamId = context.parameters.get("teamId").flatMap({ Int($0) }) else {
                return .json(["Message": "The team id must be a number."], status: .badRequest)
            }
            guard let team = fixtures.team(teamId) else {
                return .json(["Message": .string("No published team with id \(teamId) exists.")], status: .notFound)
            }
            return Self.shaped(fixtures.publishedTeamJSON(team), request)
        }
    }
}

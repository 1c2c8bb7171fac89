/// The member endpoints that need nothing but a typed answer: one call each, the session's token
/// and its one refresh applied by ``NexudusClient/call(_:as:)``.
extension NexudusClient {
    public func teamProfiles(bookForTeam: Bool = false, shape: [String]? = nil) async throws -> APIResponse<[TeamProfile]> {
        try await call(.teamProfiles(bookForTeam: bookForTeam, shape: shape), as: [TeamProfile].self)
    }

    public func benefits(shape: [String]? = nil) async throws -> APIResponse<ProfileBenefits> {
        try await call(.benefits(shape: shape), as: ProfileBenefits.self)
    }

    public func myTeams(adminOnly: Bool = false, shape: [String]? = nil) async throws -> APIResponse<ListResult<Team>> {
        try await call(.myTeams(adminOnly: adminOnly, shape: shape), as: ListResult<Team>.self)
    }

    public func team(id: Int, shape: [String]? = nil) async throws -> APIResponse<Team> {
        try await call(.team(id: id, shape: shape), as: Team.self)
    }

    public func contract(id: Int, shape: [String]? = nil) async throws -> APIResponse<CoworkerContract> {
        try await call(.contract(id: id, shape: shape), as: CoworkerContract.self)
    }
}

import Foundation

/// Everything the sandbox remembers between requests: issued tokens and, per user account, the
/// active profile. One actor, so concurrent requests see a consistent world.
public actor SandboxState {
    struct AccessGrant {
        var userId: Int
        var expiresAt: ContinuousClock.Instant
    }

    struct RefreshGrant {
        var userId: Int
        var clientId: String
        var expiresAt: ContinuousClock.Instant
    }

    struct TokenPair {
        var accessToken: String
        var refreshToken: String
        var expiresIn: Int
    }

    enum Authentication {
        case signedIn(Fixtures.Account, token: String)
        case missing
        case invalid
        case expired
    }

    enum RefreshOutcome {
        case issued(TokenPair)
        case rejected(String)
    }

    enum SwitchOutcome {
        case switched
        case notFound
        case inactive
    }

    /// Refresh tokens live 15 days, as on the Nexudus servers.
    static let refreshTokenLifetime: Duration = .seconds(15 * 24 * 3600)

    let fixtures: Fixtures
    let tokenLifetime: Duration
    private let clock = ContinuousClock()
    private var activeProfiles: [Int: Int]
    private var accessGrants: [String: AccessGrant] = [:]
    private var refreshGrants: [String: RefreshGrant] = [:]
    private var contracts = ContractChanges()
    /// The people added to each team through the sandbox, by team id, in the order added.
    private var addedTeamMembers: [Int: [AddedMember]] = [:]
    /// The service makes a customer record for each address it adds; their ids start here,
    /// clear of the fixtures'.
    private var nextAddedMemberId = 900_001

    /// Someone added to a team by address: a customer record with no name but the address.
    struct AddedMember {
        var id: Int
        var email: String
    }

    init(fixtures: Fixtures, tokenLifetime: Duration) {
        self.fixtures = fixtures
        self.tokenLifetime = tokenLifetime
        activeProfiles = Dictionary(uniqueKeysWithValues: fixtures.accounts.map { ($0.userId, $0.initialProfileId) })
    }

    /// Ends the life of every access token issued so far, as if their time had run out;
    /// refresh tokens stay valid. For tests of the client's automatic refresh.
    public func expireAccessTokens() {
        for token in accessGrants.keys {
            accessGrants[token]?.expiresAt = clock.now - .seconds(1)
        }
    }

    /// The active profile of a user account, by e-mail address.
    public func activeProfileId(email: String) -> Int? {
        fixtures.account(email: email).flatMap { activeProfiles[$0.userId] }
    }

    func activeProfileId(of account: Fixtures.Account) -> Int {
        activeProfiles[account.userId] ?? account.initialProfileId
    }

    /// A new pair for `clientId`. The service keeps one refresh token per client: the earlier
    /// ones of this account and client stop working; another client's stay valid.
    func issueTokens(for account: Fixtures.Account, clientId: String) -> TokenPair {
        refreshGrants = refreshGrants.filter { _, other in
            !(other.userId == account.userId && other.clientId.lowercased() == clientId.lowercased())
        }
        let now = clock.now
        let pair = TokenPair(
            accessToken: Self.randomToken(bytes: 32),
            refreshToken: Self.randomToken(bytes: 18),
            expiresIn: Int(tokenLifetime.components.seconds)
        )
        accessGrants[pair.accessToken] = AccessGrant(userId: account.userId, expiresAt: now + tokenLifetime)
        refreshGrants[pair.refreshToken] = RefreshGrant(
            userId: account.userId, clientId: clientId, expiresAt: now + Self.refreshTokenLifetime
        )
        return pair
    }

    /// Exchanges a refresh token for a new pair (``issueTokens(for:clientId:)`` invalidates the
    /// client's earlier refresh tokens); access tokens already issued stay valid until they expire.
    func refresh(token: String, clientId: String) -> RefreshOutcome {
        guard let grant = refreshGrants[token], grant.expiresAt > clock.now else {
            return .rejected("The refresh token is invalid, expired or has already been used.")
        }
        guard grant.clientId.lowercased() == clientId.lowercased() else {
            return .rejected("The refresh token was issued to a different client_id.")
        }
        guard let account = fixtures.account(userId: grant.userId) else {
            return .rejected("The user account no longer exists.")
        }
        return .issued(issueTokens(for: account, clientId: grant.clientId))
    }

    func authenticate(authorization: String?) -> Authentication {
        guard let authorization, !authorization.isEmpty else { return .missing }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return .invalid }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard let grant = accessGrants[token], let account = fixtures.account(userId: grant.userId) else {
            return .invalid
        }
        guard grant.expiresAt > clock.now else { return .expired }
        return .signedIn(account, token: token)
    }

    func switchProfile(of account: Fixtures.Account, to profileId: Int) -> SwitchOutcome {
        guard account.profileIds.contains(profileId), let profile = fixtures.profile(profileId) else {
            return .notFound
        }
        guard profile.active else { return .inactive }
        activeProfiles[account.userId] = profileId
        return .switched
    }

    /// What the member's writes changed about contracts, for every view that shows one.
    struct ContractChanges: Sendable {
        var paused: Set<Int> = []
        /// Cancelled plans: they end with their billing period, and run until then.
        var cancelled: Set<Int> = []
    }

    func contractChanges() -> ContractChanges { contracts }

    /// Pauses (or resumes) a contract; false when it already was paused (or running).
    func setPaused(_ paused: Bool, contractId: Int) -> Bool {
        paused ? contracts.paused.insert(contractId).inserted : contracts.paused.remove(contractId) != nil
    }

    /// Cancels a plan; false when it already was.
    func cancel(contractId: Int) -> Bool {
        contracts.cancelled.insert(contractId).inserted
    }

    /// Adds every address to a team, or none: the addresses already in it (`existing`, the
    /// fixtures' members, or added earlier) or given twice are returned, and nothing changes.
    func addMembers(_ emails: [String], toTeam teamId: Int, existing: Set<String>) -> [String] {
        var taken = existing.union(addedMembers(ofTeam: teamId).map { $0.email.lowercased() })
        let refused = emails.filter { !taken.insert($0.lowercased()).inserted }
        guard refused.isEmpty else { return refused }
        for email in emails {
            addedTeamMembers[teamId, default: []].append(AddedMember(id: nextAddedMemberId, email: email))
            nextAddedMemberId += 1
        }
        return []
    }

    func addedMembers(ofTeam teamId: Int) -> [AddedMember] { addedTeamMembers[teamId] ?? [] }

    private static func randomToken(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

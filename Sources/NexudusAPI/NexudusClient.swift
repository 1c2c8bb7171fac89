import Foundation
import HTTPValues
import Synchronization

/// A typed client for the Nexudus customer-portal API over any ``HTTPTransport`` (live, recording
/// or replaying).
///
/// It keeps the session (tokens) and the last profiles answer. A call that gets a 401 while a
/// refresh token is held refreshes the session once and repeats itself; the refresh happens only
/// in answer to a 401, never on a timer, so that the sequence of requests, and therefore a
/// cassette, depends on what the server said and not on how long a replay takes.
public actor NexudusClient {
    public struct Session: Sendable, Hashable {
        public var email: String
        public var accessToken: String
        public var refreshToken: String?
        /// Sent as the `client_id` header when refreshing: the one used at sign-in.
        public var clientId: String

        public init(email: String, accessToken: String, refreshToken: String?, clientId: String) {
            self.email = email
            self.accessToken = accessToken
            self.refreshToken = refreshToken
            self.clientId = clientId
        }
    }

    /// The outcome of ``switchProfile(to:)``: the PUT's envelope, then the re-fetched profiles.
    public struct ProfileSwitch: Sendable {
        public var confirmation: APIResponse<ActionConfirmation>
        public var profiles: APIResponse<CoworkerProfiles>
    }

    /// Where portal calls go (`https://yourspace.spaces.nexudus.com`, or the sandbox).
    public nonisolated let baseURL: URL
    /// Where `/api/token` lives: the portal itself unless told otherwise (`--auth-server`).
    public nonisolated let authenticationBaseURL: URL
    /// Sent as `User-Agent` on every request, when given (`nexsh/0.1.0`).
    public nonisolated let userAgent: String?
    private let transport: any HTTPTransport
    /// Readable without waiting on the client, so that a cassette recorder can check its
    /// tokens while a request is in flight.
    private let sessionStore: Mutex<Session?>
    /// The last complete (unshaped) profiles answer: who is signed in and which profile is
    /// active, with the body as received (for `whoami --json`).
    public private(set) var knownProfilesAnswer: APIResponse<CoworkerProfiles>?
    public var knownProfiles: CoworkerProfiles? { knownProfilesAnswer?.value }

    public nonisolated var session: Session? {
        sessionStore.withLock { $0 }
    }

    private func setSession(_ update: (inout Session?) -> Void) {
        sessionStore.withLock { update(&$0) }
    }

    /// Told of every session that ends (a logout, a session the server no longer accepts), so
    /// that its owner still knows the tokens it must never write.
    private let sessionEndObserver = Mutex<@Sendable (Session) -> Void>({ _ in })

    public nonisolated func whenSessionEnds(_ observer: @escaping @Sendable (Session) -> Void) {
        sessionEndObserver.withLock { $0 = observer }
    }

    /// Told of every renewed session, at once: the refresh token it replaced is dead, so whoever
    /// keeps the session elsewhere (a saved sign-in) must keep the new pair.
    private let sessionRenewalObserver = Mutex<@Sendable (Session) -> Void>({ _ in })

    public nonisolated func whenSessionRenews(_ observer: @escaping @Sendable (Session) -> Void) {
        sessionRenewalObserver.withLock { $0 = observer }
    }

    /// Takes up a session signed in earlier (a saved one): nothing is sent until a call needs it,
    /// and a 401 refreshes it as any other.
    public func adopt(_ session: Session) {
        setSession { $0 = session }
        knownProfilesAnswer = nil
    }

    /// Forgets the session and the profiles it saw: signed out.
    private func endSession() {
        let ended = sessionStore.withLock { store in
            defer { store = nil }
            return store
        }
        knownProfilesAnswer = nil
        if let ended { sessionEndObserver.withLock { $0 }(ended) }
    }
    private var refreshInFlight: Task<Void, any Error>?

    public init(
        baseURL: URL, authenticationBaseURL: URL? = nil, userAgent: String? = nil, transport: any HTTPTransport, session: Session? = nil
    ) {
        self.baseURL = baseURL
        self.authenticationBaseURL = authenticationBaseURL ?? baseURL
        self.userAgent = userAgent
        self.transport = transport
        sessionStore = Mutex(session)
    }

    // MARK: - Session

    /// The `client_id` a sign-in sends unless told another. The service keeps one refresh token
    /// per `client_id`, so nexsh has its own: the portal's `nexudus.portal.<email>` would sign the
    /// person's browser out.
    public static func defaultClientId(for email: String) -> String {
        "nexsh.\(email)"
    }

    /// The password grant. On success the session holds the new tokens.
    @discardableResult
    public func login(email: String, password: String, totp: String? = nil, clientId: String? = nil) async throws
        -> APIResponse<TokenGrant>
    {
        let clientId = clientId ?? Self.defaultClientId(for: email)
        let exchange = try await send(.passwordGrant(email: email, password: password, totp: totp, clientId: clientId))
        let grant = try tokenGrant(from: exchange, credentialsError: true)
        let newSession = Session(
            email: email, accessToken: grant.value.accessToken ?? "", refreshToken: grant.value.refreshToken,
            clientId: clientId
        )
        setSession { $0 = newSession }
        knownProfilesAnswer = nil
        return grant
    }

    /// The refresh grant: a new token pair for the current session. The service invalidates the
    /// refresh token it was given, so the new one replaces it at once.
    @discardableResult
    public func refreshSession() async throws -> APIResponse<TokenGrant> {
        guard let current = session, let refreshToken = current.refreshToken else {
            throw NexudusError.noRefreshToken
        }
        let exchange = try await send(.refreshGrant(refreshToken: refreshToken, clientId: current.clientId))
        // A refused refresh token is never sent again: a call that needed it ends the session.
        let grant = try tokenGrant(from: exchange, credentialsError: false)
        let renewed = sessionStore.withLock { store in
            store?.accessToken = grant.value.accessToken ?? ""
            store?.refreshToken = grant.value.refreshToken ?? refreshToken
            return store
        }
        if let renewed { sessionRenewalObserver.withLock { $0 }(renewed) }
        return grant
    }

    /// Forgets the session; nothing is sent (the API has no sign-out endpoint).
    public func logout() {
        endSession()
    }

    // MARK: - Profiles

    public func profiles(shape: [String]? = nil) async throws -> APIResponse<CoworkerProfiles> {
        let answer = try await call(.profiles(shape: shape), as: CoworkerProfiles.self)
        if shape == nil { knownProfilesAnswer = answer }
        return answer
    }

    /// Refuses, before any request, text that is not a positive whole number.
    public static func coworkerID(from text: String) throws -> Int {
        guard let id = Int(text.trimmingCharacters(in: .whitespaces)), id > 0 else {
            throw NexudusError.invalidCoworkerID(text)
        }
        return id
    }

    /// The PUT that makes `coworkerId` the active profile, then, as the portal does, the
    /// profiles request that shows the new state.
    public func switchProfile(to coworkerId: Int) async throws -> ProfileSwitch {
        guard coworkerId > 0 else { throw NexudusError.invalidCoworkerID(String(coworkerId)) }
        let exchange = try await perform(.switchProfile(to: coworkerId))
        if exchange.response.status == 404 {
            throw NexudusError.profileNotInAccount(
                coworkerId: coworkerId, available: knownProfiles?.profiles ?? [], exchange
            )
        }
        return ProfileSwitch(confirmation: try confirmation(from: exchange), profiles: try await profiles())
    }

    /// The ActionConfirmation of a write; `WasSuccessful: false` is a failure even under HTTP 200.
    func confirmation(from exchange: HTTPExchange) throws -> APIResponse<ActionConfirmation> {
        let confirmation = try decode(ActionConfirmation.self, from: exchange)
        guard confirmation.value.wasSuccessful != false else {
            throw NexudusError.actionFailed(message: confirmation.value.message, exchange)
        }
        return confirmation
    }

    // MARK: - Raw requests

    /// Sends `endpoint` with the session's token (refreshing once on a 401, like every call) and
    /// returns whatever came back, whatever its status.
    public func perform(_ endpoint: Endpoint) async throws -> HTTPExchange {
        guard endpoint.requiresToken, let stale = session else {
            return try await send(endpoint)
        }
        let first = try await send(endpoint)
        guard first.response.status == 401, stale.refreshToken != nil else { return first }
        do {
            try await refresh(replacing: stale)
        } catch NexudusError.tokenRejected(_, let description, _) {
            let detail = description.map { " (\($0))" } ?? ""
            throw expired("the refresh token was refused\(detail)", first)
        } catch let error as NexudusError {
            throw expired("refreshing the token failed: \(error)", first)
        }
        return try await send(endpoint)
    }

    // MARK: - Internals

    private func send(_ endpoint: Endpoint) async throws -> HTTPExchange {
        let base = endpoint.requiresToken ? baseURL : authenticationBaseURL
        let token = endpoint.requiresToken ? session?.accessToken : nil
        let request = try endpoint.request(baseURL: base, token: token, userAgent: userAgent)
        return HTTPExchange(request: request, response: try await transport.send(request))
    }

    /// One refresh at a time: callers that hit a 401 together share it, and a caller whose
    /// token was already replaced does not refresh again.
    private func refresh(replacing stale: Session) async throws {
        if let session, session.accessToken != stale.accessToken { return }
        if let inFlight = refreshInFlight {
            try await inFlight.value
            return
        }
        let task = Task { _ = try await self.refreshSession() }
        refreshInFlight = task
        defer { refreshInFlight = nil }
        try await task.value
    }

    /// A typed answer from `endpoint`: the path every member call takes (the token, the one
    /// refresh, decoding into `type`).
    func call<Value: Decodable & Sendable>(_ endpoint: Endpoint, as type: Value.Type) async throws -> APIResponse<Value> {
        try decode(type, from: try await perform(endpoint))
    }

    /// Checks the status, then decodes the body. 401, other 4xx/5xx, non-JSON bodies and
    /// malformed JSON each become their own ``NexudusError``.
    private func decode<Value: Decodable & Sendable>(_ type: Value.Type, from exchange: HTTPExchange) throws -> APIResponse<Value> {
        let response = exchange.response
        if response.status == 401 {
            guard let session else { throw NexudusError.notSignedIn(exchange) }
            let reason = session.refreshToken == nil ? "there is no refresh token to renew it" : "a renewed token was refused too"
            throw expired(reason, exchange)
        }
        guard response.isSuccess else {
            throw NexudusError.failedStatus(exchange)
        }
        return APIResponse(value: try ResponseText.decode(type, from: exchange), exchange: exchange)
    }

    /// The server no longer accepts the session: it ends here, as the error says ("sign in
    /// again"), so that nothing goes on showing or sending it.
    private func expired(_ reason: String, _ exchange: HTTPExchange) -> NexudusError {
        endSession()
        return .sessionExpired(reason: reason, exchange)
    }

    /// The token endpoint's answer: a grant, one of its documented errors, or (a 5xx, a 404, a
    /// web page) a sign-in that reached no working token endpoint.
    private func tokenGrant(from exchange: HTTPExchange, credentialsError: Bool) throws -> APIResponse<TokenGrant> {
        let response = exchange.response
        if response.status == 400 || response.status == 401,
            let failure = try? JSONDecoder().decode(TokenError.self, from: response.body), let code = failure.error
        {
            switch code {
            case "invalid_grant" where credentialsError:
                throw NexudusError.invalidCredentials(description: failure.errorDescription, exchange)
            case "two_factor_auth_check":
                throw NexudusError.twoFactorRequired(description: failure.errorDescription, exchange)
            case "must_reset_password":
                throw NexudusError.mustResetPassword(NexudusError.withoutDescription(exchange))
            case "unsupported_grant_type":
                throw NexudusError.unsupportedGrantType(description: failure.errorDescription, exchange)
            default:
                throw NexudusError.tokenRejected(error: code, description: failure.errorDescription, exchange)
            }
        }
        guard response.isSuccess else { throw NexudusError.signInFailed(exchange, portal: baseURL) }
        let grant: TokenGrant
        do {
            grant = try ResponseText.decode(TokenGrant.self, from: exchange)
        } catch NexudusError.notJSON {
            throw NexudusError.signInFailed(exchange, portal: baseURL)
        }
        guard let token = grant.accessToken, !token.isEmpty else {
            throw NexudusError.undecodable(type: "token answer", detail: "it has no access_token", exchange)
        }
        return APIResponse(value: grant, exchange: exchange)
    }
}

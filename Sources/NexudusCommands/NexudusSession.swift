import Foundation
import HTTPCassette
import HTTPValues
import JSONValues
import NexudusAPI
import ShellCore
import Synchronization

/// What the Nexudus commands of one session share: the server, the client and its sign-in,
/// the cassette in use, and the secrets that must never be written.
public final class NexudusSession: Sendable {
    /// A cassette in use, with the file and mode for `cassette` to report.
    public struct ActiveCassette: Sendable {
        public let file: URL
        public let transport: CassetteTransport
    }

    struct State {
        var client: NexudusClient
        var cassette: ActiveCassette?
        var password: String?
        /// The built-in sandbox's passwords by lower-cased e-mail address, while the session talks
        /// to it; empty for any other server.
        var sandboxPasswords: [String: String]
        /// Every password and token the session has held, for scrubbing what it writes after
        /// they are gone (a report of a run that signed out).
        var secretsHeld: [String] = []
    }

    /// The network: the live transport every request ends at unless a cassette answers.
    public let live: any HTTPTransport
    /// `--allow-http`: plain http:// to a host other than loopback is allowed.
    public let allowsPlainHTTP: Bool
    public let maximumBodySize: Int
    private let transport: SessionTransport
    private let state: Mutex<State>

    /// `baseURL`: the portal (the sandbox, or `https://yourspace.spaces.nexudus.com`);
    /// `authenticationBaseURL`: where `/api/token` is, when elsewhere.
    /// What the session sent and received, when asked for (`keepsExchanges`): for bundles,
    /// reports and drift checks. Off by default, since redacting every exchange costs time.
    public let exchanges: ExchangeLog?

    /// `maximumBodySize`: what a compressed body may inflate to in a cassette or the exchange log
    /// (`--max-body-size`). `sandboxPasswords`: when `baseURL` is the built-in sandbox, its
    /// accounts' passwords by e-mail address, which it publishes; a `login --password-env VAR`
    /// whose variable is not set uses them, so that the bundled scripts run as written there.
    public init(
        baseURL: URL, authenticationBaseURL: URL? = nil, live: any HTTPTransport, allowsPlainHTTP: Bool = false,
        keepsExchanges: Bool = false, maximumBodySize: Int = HTTPResponse.standardMaximumBodySize,
        sandboxPasswords: [String: String] = [:]
    ) {
        self.live = live
        self.allowsPlainHTTP = allowsPlainHTTP
        self.maximumBodySize = maximumBodySize
        let exchanges = keepsExchanges
            ? ExchangeLog(redaction: RedactionRules.standard.adding(Self.redaction), maximumBodySize: maximumBodySize) : nil
        self.exchanges = exchanges
        transport = SessionTransport(live, log: exchanges)
        state = Mutex(State(
            client: NexudusClient(baseURL: baseURL, authenticationBaseURL: authenticationBaseURL, transport: transport),
            sandboxPasswords: Dictionary(sandboxPasswords.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        ))
        exchanges?.searchForSecrets { [weak self] in self?.knownSecrets() ?? [] }
        rememberSecretsOfEndedSessions(client)
    }

    public var client: NexudusClient { state.withLock { $0.client } }
    public var baseURL: URL { client.baseURL }

    /// Talks to another server from now on; the sign-in does not carry over, and neither do the
    /// sandbox's passwords.
    public func changeServer(to url: URL) {
        _ = knownSecrets()
        let client = NexudusClient(baseURL: url, transport: transport)
        rememberSecretsOfEndedSessions(client)
        state.withLock { state in
            state.client = client
            state.sandboxPasswords = [:]
        }
    }

    /// A session that ends (a logout, or one the server stopped accepting) leaves its tokens
    /// among those the session's files must never hold.
    private func rememberSecretsOfEndedSessions(_ client: NexudusClient) {
        client.whenSessionEnds { [weak self] ended in self?.hold(Self.secrets(of: ended)) }
    }

    /// The built-in sandbox's password for `email`, while the session talks to the sandbox.
    func sandboxPassword(for email: String) -> String? {
        state.withLock { $0.sandboxPasswords[email.lowercased()] }
    }

    /// What the session talks to, for a person: the server's URL or, while a cassette replays,
    /// the server the answers were recorded from and that none is contacted.
    /// `http://127.0.0.1:47301, as recorded (replaying: no server is contacted)`.
    public var serverDescription: String {
        guard let cassette, cassette.transport.mode == .replay else { return baseURL.absoluteString }
        return (cassette.transport.recordedOrigin.map { "\($0.absoluteString), as recorded" } ?? "none")
            + " (replaying: no server is contacted)"
    }

    /// Where a replay session stands until its cassette says where it was recorded.
    public static let notYetKnownServer = URL(string: "http://localhost")!

    /// `replaying /x/c.har, recorded from http://127.0.0.1:47301 (no server is contacted)`.
    public static func replayDescription(_ cassette: CassetteTransport) -> String {
        let recorded = cassette.recordedOrigin.map { ", recorded from \($0.absoluteString)" } ?? ""
        return "replaying \(cassette.file.path)\(recorded) (no server is contacted)"
    }

    func rememberPassword(_ password: String?) {
        state.withLock { $0.password = password }
    }

    // MARK: Cassettes

    public var cassette: ActiveCassette? { state.withLock { $0.cassette } }

    /// Routes requests through a cassette from now on.
    public func insertCassette(file: URL, mode: RecordMode, options: CassetteOptions = .init()) throws -> ActiveCassette {
        var options = options
        options.redaction = options.redaction.adding(Self.redaction)
        options.knownSecrets = { [weak self] in self?.knownSecrets() ?? [] }
        options.maximumBodySize = maximumBodySize
        let cassette = try CassetteTransport(file: file, mode: mode, upstream: live, options: options)
        let active = ActiveCassette(file: file, transport: cassette)
        state.withLock { $0.cassette = active }
        transport.use(cassette)
        return active
    }

    /// Back to the network alone; the cassette's summary says what it did.
    public func ejectCassette() throws -> CassetteSummary? {
        guard let active = state.withLock({ state -> ActiveCassette? in
            defer { state.cassette = nil }
            return state.cassette
        }) else { return nil }
        transport.use(live)
        return try active.transport.finish()
    }

    /// Nexudus answers carry the bearer token in the profiles body (`User.AccessToken`).
    public static let redaction = RedactionRules(jsonPaths: [try! JSONPath("User.AccessToken")])

    /// The values no file may contain: the session's tokens and the password used.
    func knownSecrets() -> [KnownSecret] {
        var secrets: [KnownSecret] = []
        let (client, password) = state.withLock { ($0.client, $0.password) }
        if let password { secrets.append(KnownSecret(value: password, description: "the password", placeholderName: "password")) }
        if let session = client.session { secrets += Self.secrets(of: session) }
        return hold(secrets)
    }

    private static func secrets(of session: NexudusClient.Session) -> [KnownSecret] {
        var secrets = [KnownSecret(value: session.accessToken, description: "the session's access token", placeholderName: "access_token")]
        if let refresh = session.refreshToken {
            secrets.append(KnownSecret(value: refresh, description: "the session's refresh token", placeholderName: "refresh_token"))
        }
        return secrets
    }

    /// Remembers the real secrets among `secrets` (not placeholders, long enough to search for)
    /// for as long as the session lasts; returns them.
    @discardableResult
    private func hold(_ secrets: [KnownSecret]) -> [KnownSecret] {
        let found = secrets.filter { !RedactionRules.isPlaceholder($0.value) && $0.value.count >= Redactor.minimumSearchedLength }
        state.withLock { state in
            for secret in found where !state.secretsHeld.contains(secret.value) { state.secretsHeld.append(secret.value) }
        }
        return found
    }

    /// Every password and token the session has held, including those it no longer has.
    public var secretValues: [String] {
        let current = knownSecrets().map(\.value)
        return state.withLock { state in state.secretsHeld + current.filter { !state.secretsHeld.contains($0) } }
    }
}

/// The transport the client holds for the whole session; what is behind it (the network, a
/// cassette) changes with `record`, `replay` and `cassette eject`.
final class SessionTransport: HTTPTransport {
    /// Decided when the transport changes, not on every request.
    private enum Route {
        case send(any HTTPTransport)
        /// A drift check: the live answer, compared with the recording.
        case verify(CassetteTransport)
    }

    private let current: Mutex<Route>
    private let log: ExchangeLog?

    init(_ initial: any HTTPTransport, log: ExchangeLog?) {
        current = Mutex(.send(initial))
        self.log = log
    }

    func use(_ transport: any HTTPTransport) {
        current.withLock { $0 = .send(transport) }
    }

    func use(_ cassette: CassetteTransport) {
        current.withLock { $0 = cassette.mode == .verify ? .verify(cassette) : .send(cassette) }
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        switch current.withLock({ $0 }) {
        case .verify(let cassette):
            let (response, drift) = try await cassette.verify(request)
            log?.append(request, response, drift: drift)
            return response
        case .send(let transport):
            let response = try await transport.send(request)
            log?.append(request, response, drift: nil)
            return response
        }
    }
}

/// The exchanges of a session, redacted as a cassette would hold them, each with how it
/// compared with the recording in a drift check.
public final class ExchangeLog: Sendable {
    public struct Item: Sendable {
        public let entry: HAR.Entry
        public let drift: DriftReport?
    }

    private struct State {
        var items: [Item] = []
        var redactor: Redactor
    }

    private let state: Mutex<State>
    /// The session's token and password, searched for in every exchange besides the rules.
    private let knownSecrets = Mutex<@Sendable () -> [KnownSecret]>({ [] })

    private let maximumBodySize: Int

    init(redaction: RedactionRules, maximumBodySize: Int) {
        state = Mutex(State(redactor: Redactor(rules: redaction)))
        self.maximumBodySize = maximumBodySize
    }

    func searchForSecrets(_ secrets: @escaping @Sendable () -> [KnownSecret]) {
        knownSecrets.withLock { $0 = secrets }
    }

    func append(_ request: HTTPRequest, _ response: HTTPResponse, drift: DriftReport?) {
        let secrets = knownSecrets.withLock { $0 }()
        state.withLock { state in
            for secret in secrets { state.redactor.learn(secret) }
            state.items.append(Item(entry: state.redactor.redact(HAR.Entry(request: request, response: response, maximumBodySize: maximumBodySize)), drift: drift))
        }
    }

    public var count: Int { state.withLock { $0.items.count } }
    public var items: [Item] { state.withLock { $0.items } }
}

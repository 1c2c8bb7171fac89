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
        var password: String?
        /// The built-in sandbox's passwords by lower-cased e-mail address, while the session talks
        /// to it; empty for any other server.
        var sandboxPasswords: [String: String]
        /// Every password and token the session has held, for scrubbing what it writes after
        /// they are gone (a report of a run that signed out).
        var secretsHeld: [String] = []
        /// Whether sign-ins are kept between runs, and where (``SavedSessions``).
        var keeping = SessionKeeping.notKept(reason: "this session keeps no sign-in")
    }

    /// `--allow-http`: plain http:// to a host other than loopback is allowed.
    public let allowsPlainHTTP: Bool
    /// `--auth-server`: where `/api/token` goes when not to the portal itself. It stays when the
    /// `server` command changes the portal, as the command line said it.
    public let authenticationBaseURL: URL?
    public let maximumBodySize: Int
    /// What the client sends through: the network, or a cassette that answers, records or
    /// checks; the one place that knows which.
    private let slot: CassetteSlot
    let state: Mutex<State>

    /// What the session sent and received, when asked for (`keepsExchanges`): for bundles,
    /// reports and drift checks. Off by default, since redacting every exchange costs time.
    public let exchanges: ExchangeLog?

    /// The ids this session's answers have shown, for completing placeholders: watched only
    /// where a person completes (``watchIdsForCompletion()``), since reading them parses every
    /// answer, which a script's replay of ten thousand requests would pay for nothing.
    let seenIds = SeenIds()

    /// `baseURL`: the portal (the sandbox, or `https://yourspace.spaces.nexudus.com`);
    /// `authenticationBaseURL`: where `/api/token` is, when elsewhere. `live`: the network,
    /// which the slot asks only when no cassette answers.
    /// `maximumBodySize`: what a compressed body may inflate to in a cassette or the exchange log
    /// (`--max-body-size`). `sandboxPasswords`: when `baseURL` is the built-in sandbox, its
    /// accounts' passwords by e-mail address, which it publishes; a `login --password-env VAR`
    /// whose variable is not set uses them, so that the bundled scripts run as written there.
    public init(
        baseURL: URL, authenticationBaseURL: URL? = nil, live: any HTTPTransport, allowsPlainHTTP: Bool = false,
        keepsExchanges: Bool = false, maximumBodySize: Int = HTTPResponse.standardMaximumBodySize,
        sandboxPasswords: [String: String] = [:]
    ) {
        self.allowsPlainHTTP = allowsPlainHTTP
        self.authenticationBaseURL = authenticationBaseURL
        self.maximumBodySize = maximumBodySize
        let exchanges = keepsExchanges
            ? ExchangeLog(redaction: RedactionRules.standard.adding(Self.redaction), maximumBodySize: maximumBodySize) : nil
        self.exchanges = exchanges
        slot = CassetteSlot(network: live, observers: exchanges.map { [$0] } ?? [])
        slot.addObserver(VerboseExchanges())
        state = Mutex(State(
            client: NexudusClient(baseURL: baseURL, authenticationBaseURL: authenticationBaseURL, userAgent: Self.userAgent, transport: slot),
            sandboxPasswords: Dictionary(sandboxPasswords.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        ))
        exchanges?.searchForSecrets { [weak self] in self?.knownSecrets() ?? [] }
        observeSessions(of: client)
    }

    public var client: NexudusClient { state.withLock { $0.client } }
    public var baseURL: URL { client.baseURL }

    /// Talks to another server from now on; the sign-in does not carry over, and neither do the
    /// sandbox's passwords.
    public func changeServer(to url: URL) {
        _ = knownSecrets()
        let client = NexudusClient(baseURL: url, authenticationBaseURL: authenticationBaseURL, userAgent: Self.userAgent, transport: slot)
        observeSessions(of: client)
        state.withLock { state in
            state.client = client
            state.sandboxPasswords = [:]
        }
    }

    /// A session that ends (a logout, or one the server stopped accepting) leaves its tokens
    /// among those the session's files must never hold; a saved one is forgotten, and a renewed
    /// one saved again (``savedSessionEnded(_:on:)``, ``savedSessionRenewed(_:on:)``).
    private func observeSessions(of client: NexudusClient) {
        let server = client.baseURL
        client.whenSessionEnds { [weak self] ended in
            self?.hold(Self.secrets(of: ended))
            self?.savedSessionEnded(ended, on: server)
        }
        client.whenSessionRenews { [weak self] renewed in self?.savedSessionRenewed(renewed, on: server) }
    }

    /// The built-in sandbox's password for `email`, while the session talks to the sandbox.
    func sandboxPassword(for email: String) -> String? {
        state.withLock { $0.sandboxPasswords[email.lowercased()] }
    }

    /// What the session talks to, for a person: the server's URL or, while a cassette replays,
    /// the server the answers were recorded from and that none is contacted.
    /// `http://127.0.0.1:47301, as recorded (replaying: no server is contacted)`.
    public var serverDescription: String {
        guard isReplaying, let cassette = slot.cassette else {
            return baseURL.absoluteString + (authenticationBaseURL.map { " (signing in at \($0.absoluteString))" } ?? "")
        }
        return (cassette.recordedOrigin.map { "\($0.absoluteString), as recorded" } ?? "none")
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

    public var cassette: ActiveCassette? { slot.cassette.map { ActiveCassette(file: $0.file, transport: $0) } }

    /// Every answer comes from a cassette: the shell's commands ask (`sleep`, `login`).
    public var isReplaying: Bool { slot.isReplaying }

    /// Whether a request sent now may reach the network.
    public var needsNetwork: Bool { slot.needsNetwork }

    /// Routes requests through a cassette from now on.
    public func insertCassette(file: URL, mode: RecordMode, options: CassetteOptions = .init()) throws(CassetteError) -> ActiveCassette {
        var options = options
        options.redaction = options.redaction.adding(Self.redaction)
        options.knownSecrets = { [weak self] in self?.knownSecrets() ?? [] }
        options.maximumBodySize = maximumBodySize
        return ActiveCassette(file: file, transport: try slot.insert(file: file, mode: mode, options: options))
    }

    /// Back to the network alone; the cassette's summary says what it did.
    public func ejectCassette() throws -> CassetteSummary? {
        try slot.eject()
    }

    /// What every request says it comes from.
    static let userAgent = "nexsh/\(NexshVersion.current)"

    /// Nexudus answers carry the bearer token in the profiles body (`User.AccessToken`), and a
    /// `must_reset_password` answer may carry a password-reset token as its `error_description`
    /// (whichever order its members come in).
    public static let redaction = RedactionRules(
        jsonPaths: [try! JSONPath("User.AccessToken")],
        patterns: [
            .init(
                name: "reset_token", builtIn: #""must_reset_password"[^{}]*?"error_description"\s*:\s*"((?:[^"\\]|\\.)*)""#,
                onlyInTextsHolding: ["must_reset_password"]
            ),
            .init(
                name: "reset_token", builtIn: #""error_description"\s*:\s*"((?:[^"\\]|\\.)*)"[^{}]*?"must_reset_password""#,
                onlyInTextsHolding: ["must_reset_password"]
            ),
        ]
    )

    /// The values no file may contain: the session's tokens and the password used.
    func knownSecrets() -> [KnownSecret] {
        var secrets: [KnownSecret] = []
        let (client, password) = state.withLock { ($0.client, $0.password) }
        if let password { secrets.append(KnownSecret(value: password, description: "the password", placeholderName: "password")) }
        if let session = client.session { secrets += Self.secrets(of: session) }
        return hold(secrets)
    }

    static func secrets(of session: NexudusClient.Session) -> [KnownSecret] {
        var secrets = [KnownSecret(value: session.accessToken, description: "the session's access token", placeholderName: "access_token")]
        if let refresh = session.refreshToken {
            secrets.append(KnownSecret(value: refresh, description: "the session's refresh token", placeholderName: "refresh_token"))
        }
        return secrets
    }

    /// Remembers the real secrets among `secrets` (not placeholders, long enough to search for)
    /// for as long as the session lasts; returns them.
    @discardableResult
    func hold(_ secrets: [KnownSecret]) -> [KnownSecret] {
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

extension NexudusSession: RequestRedacting {
    /// By the rules its cassettes are written with, and every secret it has held (a request
    /// sent before a logout carries a token the session no longer has).
    public func redacted(_ request: HTTPRequest) throws -> HTTPRequest {
        var redactor = Redactor(rules: RedactionRules.standard.adding(Self.redaction))
        for secret in knownSecrets() { redactor.learn(secret) }
        for value in secretValues { redactor.learn(value, name: "secret") }
        return try redactor.redact(request)
    }
}

extension NexudusSession {
    /// From now on, the ids of each answer are kept for completing a path's `{placeholder}`.
    public func watchIdsForCompletion() {
        slot.addObserver(seenIds)
    }
}

/// Shows each exchange of a verbose command (``VerboseView``), replayed or live, as it completes.
private struct VerboseExchanges: CassetteObserver {
    func observe(_ event: CassetteEvent) {
        VerboseView.show(event.request, event.response)
    }
}

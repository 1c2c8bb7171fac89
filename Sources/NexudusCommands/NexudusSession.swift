import Foundation
import HTTPCassette
import JSONValues
import NexudusAPI
import ShellCore
import Synchronization
import Transport

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
    }

    /// The network: the live transport every request ends at unless a cassette answers.
    public let live: any HTTPTransport
    /// `--allow-http`: plain http:// to a host other than loopback is allowed.
    public let allowsPlainHTTP: Bool
    private let transport: SessionTransport
    private let state: Mutex<State>

    /// `baseURL`: the portal (the sandbox, or `https://yourspace.spaces.nexudus.com`);
    /// `authenticationBaseURL`: where `/api/token` is, when elsewhere.
    public init(baseURL: URL, authenticationBaseURL: URL? = nil, live: any HTTPTransport, allowsPlainHTTP: Bool = false) {
        self.live = live
        self.allowsPlainHTTP = allowsPlainHTTP
        transport = SessionTransport(live)
        state = Mutex(State(client: NexudusClient(baseURL: baseURL, authenticationBaseURL: authenticationBaseURL, transport: transport)))
    }

    public var client: NexudusClient { state.withLock { $0.client } }
    public var baseURL: URL { client.baseURL }

    /// Talks to another server from now on; the sign-in does not carry over.
    public func changeServer(to url: URL) {
        state.withLock { $0.client = NexudusClient(baseURL: url, transport: transport) }
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

    /// The values no cassette may contain: the session's tokens and the password used.
    func knownSecrets() -> [KnownSecret] {
        var secrets: [KnownSecret] = []
        let (client, password) = state.withLock { ($0.client, $0.password) }
        if let password { secrets.append(KnownSecret(value: password, description: "the password")) }
        if let session = client.session {
            secrets.append(KnownSecret(value: session.accessToken, description: "the session's access token"))
            if let refresh = session.refreshToken {
                secrets.append(KnownSecret(value: refresh, description: "the session's refresh token"))
            }
        }
        return secrets.filter { !RedactionRules.isPlaceholder($0.value) && $0.value.count >= Redactor.minimumSearchedLength }
    }
}

/// The transport the client holds for the whole session; what is behind it (the network, a
/// cassette) changes with `record`, `replay` and `cassette eject`.
final class SessionTransport: HTTPTransport {
    private let current: Mutex<any HTTPTransport>

    init(_ initial: any HTTPTransport) {
        current = Mutex(initial)
    }

    func use(_ transport: any HTTPTransport) {
        current.withLock { $0 = transport }
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transport = current.withLock { $0 }
        return try await transport.send(request)
    }
}

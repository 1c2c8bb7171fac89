import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// The built-in Nexudus simulator: a real HTTP server, in-process, on loopback by default.
public struct SandboxServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        /// 0 picks a free port; the chosen one is reported once the server listens.
        public var port: Int
        /// How long access tokens live (`expires_in`); the Nexudus default is 604799 s.
        public var tokenLifetime: Duration
        /// Faults applied to a share of all requests; `X-Sandbox-Fault` works regardless.
        public var faultPlan: SandboxFaultPlan?
        /// Answers 409 with `Retry-After` beyond this rate, as Nexudus throttles.
        public var throttle: SandboxRate?
        /// Called with each request served, and what the sandbox answered, when set.
        public var requestLog: (@Sendable (SandboxRequestRecord) -> Void)?
        /// Which release of the API the data look like: drift checks run against `.revised`.
        public var revision: SandboxRevision

        public init(
            host: String = "127.0.0.1",
            port: Int = 0,
            tokenLifetime: Duration = .seconds(604_799),
            faultPlan: SandboxFaultPlan? = nil,
            throttle: SandboxRate? = nil,
            requestLog: (@Sendable (SandboxRequestRecord) -> Void)? = nil,
            revision: SandboxRevision = .documented
        ) {
            self.revision = revision
            self.host = host
            self.port = port
            self.tokenLifetime = tokenLifetime
            self.faultPlan = faultPlan
            self.throttle = throttle
            self.requestLog = requestLog
        }
    }

    public let configuration: Configuration
    public let state: SandboxState

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        var fixtures = Fixtures.standard
        fixtures.revision = configuration.revision
        state = SandboxState(fixtures: fixtures, tokenLifetime: configuration.tokenLifetime)
    }

    /// The routes and middleware, without a socket: for `HummingbirdTesting`'s `.router` mode.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self, options: .caseInsensitive)
        if let log = configuration.requestLog {
            router.middlewares.add(RequestLogMiddleware(log: log))
        }
        // Throttling comes before faults: a refused request never reaches the rest.
        if let rate = configuration.throttle {
            router.middlewares.add(ThrottleMiddleware(rate: rate))
        }
        router.middlewares.add(FaultMiddleware(plan: configuration.faultPlan))
        router.middlewares.add(WebPageMiddleware())
        SandboxRoutes(state: state).register(on: router)
        return router
    }

    /// The Hummingbird application, for callers that run it themselves.
    public func makeApplication(
        logger: Logger = SandboxServer.quietLogger,
        onServerRunning: @escaping @Sendable (URL) async -> Void = { _ in }
    ) -> some ApplicationProtocol & Service {
        Application.loopback(
            router: makeRouter(),
            server: .http1(additionalChannelHandlers: [DropConnectionHandler()]),
            host: configuration.host,
            port: configuration.port,
            logger: logger,
            onServerRunning: onServerRunning
        )
    }

    /// Serves until one of `shutdownSignals` arrives (or the task is cancelled), then stops
    /// gracefully. `onReady` receives the base URL once the socket listens.
    public func run(
        shutdownSignals: [UnixSignal] = [.sigterm, .sigint],
        logger: Logger = SandboxServer.quietLogger,
        onReady: @escaping @Sendable (URL) async -> Void
    ) async throws {
        let group = ServiceGroup(configuration: .init(
            services: [makeApplication(logger: logger, onServerRunning: onReady)],
            gracefulShutdownSignals: shutdownSignals,
            cancellationSignals: [],
            logger: logger
        ))
        do {
            try await group.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw SandboxStartError(description: "cannot listen on \(configuration.host):\(configuration.port): the port is already in use")
        } catch let error as IOError where error.errnoCode == EADDRNOTAVAIL {
            throw SandboxStartError(description: "cannot listen on \(configuration.host): no such local address")
        }
    }

    public static var quietLogger: Logger {
        var logger = Logger(label: "nexsh.sandbox")
        logger.logLevel = .critical
        return logger
    }
}

/// The sandbox's data as the documentation shows them, or as a later release of the API might
/// answer: the business renamed (value drift), and profiles with a new `PortalTheme` member and
/// without `VirtualOfficePaused` (schema drift).
public enum SandboxRevision: String, Sendable, CaseIterable {
    case documented
    case revised
}

/// A sandbox that is listening, handed to the body of ``withSandbox(_:_:)``.
public struct RunningSandbox: Sendable {
    public let baseURL: URL
    public let state: SandboxState
}

public struct SandboxStartError: Error, CustomStringConvertible {
    public let description: String
}

/// Starts a sandbox, runs `body` with its address, and stops the sandbox gracefully when
/// `body` returns or throws. Several can run at once, each on its own port.
public func withSandbox<Result: Sendable>(
    _ configuration: SandboxServer.Configuration = .init(),
    _ body: @Sendable (RunningSandbox) async throws -> Result
) async throws -> Result {
    let server = SandboxServer(configuration: configuration)
    return try await withLoopbackServer(
        { onRunning in server.makeApplication(onServerRunning: onRunning) },
        description: "\(configuration.host):\(configuration.port)"
    ) { baseURL in
        try await body(RunningSandbox(baseURL: baseURL, state: server.state))
    }
}

/// Runs the application `make` builds until `body` returns or throws, then shuts it down
/// gracefully. `make` receives the callback to hand to the application's `onServerRunning`.
/// Also used by test support for small purpose-built servers.
public func withLoopbackServer<Result: Sendable, App: Service>(
    _ make: (@escaping @Sendable (URL) async -> Void) -> App,
    description: String = "loopback",
    _ body: @Sendable (URL) async throws -> Result
) async throws -> Result {
    let (addresses, continuation) = AsyncStream<URL>.makeStream()
    let group = ServiceGroup(configuration: .init(
        services: [make { url in continuation.yield(url) }],
        gracefulShutdownSignals: [],
        cancellationSignals: [],
        logger: SandboxServer.quietLogger
    ))

    return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { tasks in
        tasks.addTask {
            // Finishing the stream on every exit keeps a failed bind from hanging the caller.
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = addresses.makeAsyncIterator()
        guard let baseURL = await iterator.next() else {
            try await tasks.next()
            throw SandboxStartError(description: "the server stopped before it listened on \(description)")
        }
        let result: Result
        do {
            result = try await body(baseURL)
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
    }
}

extension SandboxServer {
    /// What robin.vale@example.com's `must_reset_password` answer carries as its
    /// `error_description`, standing for the reset token the real service may put there.
    public static let fakeResetToken = "reset-token-RV45-never-shown-9f3c1a7e"

    /// The accounts a person can sign in with, for banners and the README.
    public struct SignInDetails: Sendable {
        public let email: String
        public let password: String
        /// The code to send as `totp`, for the account with two-factor authentication on.
        public let totpCode: String?
        /// `101 Jane Doe (active), 102 Acme Design Co.`
        public let profiles: String
        /// What sign-in answers instead of tokens, for the accounts that test its errors
        /// (`must_reset_password`, `500`).
        public let refusal: String?
    }

    /// Each account's password by e-mail address: a session on the built-in sandbox signs in
    /// with these when a script's password variable is not set.
    public static var passwordsByEmail: [String: String] {
        Dictionary(Fixtures.standard.accounts.map { ($0.email, $0.password) }, uniquingKeysWith: { first, _ in first })
    }

    public static var signInDetails: [SignInDetails] {
        let fixtures = Fixtures.standard
        return fixtures.accounts.map { account in
            let profiles = account.profileIds.compactMap(fixtures.profile).map { profile in
                "\(profile.id) \(profile.fullName)\(profile.active ? "" : " (inactive)")"
            }
            let refusal: String? = switch account.signInRefusal {
            case .mustResetPassword: "must_reset_password"
            case .serverError: "HTTP 500"
            case nil: nil
            }
            return SignInDetails(
                email: account.email, password: account.password, totpCode: account.totpCode,
                profiles: profiles.joined(separator: ", "), refusal: refusal
            )
        }
    }
}

extension Application where Responder == RouterResponder<BasicRequestContext> {
    /// An application on `host:port` that reports its base URL (`http://127.0.0.1:PORT`) once it listens.
    public static func loopback(
        router: Router<BasicRequestContext>,
        server: HTTPServerBuilder = .http1(),
        host: String = "127.0.0.1",
        port: Int = 0,
        logger: Logger = SandboxServer.quietLogger,
        onServerRunning: @escaping @Sendable (URL) async -> Void
    ) -> Self {
        Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let shownHost = host.contains(":") ? "[\(host)]" : host
                await onServerRunning(URL(string: "http://\(shownHost):\(port)")!)
            },
            logger: logger
        )
    }
}

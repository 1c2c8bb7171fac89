import Foundation
import HTTPValues
import NexudusAPI
import Sandbox

/// The sandbox served inside the test process: its routes and middleware (faults, request log)
/// answer through ``transport`` at ``baseURL``, with no socket. Tests of a socket's behaviour
/// (timeouts, dropped connections as the network shows them, TLS) use `withSandbox` on loopback.
public struct InProcessSandbox: Sendable {
    public let state: SandboxState
    public let transport: InProcessTransport

    public init(_ configuration: SandboxServer.Configuration = .init()) {
        let server = SandboxServer(configuration: configuration)
        state = server.state
        transport = InProcessTransport(router: server.makeRouter(), droppingConnectionOn: SandboxServer.dropConnectionMarker)
    }

    public var baseURL: URL { transport.baseURL }
}

/// What a client test needs: a sandbox, a client on it, and the requests it sent.
public struct SandboxSession: Sendable {
    public let sandbox: InProcessSandbox
    public let client: NexudusClient
    public let transport: ObservingTransport

    public var baseURL: URL { sandbox.baseURL }
}

/// Runs `body` with a client on an in-process sandbox; `headers` go on every request (e.g.
/// `X-Sandbox-Fault` to inject faults).
public func withSandboxClient<Result: Sendable>(
    sandbox configuration: SandboxServer.Configuration = .init(),
    addingHeaders headers: HTTPHeaders = [],
    _ body: @Sendable (SandboxSession) async throws -> Result
) async throws -> Result {
    let sandbox = InProcessSandbox(configuration)
    let transport = ObservingTransport(wrapping: sandbox.transport, addingHeaders: headers)
    let client = NexudusClient(baseURL: sandbox.baseURL, transport: transport)
    return try await body(SandboxSession(sandbox: sandbox, client: client, transport: transport))
}

/// The sandbox's documented sign-in details, so tests do not repeat literals.
public enum SandboxAccounts {
    public static let jane = (email: "jane.doe@example.com", password: "correct-horse")
    public static let sam = (email: "sam.roe@example.com", password: "battery-staple")
    public static let alex = (email: "alex.kim@example.com", password: "tr0ub4dor-3", totp: "123456")
}

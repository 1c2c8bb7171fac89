import Foundation
import HTTPValues
import NexudusAPI
import Sandbox
import Transport

/// What a client test needs: a running sandbox, a client on it, and the requests it sent.
public struct SandboxSession: Sendable {
    public let sandbox: RunningSandbox
    public let client: NexudusClient
    public let transport: ObservingTransport

    public var baseURL: URL { sandbox.baseURL }
}

/// Starts a sandbox on port 0, builds a live transport and a client for it, runs `body`, then
/// shuts both down whatever happens.
public func withSandboxClient<Result: Sendable>(
    sandbox configuration: SandboxServer.Configuration = .init(),
    transport transportConfiguration: LiveTransport.Configuration = .init(readTimeout: .seconds(10)),
    addingHeaders headers: HTTPHeaders = [],
    _ body: @Sendable (SandboxSession) async throws -> Result
) async throws -> Result {
    try await withSandbox(configuration) { sandbox in
        try await withLiveTransport(configuration: transportConfiguration) { live in
            let transport = ObservingTransport(wrapping: live, addingHeaders: headers)
            let client = NexudusClient(baseURL: sandbox.baseURL, transport: transport)
            return try await body(SandboxSession(sandbox: sandbox, client: client, transport: transport))
        }
    }
}

/// The sandbox's documented sign-in details, so tests do not repeat literals.
public enum SandboxAccounts {
    public static let jane = (email: "jane.doe@example.com", password: "correct-horse")
    public static let sam = (email: "sam.roe@example.com", password: "battery-staple")
    public static let alex = (email: "alex.kim@example.com", password: "tr0ub4dor-3", totp: "123456")
}

import HTTPValues
import Synchronization
import Transport

/// The live network, opened at the first request that reaches it: a session that only replays
/// never starts an HTTP client (its event-loop threads, its connection pool), yet one whose
/// script ejects the cassette still reaches the server.
final class LiveNetwork: HTTPTransport {
    /// Makes the live transport when it is first needed.
    typealias Opener = @Sendable (LiveTransport.Configuration) -> LiveTransport
    static let standardOpener: Opener = { LiveTransport(configuration: $0) }

    private let configuration: LiveTransport.Configuration
    private let open: Opener
    private let opened = Mutex<LiveTransport?>(nil)

    init(configuration: LiveTransport.Configuration, open: @escaping Opener = standardOpener) {
        self.configuration = configuration
        self.open = open
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let live = opened.withLock { opened in
            if let live = opened { return live }
            let live = open(configuration)
            opened = live
            return live
        }
        return try await live.send(request)
    }

    /// Closes the client, if one was opened.
    func close() async throws {
        try await opened.withLock { $0 }?.shutdown()
    }
}

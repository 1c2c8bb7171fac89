import HTTPValues
import Synchronization

/// Wraps a real transport and keeps every request it passed on, so a test can check which
/// requests a call made (and that none was made when none should be).
public final class ObservingTransport: HTTPTransport {
    private let inner: any HTTPTransport
    private let sent = Mutex<[HTTPRequest]>([])
    private let extraHeaders: HTTPHeaders

    /// `extraHeaders` are added to every request (e.g. `X-Sandbox-Fault` to inject faults).
    public init(wrapping inner: any HTTPTransport, addingHeaders extraHeaders: HTTPHeaders = []) {
        self.inner = inner
        self.extraHeaders = extraHeaders
    }

    public var requests: [HTTPRequest] { sent.withLock { $0 } }

    /// `GET /api/public/coworkers/profiles`, one per request, in order.
    public var requestLines: [String] {
        requests.map(\.label)
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var request = request
        for header in extraHeaders { request.headers.add(name: header.name, value: header.value) }
        sent.withLock { $0.append(request) }
        return try await inner.send(request)
    }
}

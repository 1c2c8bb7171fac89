import Foundation
import HTTPTypes
import HTTPValues
import Hummingbird
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypesHTTP1
import Sandbox

/// Serves a Hummingbird router inside the test process, as `HummingbirdTesting`'s router mode
/// does: each request goes to the router's responder, middleware included, and its answer comes
/// back as status, headers and body bytes. No socket, no port, nothing to shut down.
///
/// Heads cross the same HTTP/1 conversions the loopback server applies (a Host header becomes
/// the authority, a known status gets HTTP/1's reason phrase), and the client's and the server's
/// additions are made here too: Host and Content-Length on the request, Date on the answer, a 500
/// for an error no handler turned into an answer. Only `baseURL`'s origin is served; nothing else
/// listens in this process, so a request to another origin is refused as a closed port refuses
/// it. There is no timeout: what must time out is tested against the live transport.
public struct InProcessTransport: HTTPTransport {
    /// Loopback, so plain `http://` needs no allowing (as for the sandbox on a port); port 0,
    /// since none is bound.
    public static let standardBaseURL = URL(string: "http://127.0.0.1:0")!

    public let baseURL: URL
    private let responder: RouterResponder<BasicRequestContext>
    private let dropMarker: HTTPField.Name?

    /// `droppingConnectionOn`: a header by which the router asks for the connection to be closed
    /// instead of answered; such an answer fails the request, as the closed connection would.
    public init(
        router: Router<BasicRequestContext>, baseURL: URL = InProcessTransport.standardBaseURL,
        droppingConnectionOn dropMarker: HTTPField.Name? = nil
    ) {
        self.baseURL = baseURL
        self.responder = router.buildResponder()
        self.dropMarker = dropMarker
    }

    public func send(_ request: HTTPValues.HTTPRequest) async throws -> HTTPValues.HTTPResponse {
        guard request.url.isAbsoluteHTTP else { throw TransportError.invalidURL(request.url.absoluteString) }
        guard request.origin == baseURL.origin else { throw TransportError.connectionRefused(origin: request.origin) }
        let head: HTTPTypes.HTTPRequest
        do {
            head = try HTTPTypes.HTTPRequest(Self.wireHead(of: request), secure: false, splitCookie: false)
        } catch {
            // The server closes a connection whose request head it cannot take.
            throw TransportError.connectionClosed(request: request.labelWithServer)
        }
        let incoming = Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: request.body)))
        let context = BasicRequestContext(source: .init(channel: NIOAsyncTestingChannel(), logger: SandboxServer.quietLogger))

        let clock = ContinuousClock()
        let startedAt = Date()
        let start = clock.now
        var response: Response
        do {
            response = try await responder.respond(to: incoming, context: context)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            response = Response(status: .internalServerError)
        }
        if let dropMarker, response.headers[dropMarker] != nil {
            throw TransportError.connectionClosed(request: request.labelWithServer)
        }
        response.headers[.date] = Self.httpDate(startedAt)
        let sent = HTTPResponseHead(response.head)
        let headArrived = clock.now
        let collector = BodyCollector()
        try await response.body.write(collector)
        let finished = clock.now
        return HTTPValues.HTTPResponse(
            status: Int(sent.status.code),
            reason: sent.status.reasonPhrase,
            headers: HTTPValues.HTTPHeaders(sent.headers.map { ($0.name, $0.value) }),
            body: Data(collector.bytes.readableBytesView),
            timings: HTTPTimings(startedAt: startedAt, wait: headArrived - start, receive: finished - headArrived)
        )
    }

    /// The HTTP/1 head the live transport would write: origin-form target with its
    /// percent-encoding kept, a Host header unless one was given, a Content-Length with a body.
    private static func wireHead(of request: HTTPValues.HTTPRequest) -> HTTPRequestHead {
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        let path = (components?.percentEncodedPath).flatMap { $0.isEmpty ? nil : $0 } ?? "/"
        let target = path + (components?.percentEncodedQuery.map { "?\($0)" } ?? "")
        var headers = NIOHTTP1.HTTPHeaders(request.headers.map { ($0.name, $0.value) })
        if !headers.contains(name: "Host") {
            headers.replaceOrAdd(name: "Host", value: request.url.port.map { "\(request.url.host ?? ""):\($0)" } ?? request.url.host ?? "")
        }
        if !request.body.isEmpty, !headers.contains(name: "Content-Length") {
            headers.add(name: "Content-Length", value: String(request.body.count))
        }
        return HTTPRequestHead(version: .http1_1, method: NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue), uri: target, headers: headers)
    }

    /// `Tue, 01 Dec 2026 03:18:43 GMT` (RFC 9110), as the server dates its answers.
    private static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}

/// Keeps the bytes of an answer's body as the responder writes them.
private final class BodyCollector: ResponseBodyWriter {
    private(set) var bytes = ByteBuffer()

    func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        bytes.writeBuffer(&buffer)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

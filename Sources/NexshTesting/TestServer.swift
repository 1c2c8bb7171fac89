import Foundation
import HTTPTypes
import Hummingbird
import Sandbox

/// A request as a ``TestRoute`` received it.
public struct ReceivedRequest: Sendable {
    public let method: String
    public let path: String
    /// Header lines in the order and case they arrived.
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]
}

/// What a ``TestRoute`` answers.
public struct CannedResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }
}

public struct TestRoute: Sendable {
    public let method: String
    public let path: String
    public let respond: @Sendable (ReceivedRequest) -> CannedResponse

    public init(_ method: String, _ path: String, respond: @escaping @Sendable (ReceivedRequest) -> CannedResponse) {
        self.method = method
        self.path = path
        self.respond = respond
    }
}

/// Runs a purpose-built HTTP server on loopback port 0 for the duration of `body`: for answers
/// the sandbox never gives (redirects, HTML, malformed JSON, echoes of what was received).
public func withTestServer<Result: Sendable>(
    _ routes: [TestRoute],
    _ body: @Sendable (URL) async throws -> Result
) async throws -> Result {
    let router = testRouter(routes)
    return try await withLoopbackServer({ onRunning in
        Application.loopback(router: router, onServerRunning: onRunning)
    }, body)
}

extension InProcessTransport {
    /// The purpose-built server of ``withTestServer(_:_:)``, served without a socket.
    public init(serving routes: [TestRoute]) {
        self.init(router: testRouter(routes))
    }
}

private func testRouter(_ routes: [TestRoute]) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    for route in routes {
        router.on(RouterPath(route.path), method: .init(route.method)!) { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 16 << 20)
            let received = ReceivedRequest(
                method: request.method.rawValue,
                path: request.uri.path,
                headers: request.headers.map { ($0.name.rawName, $0.value) },
                body: Array(bytes.readableBytesView)
            )
            let canned = route.respond(received)
            var fields = HTTPFields()
            for header in canned.headers {
                fields.append(HTTPField(name: HTTPField.Name(header.name)!, value: header.value))
            }
            return Response(
                status: .init(code: canned.status), headers: fields,
                body: .init(byteBuffer: ByteBuffer(bytes: canned.body))
            )
        }
    }
    return router
}

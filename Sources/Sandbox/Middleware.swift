import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import ServiceLifecycle
import Synchronization

/// Injects the fault named by the `X-Sandbox-Fault` header, or the configured random fault.
struct FaultMiddleware<Context: RequestContext>: RouterMiddleware {
    static var headerName: HTTPField.Name { HTTPField.Name("X-Sandbox-Fault")! }

    final class Dice: Sendable {
        private let generator: Mutex<SplitMix64>

        init(seed: UInt64) { generator = Mutex(SplitMix64(seed: seed)) }

        /// A number in [0, 1).
        func roll() -> Double {
            generator.withLock { Double($0.next() >> 11) / Double(1 << 53) }
        }
    }

    /// Requests seen per fault header, method and path, for `times=N`.
    final class Tally: Sendable {
        private let counts = Mutex<[String: Int]>([:])

        /// Counts one more request under `key`; returns the new count.
        func next(_ key: String) -> Int {
            counts.withLock { counts in
                counts[key, default: 0] += 1
                return counts[key]!
            }
        }
    }

    let plan: SandboxFaultPlan?
    let dice: Dice
    let tally = Tally()

    init(plan: SandboxFaultPlan?) {
        self.plan = plan
        dice = Dice(seed: plan?.seed ?? 0)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let fault: SandboxFault
        if let header = request.headers[Self.headerName] {
            do {
                fault = try SandboxFault(parsing: header)
            } catch {
                return .json(["Message": .string("X-Sandbox-Fault: \(error)")], status: .badRequest)
            }
            if let times = fault.headerLimit, tally.next("\(header) \(request.method) \(request.uri.path)") > times {
                return try await next(request, context)
            }
        } else if let plan, plan.rate > 0, dice.roll() < plan.rate {
            fault = plan.fault
        } else {
            return try await next(request, context)
        }

        if let latency = fault.latency {
            // A client that gave up does not end the handler; without this, stopping the
            // sandbox would wait out the whole latency.
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: latency) }
        }
        if fault.drop {
            return Response(status: .ok, headers: [DropConnectionHandler.marker: "1"])
        }
        if let wait = fault.throttle {
            return .throttled(retryAfter: wait)
        }
        if let code = fault.status {
            let reason = HTTPResponseStatus(statusCode: code).reasonPhrase
            if fault.emptyBody {
                return Response(status: HTTPResponse.Status(code: code, reasonPhrase: reason), headers: [.contentLength: "0"])
            }
            return .json(
                ["Message": .string("Fault injected by the sandbox: \(code) \(reason)")],
                status: HTTPResponse.Status(code: code, reasonPhrase: reason)
            )
        }
        return try await next(request, context)
    }
}

/// Closes the connection instead of sending an answer that carries the drop marker, so the
/// client sees a connection closed without a single byte of response, as when a server dies.
final class DropConnectionHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let marker = HTTPField.Name("X-Sandbox-Drop-Connection")!

    private var dropping = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head(let head) = unwrapOutboundIn(data), head.headerFields[Self.marker] != nil {
            dropping = true
            context.close(promise: nil)
        }
        guard !dropping else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        context.write(data, promise: promise)
    }
}

extension SandboxServer {
    /// The header on an answer the sandbox drops instead of sending. Over a socket the server
    /// closes the connection; whatever serves the router without one must fail the request.
    public static var dropConnectionMarker: HTTPField.Name { DropConnectionHandler.marker }
}

/// One record per request, for `nexsh sandbox`'s log and for tests that measure, from the
/// server's side, how a client paced and waited.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let log: @Sendable (SandboxRequestRecord) -> Void

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let received = ContinuousClock.now
        var record = SandboxRequestRecord(method: "\(request.method)", target: "\(request.uri)", received: received, answered: received, outcome: .failed(""))
        do {
            let response = try await next(request, context)
            record.answered = .now
            record.outcome = response.headers[DropConnectionHandler.marker] != nil
                ? .dropped : .answered(status: Int(response.status.code), retryAfter: response.headers[.retryAfter])
            log(record)
            return response
        } catch {
            record.answered = .now
            record.outcome = .failed("\(error)")
            log(record)
            throw error
        }
    }
}

/// A request the sandbox served, and what it did with it. Its description is the log line:
/// `GET /api/public/coworkers/profiles → 200 (3 ms)`.
public struct SandboxRequestRecord: Sendable, CustomStringConvertible {
    public enum Outcome: Sendable, Equatable {
        case answered(status: Int, retryAfter: String?)
        case dropped
        case failed(String)
    }

    public let method: String
    /// The path and query.
    public let target: String
    public let received: ContinuousClock.Instant
    public var answered: ContinuousClock.Instant
    public var outcome: Outcome

    public var status: Int? {
        if case .answered(let status, _) = outcome { status } else { nil }
    }

    public var description: String {
        let line = "\(method) \(target)"
        let milliseconds = (answered - received).components
        let elapsed = milliseconds.seconds * 1000 + milliseconds.attoseconds / 1_000_000_000_000_000
        switch outcome {
        case .answered(let status, nil): return "\(line) → \(status) (\(elapsed) ms)"
        case .answered(let status, let retryAfter?): return "\(line) → \(status), Retry-After: \(retryAfter) (\(elapsed) ms)"
        case .dropped: return "\(line) → connection dropped (\(elapsed) ms)"
        case .failed(let error): return "\(line) → failed: \(error)"
        }
    }
}

extension Response {
    static func json(_ value: JSON, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: value.serialized)))
    }
}

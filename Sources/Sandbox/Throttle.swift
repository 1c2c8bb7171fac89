import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// A rate limit for the sandbox: `120/min` (Nexudus documents 120 requests a minute), `2/s`,
/// `1000/h`. Beyond it the sandbox answers as Nexudus throttles: 409 with `Retry-After`.
public struct SandboxRate: Sendable, Equatable, CustomStringConvertible {
    public var requests: Int
    public var window: Duration

    /// A generous bound: enough for any rate a test or a demonstration wants.
    public static let maximumRequests = 1_000_000

    public init(requests: Int, window: Duration) {
        self.requests = requests
        self.window = window
    }

    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let windows: [String: Duration] = ["s": .seconds(1), "sec": .seconds(1), "min": .seconds(60), "h": .seconds(3600)]
        guard parts.count == 2, let count = Int(parts[0]), (1...Self.maximumRequests).contains(count), let window = windows[parts[1]] else {
            throw SandboxFault.ParseError(description: "bad rate '\(text)': expected requests per s, min or h, such as 120/min (at most \(Self.maximumRequests))")
        }
        self.init(requests: count, window: window)
    }

    public var description: String {
        let unit = window == .seconds(1) ? "s" : window == .seconds(60) ? "min" : window == .seconds(3600) ? "h" : "\(window)"
        return "\(requests)/\(unit)"
    }
}

/// Answers 409 with `Retry-After` to a request beyond the rate; refused requests do not count,
/// as a client that waits as told must get through. A sliding window: at most `requests` in any
/// `window`.
struct ThrottleMiddleware<Context: RequestContext>: RouterMiddleware {
    /// When each request of the current window was let through, oldest first.
    final class Window: Sendable {
        let rate: SandboxRate
        private let admitted = Mutex<[ContinuousClock.Instant]>([])

        init(rate: SandboxRate) { self.rate = rate }

        /// Nil when a request at `now` may pass (and counts it); else how long until one may.
        func admit(at now: ContinuousClock.Instant) -> Duration? {
            admitted.withLock { admitted in
                let cutoff = now - rate.window
                admitted.removeFirst(admitted.firstIndex { $0 > cutoff } ?? admitted.count)
                guard admitted.count >= rate.requests, let oldest = admitted.first else {
                    admitted.append(now)
                    return nil
                }
                return oldest + rate.window - now
            }
        }
    }

    let window: Window

    init(rate: SandboxRate) {
        window = Window(rate: rate)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let wait = window.admit(at: .now) { return .throttled(retryAfter: wait) }
        return try await next(request, context)
    }
}

extension Response {
    /// Nexudus's throttling answer, as documented: 409, "You must wait before accessing this url
    /// again.", and `Retry-After` in whole seconds, rounded up so that a client waiting as told
    /// is never early.
    static func throttled(retryAfter wait: Duration) -> Response {
        let (seconds, attoseconds) = wait.components
        let whole = seconds + (attoseconds > 0 ? 1 : 0)
        return .json(
            ["Message": .string("You must wait before accessing this url again.")],
            status: .init(code: 409, reasonPhrase: "Conflict"),
            headers: [.retryAfter: "\(whole)"]
        )
    }
}

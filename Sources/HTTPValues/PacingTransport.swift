import Foundation
import Synchronization

/// Spaces the requests it sends at least `interval` apart, start to start, so that a script
/// stays under a server's rate limit instead of being throttled (Nexudus documents one request
/// per 100 ms, 120 a minute). Requests sent at once each take the next free slot.
///
/// It sits below any cassette, like ``RetryingTransport``: a replay is never paced.
public final class PacingTransport: HTTPTransport {
    public let base: any HTTPTransport
    public let interval: Duration
    /// The earliest moment the next request may start.
    private let nextSlot = Mutex<ContinuousClock.Instant?>(nil)
    private let now: @Sendable () -> ContinuousClock.Instant
    /// How a wait is spent: a test sees the schedule without living through it.
    private let sleep: @Sendable (Duration) async throws -> Void

    public init(
        _ base: any HTTPTransport, interval: Duration,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.base = base
        self.interval = interval
        self.now = now
        self.sleep = sleep
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let current = now()
        let slot = nextSlot.withLock { next in
            let slot = max(current, next ?? current)
            next = slot + interval
            return slot
        }
        if slot > current { try await sleep(slot - current) }
        return try await base.send(request)
    }
}

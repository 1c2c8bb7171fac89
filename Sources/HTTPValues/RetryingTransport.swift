import Foundation

/// How often and how patiently to retry a request that got no usable answer.
///
/// Two kinds of trouble are told apart. A failure (a timeout, a dropped connection, a
/// 502/503/504) is retried only when asked (`retries`), since the request may have done its work.
/// Throttling (a 429, or the Nexudus way: a 409 with `Retry-After`) means the server refused the
/// request unprocessed and said when to come back: it is waited out and retried by default.
public struct RetryPolicy: Sendable {
    /// Retries after a failure; 0 turns them off.
    public var retries: Int
    /// The wait before the first retry; it doubles with each further one, up to `maximumDelay`.
    public var initialDelay: Duration
    public var maximumDelay: Duration
    /// Retries after throttling answers, each after the wait the server asked for.
    public var throttledRetries: Int
    /// The longest wait a throttling answer may ask for; a longer one fails the request at once.
    public var maximumWait: Duration
    /// Writes are retried after throttling too (never after a failure, which may have let the
    /// write through).
    public var retriesWrites: Bool

    /// Enough for a burst over a per-minute limit to get through; more when `retries` is more.
    public static let standardThrottledRetries = 3
    /// Long enough for the documented limits (a minute's window), short enough not to look hung.
    public static let standardMaximumWait = Duration.seconds(30)

    public init(
        retries: Int, initialDelay: Duration = .milliseconds(250), maximumDelay: Duration = .seconds(8),
        throttledRetries: Int? = nil, maximumWait: Duration = standardMaximumWait, retriesWrites: Bool = false
    ) {
        self.retries = retries
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.throttledRetries = throttledRetries ?? max(retries, Self.standardThrottledRetries)
        self.maximumWait = maximumWait
        self.retriesWrites = retriesWrites
    }

    /// Only requests that may be repeated without changing more than once: reads, and PUT,
    /// which the API uses to set a state (the active profile) rather than to add one.
    public static func isIdempotent(_ method: HTTPMethod) -> Bool {
        [.get, .head, .put, .options].contains(method)
    }

    /// Answers worth asking again: the server or a proxy said it was briefly unable.
    public static func isTransient(status: Int) -> Bool {
        [502, 503, 504].contains(status)
    }

    /// Failures worth trying again; a TLS or URL problem will not go away by waiting.
    public static func isTransient(_ error: TransportError) -> Bool {
        switch error {
        case .connectionRefused, .connectTimeout, .readTimeout, .deadlineExceeded, .connectionClosed: true
        case .unknownHost, .tls, .responseTooLarge, .notHTTP, .invalidURL, .other, .throttled: false
        }
    }

    /// A 429, or a 409 that says when to come back (Nexudus throttles so: "You must wait before
    /// accessing this url again"). A 409 without `Retry-After` is an ordinary conflict.
    public static func isThrottling(_ response: HTTPResponse) -> Bool {
        response.status == 429 || (response.status == 409 && response.headers["Retry-After"] != nil)
    }

    /// `Retry-After: <seconds>`; the HTTP-date form is rare for APIs and is ignored.
    public static func retryAfter(_ response: HTTPResponse) -> Duration? {
        guard let text = response.headers["Retry-After"], let seconds = Int(text.trimmingCharacters(in: .whitespaces)), seconds >= 0 else {
            return nil
        }
        return .seconds(seconds)
    }

    /// The wait before retry `attempt` (1-based): exponential, with "full jitter" so that many
    /// clients retrying together spread out instead of striking the server in step.
    public func delay(beforeRetry attempt: Int, random: Double) -> Duration {
        let ceiling = min(initialDelay * (1 << min(attempt - 1, 20)), maximumDelay)
        return ceiling * (0.5 + random / 2)
    }
}

/// Sends through another transport, waits out throttling and retries after transient failures,
/// as its ``RetryPolicy`` allows.
///
/// It sits below any cassette: a replay never reaches it (a recorded 409 replays as recorded,
/// with no wait), and a recording keeps only the answer that was finally used.
public struct RetryingTransport: HTTPTransport {
    public let base: any HTTPTransport
    public let policy: RetryPolicy
    /// Told about each retry before its wait: a spinner can show it while it lasts.
    private let onRetry: @Sendable (_ note: String) -> Void
    /// Told about a throttled write left alone, for a note that stays.
    private let onWriteNotRetried: @Sendable (_ note: String) -> Void
    /// The jitter, in 0...1, of each computed wait.
    private let random: @Sendable () -> Double
    /// How a wait is spent: a test sees the schedule without living through it.
    private let sleep: @Sendable (Duration) async throws -> Void

    public init(
        _ base: any HTTPTransport, policy: RetryPolicy,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        onRetry: @escaping @Sendable (_ note: String) -> Void = { _ in },
        onWriteNotRetried: @escaping @Sendable (_ note: String) -> Void = { _ in }
    ) {
        self.base = base
        self.policy = policy
        self.random = random
        self.sleep = sleep
        self.onRetry = onRetry
        self.onWriteNotRetried = onWriteNotRetried
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let idempotent = RetryPolicy.isIdempotent(request.method)
        var failures = 0
        var throttles = 0
        while true {
            let note: String
            let wait: Duration
            do {
                let response = try await base.send(request)
                if RetryPolicy.isThrottling(response) {
                    guard idempotent || policy.retriesWrites else {
                        onWriteNotRetried("\(request.label) was throttled (\(response.status)); a write is not retried unless told (--retry-writes)")
                        return response
                    }
                    guard throttles < policy.throttledRetries else { return response }
                    let asked = RetryPolicy.retryAfter(response)
                    if let asked, asked > policy.maximumWait {
                        throw TransportError.throttled(request: request.labelWithServer, asked: asked, limit: policy.maximumWait)
                    }
                    throttles += 1
                    wait = asked ?? policy.delay(beforeRetry: throttles, random: random())
                    let source = asked == nil ? "" : " as the server asked"
                    note = "\(request.label) throttled (\(response.status)); waiting \(wait.shortDescription)\(source), retry \(throttles) of \(policy.throttledRetries)"
                } else {
                    guard idempotent, failures < policy.retries, RetryPolicy.isTransient(status: response.status) else { return response }
                    failures += 1
                    wait = RetryPolicy.retryAfter(response).map { min($0, policy.maximumDelay) }
                        ?? policy.delay(beforeRetry: failures, random: random())
                    note = "\(request.label) answered \(response.status); retry \(failures) of \(policy.retries) in \(wait.shortDescription)"
                }
            } catch let error as TransportError where idempotent && failures < policy.retries && RetryPolicy.isTransient(error) {
                failures += 1
                wait = policy.delay(beforeRetry: failures, random: random())
                note = "\(error.description); retry \(failures) of \(policy.retries) in \(wait.shortDescription)"
            }
            onRetry(note)
            try await sleep(wait)
        }
    }
}

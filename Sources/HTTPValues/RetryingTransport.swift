import Foundation

/// How often and how patiently to retry a request that got no usable answer.
public struct RetryPolicy: Sendable {
    /// Retries after the first attempt; 0 turns retrying off.
    public var retries: Int
    /// The wait before the first retry; it doubles with each further one, up to `maximumDelay`.
    public var initialDelay: Duration
    public var maximumDelay: Duration

    public init(retries: Int, initialDelay: Duration = .milliseconds(250), maximumDelay: Duration = .seconds(8)) {
        self.retries = retries
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// Only requests that may be repeated without changing more than once: reads, and PUT,
    /// which the API uses to set a state (the active profile) rather than to add one.
    public static func isIdempotent(_ method: HTTPMethod) -> Bool {
        [.get, .head, .put, .options].contains(method)
    }

    /// Answers worth asking again: the server or a proxy said it was briefly unable.
    public static func isTransient(status: Int) -> Bool {
        [429, 502, 503, 504].contains(status)
    }

    /// Failures worth trying again; a TLS or URL problem will not go away by waiting.
    public static func isTransient(_ error: TransportError) -> Bool {
        switch error {
        case .connectionRefused, .connectTimeout, .readTimeout, .deadlineExceeded, .connectionClosed: true
        case .unknownHost, .tls, .responseTooLarge, .notHTTP, .invalidURL, .other: false
        }
    }

    /// The wait before retry `attempt` (1-based): exponential, with "full jitter" so that many
    /// clients retrying together spread out instead of striking the server in step.
    public func delay(beforeRetry attempt: Int, random: Double) -> Duration {
        let ceiling = min(initialDelay * (1 << min(attempt - 1, 20)), maximumDelay)
        return ceiling * (0.5 + random / 2)
    }
}

/// Sends through another transport and retries idempotent requests after transient failures.
///
/// It sits below any cassette: a replay never reaches it, and a recording keeps only the answer
/// that was finally used.
public struct RetryingTransport: HTTPTransport {
    public let base: any HTTPTransport
    public let policy: RetryPolicy
    /// Told about each retry before its wait, for a note on standard error.
    private let onRetry: @Sendable (_ note: String) -> Void
    /// The jitter, in 0...1, of each computed wait.
    private let random: @Sendable () -> Double
    /// How a wait is spent: a test sees the schedule without living through it.
    private let sleep: @Sendable (Duration) async throws -> Void

    public init(
        _ base: any HTTPTransport, policy: RetryPolicy,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        onRetry: @escaping @Sendable (_ note: String) -> Void = { _ in }
    ) {
        self.base = base
        self.policy = policy
        self.random = random
        self.sleep = sleep
        self.onRetry = onRetry
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard policy.retries > 0, RetryPolicy.isIdempotent(request.method) else { return try await base.send(request) }
        var attempt = 0
        while true {
            let reason: String
            var serverAsked: Duration?
            do {
                let response = try await base.send(request)
                guard attempt < policy.retries, RetryPolicy.isTransient(status: response.status) else { return response }
                reason = "\(request.label) answered \(response.status)"
                serverAsked = Self.retryAfter(response)
            } catch let error as TransportError where attempt < policy.retries && RetryPolicy.isTransient(error) {
                reason = error.description
            }
            attempt += 1
            let wait = serverAsked.map { min($0, policy.maximumDelay) } ?? policy.delay(beforeRetry: attempt, random: random())
            onRetry("\(reason); retry \(attempt) of \(policy.retries) in \(wait.shortDescription)")
            try await sleep(wait)
        }
    }

    /// `Retry-After: <seconds>`; the HTTP-date form is rare for APIs and is ignored.
    private static func retryAfter(_ response: HTTPResponse) -> Duration? {
        guard let text = response.headers["Retry-After"], let seconds = Int(text.trimmingCharacters(in: .whitespaces)), seconds >= 0 else {
            return nil
        }
        return .seconds(seconds)
    }
}

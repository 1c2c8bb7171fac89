import Diagnostics
/// Why no response could be obtained. Messages are written for the person at the prompt:
/// they name the server or request and say what happened, without library jargon.
public enum TransportError: ReportableError, Equatable {
    /// Nothing listens at the origin (`http://127.0.0.1:9`).
    case connectionRefused(origin: String)
    /// The host name does not resolve.
    case unknownHost(origin: String)
    /// No connection within the connect timeout.
    case connectTimeout(origin: String, limit: Duration)
    /// Connected, but the server sent nothing for longer than the read timeout.
    case readTimeout(request: String, limit: Duration)
    /// The whole answer, head and body, took longer than the deadline (a server trickling bytes).
    case deadlineExceeded(request: String, limit: Duration)
    /// The TLS handshake or certificate check failed.
    case tls(origin: String, detail: String)
    /// The server closed the connection before a complete response.
    case connectionClosed(request: String)
    /// The body exceeded the configured limit.
    case responseTooLarge(request: String, limit: Int)
    /// What came back is not an HTTP answer (garbage, another protocol, HTTP/0.9);
    /// `detail` says what the HTTP parser found, for a malformed answer rather than none.
    case notHTTP(origin: String, detail: String?)
    case invalidURL(String)
    /// Anything else the HTTP stack reported, with its own words.
    case other(request: String, detail: String)
    /// The server throttles and asked for a longer wait than the client will spend (`limit`).
    case throttled(request: String, asked: Duration, limit: Duration)

    public var message: String {
        switch self {
        case .connectionRefused(let origin):
            "cannot reach \(origin): connection refused"
        case .unknownHost(let origin):
            "cannot reach \(origin): unknown host"
        case .connectTimeout(let origin, let limit):
            "cannot reach \(origin): no connection within \(limit.shortDescription)"
        case .readTimeout(let request, let limit):
            "\(request): no answer within \(limit.shortDescription) (read timeout)"
        case .deadlineExceeded(let request, let limit):
            "\(request): no complete answer within \(limit.shortDescription) (deadline)"
        case .tls(let origin, let detail):
            "TLS failure with \(origin): \(detail)"
        case .connectionClosed(let request):
            "\(request): the server closed the connection before answering completely"
        case .responseTooLarge(let request, let limit):
            "\(request): the response body is larger than the \(limit.byteCountDescription) limit"
        case .notHTTP(let origin, nil):
            "the server at \(origin) did not answer with HTTP"
        case .notHTTP(let origin, let detail?):
            "the server at \(origin) sent a malformed HTTP answer (\(detail))"
        case .invalidURL(let text):
            "invalid URL '\(text)': expected an absolute http:// or https:// URL"
        case .other(let request, let detail):
            "\(request): \(detail)"
        case .throttled(let request, let asked, let limit):
            "\(request): the server is throttling requests and asked to wait \(asked.shortDescription), longer than the \(limit.shortDescription) max wait"
        }
    }

    public var hint: String? {
        guard case .throttled = self else { return nil }
        return "try again later, or allow a longer wait with --max-wait"
    }
}

extension Duration {
    /// `500ms`, `5s`, `1.5s`: the way people write limits on a command line.
    public var shortDescription: String {
        let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(Double(milliseconds) / 1000)s"
    }
}

extension Int {
    /// `512 B`, `16 KiB`, `64 MiB`: how limits are named in messages.
    public var byteCountDescription: String {
        switch self {
        case ..<1024: "\(self) B"
        case ..<(1024 * 1024): "\(self / 1024) KiB"
        default: "\(self / (1024 * 1024)) MiB"
        }
    }
}

import Foundation

/// Where the time of one exchange went, measured by the transport that performed it.
///
/// The phases follow HAR 1.2: `wait` runs from sending the request to the first byte of the
/// response head (it includes connecting, which the HTTP client does not report apart), and
/// `receive` from there to the last byte of the body.
public struct HTTPTimings: Sendable, Hashable, Codable {
    public var startedAt: Date
    public var wait: Duration
    public var receive: Duration

    public init(startedAt: Date, wait: Duration, receive: Duration) {
        self.startedAt = startedAt
        self.wait = wait
        self.receive = receive
    }

    public var total: Duration { wait + receive }

    public static let zero = HTTPTimings(startedAt: Date(timeIntervalSince1970: 0), wait: .zero, receive: .zero)
}

/// A response as received: status line, headers in wire order, the whole body, and timings.
public struct HTTPResponse: Sendable, Hashable {
    /// The largest body taken by default, as received and as inflated for a cassette
    /// (`--max-body-size`): a hostile answer must not cost more memory than this.
    public static let standardMaximumBodySize = 64 << 20

    public var status: Int
    public var reason: String
    public var httpVersion: String
    public var headers: HTTPHeaders
    public var body: Data
    public var timings: HTTPTimings

    public init(
        status: Int,
        reason: String = "",
        httpVersion: String = "HTTP/1.1",
        headers: HTTPHeaders = [],
        body: Data = Data(),
        timings: HTTPTimings = .zero
    ) {
        self.status = status
        self.reason = reason.isEmpty ? HTTPResponse.standardReason(for: status) : reason
        self.httpVersion = httpVersion
        self.headers = headers
        self.body = body
        self.timings = timings
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The media type of the body, lower-cased and without parameters (`application/json`).
    public var mediaType: String? {
        headers["Content-Type"].map { value in
            value.split(separator: ";", maxSplits: 1).first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            } ?? ""
        }
    }

    public var statusLine: String { "\(status) \(reason)" }

    /// The reason phrase IANA registers for `status`, or "" for a status it does not name.
    static func standardReason(for status: Int) -> String {
        standardReasons[status] ?? ""
    }
}

extension Duration {
    /// In milliseconds, fractions kept: for HAR timings and reports.
    public var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}

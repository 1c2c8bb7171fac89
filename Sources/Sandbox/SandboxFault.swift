import Foundation

/// A fault the sandbox injects into an answer, for reliability tests: a delay before answering,
/// a forced status, throttling, or a connection closed without any answer.
///
/// Written as in the `X-Sandbox-Fault` request header and the `--fault` option:
/// `latency=500ms`, `status=503`, `throttle=2s`, `drop`, or several joined by commas
/// (`latency=2s,status=500`). `throttle=2s` answers as Nexudus throttles: 409 with
/// `Retry-After: 2` (whole seconds, rounded up). `empty` sends the forced status with no body at
/// all (`status=401,empty`: the service's 401 may have none). `times=N` limits a header's fault
/// to the first N requests that carry it to the same method and path, so that a retry can
/// succeed (`status=503,times=2`); a header's throttle counts as `times=1` unless told otherwise.
public struct SandboxFault: Sendable, Equatable, CustomStringConvertible {
    public var latency: Duration?
    public var status: Int?
    public var throttle: Duration?
    public var drop: Bool
    public var times: Int?
    /// The forced status comes with an empty body.
    public var emptyBody: Bool

    public init(
        latency: Duration? = nil, status: Int? = nil, throttle: Duration? = nil, drop: Bool = false, times: Int? = nil, emptyBody: Bool = false
    ) {
        self.latency = latency
        self.status = status
        self.throttle = throttle
        self.drop = drop
        self.times = times
        self.emptyBody = emptyBody
    }

    /// How many requests carrying this fault in a header get it: one throttling answer, then
    /// the retry it asks for goes through.
    var headerLimit: Int? {
        times ?? (throttle == nil ? nil : 1)
    }

    /// The longest latency a fault may ask for: long enough for any timeout test, short enough
    /// that a request cannot hold a handler (or overflow a clock) for ever.
    public static let maximumLatency: Duration = .seconds(600)
    /// The most requests `times=N` may count.
    public static let maximumTimes = 1_000_000

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(parsing text: String) throws {
        self.init()
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else {
            throw ParseError(description: "empty fault: expected latency=DURATION, status=CODE, throttle=DURATION, drop or empty")
        }
        for part in parts {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            switch (pair[0].lowercased(), pair.count == 2 ? pair[1] : nil) {
            case ("drop", nil):
                drop = true
            case ("empty", nil):
                emptyBody = true
            case ("latency", let value?):
                guard let duration = Self.parseDuration(value) else {
                    throw ParseError(description: "bad latency '\(value)': expected a duration from 0ms to \(Self.format(Self.maximumLatency)), such as 500ms or 2s")
                }
                latency = duration
            case ("status", let value?):
                guard let code = Int(value), (100...599).contains(code) else {
                    throw ParseError(description: "bad status '\(value)': expected an HTTP status code from 100 to 599")
                }
                status = code
            case ("throttle", let value?):
                guard let duration = Self.parseDuration(value) else {
                    throw ParseError(description: "bad throttle '\(value)': expected a wait from 0ms to \(Self.format(Self.maximumLatency)), such as 2s")
                }
                throttle = duration
            case ("times", let value?):
                guard let count = Int(value), (1...Self.maximumTimes).contains(count) else {
                    throw ParseError(description: "bad times '\(value)': expected a whole number of requests from 1 to \(Self.maximumTimes)")
                }
                times = count
            default:
                throw ParseError(description: "unknown fault '\(part)': expected latency=DURATION, status=CODE, throttle=DURATION, drop, empty or times=N")
            }
        }
    }

    public var description: String {
        var parts: [String] = []
        if let latency { parts.append("latency=\(Self.format(latency))") }
        if let status { parts.append("status=\(status)") }
        if let throttle { parts.append("throttle=\(Self.format(throttle))") }
        if drop { parts.append("drop") }
        if emptyBody { parts.append("empty") }
        if let times { parts.append("times=\(times)") }
        return parts.joined(separator: ",")
    }

    /// `250ms`, `2s`, `1.5s`, or a bare number of milliseconds; nil beyond ``maximumLatency``.
    static func parseDuration(_ text: String) -> Duration? {
        let lowered = text.lowercased()
        let (number, scale): (Substring, Double) =
            if lowered.hasSuffix("ms") { (lowered.dropLast(2), 1) }
            else if lowered.hasSuffix("s") { (lowered.dropLast(1), 1000) }
            else { (Substring(lowered), 1) }
        guard let value = Double(number) else { return nil }
        // Checked before any conversion to an integer: NaN, inf and 1e308 fail here.
        let milliseconds = value * scale
        guard (0...Double(maximumLatency.components.seconds * 1000)).contains(milliseconds) else { return nil }
        return .milliseconds(Int64(milliseconds.rounded()))
    }

    /// `500ms`, `2000ms`, `600s` (whole seconds from 10 s up).
    private static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds >= 10_000 && milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}

/// Applies a fault to a given share of requests, chosen by a seeded generator so that a failing
/// run can be repeated exactly.
public struct SandboxFaultPlan: Sendable {
    public var fault: SandboxFault
    /// From 0 (never) to 1 (every request).
    public var rate: Double
    public var seed: UInt64

    public init(fault: SandboxFault, rate: Double, seed: UInt64 = 0x6E65_7873_6800) {
        self.fault = fault
        self.rate = min(max(rate, 0), 1)
        self.seed = seed
    }
}

/// SplitMix64: tiny, fast, the same sequence on every machine; picks which requests fail, and
/// which random inputs the tests try.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

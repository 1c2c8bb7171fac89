import ArgumentParser
import HTTPValues

/// The range of a numeric option. Its parser (`@Option(transform: range.parse)`) refuses text
/// that is not a number of the option's type, or lies outside the range (`nan`, `inf`, `1e308`
/// and `99999999999999999999` included), with a message that names the range; ArgumentParser
/// makes that a usage error, exit status 3.
struct OptionRange<Value: Comparable & LosslessStringConvertible & Sendable>: Sendable {
    let range: ClosedRange<Value>
    /// ` seconds`, ` MiB`, or nothing.
    let unit: String
    /// The value when the option is not given (help shows it: with a transform, ArgumentParser does not).
    let standard: Value

    init(_ range: ClosedRange<Value>, unit: String = "", standard: Value) {
        self.range = range
        self.unit = unit
        self.standard = standard
    }

    @Sendable func parse(_ text: String) throws -> Value {
        guard let value = Value(text), range.contains(value) else {
            throw ValidationError("expected \(Value.self == Double.self ? "a number" : "a whole number") from \(self)")
        }
        return value
    }
}

extension OptionRange: CustomStringConvertible {
    /// `0.001 to 3600 seconds`, for messages.
    var description: String {
        "\(Self.text(range.lowerBound)) to \(Self.text(range.upperBound))\(unit)"
    }

    /// `0.001 to 3600 seconds; default 30`, for help.
    var help: String {
        "\(self); default \(Self.text(standard))"
    }

    /// `3600`, not `3600.0`.
    private static func text(_ value: Value) -> String {
        if let number = value as? Double, number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
        return "\(value)"
    }
}

/// nexsh's numeric options, each range named once.
enum OptionRanges {
    static let readTimeout = OptionRange(0.001...3600.0, unit: " seconds", standard: 30)
    static let deadline = OptionRange(0.001...86_400.0, unit: " seconds", standard: 60)
    static let retries = OptionRange(0...10, standard: 0)
    /// The longest throttling wait: an hour at most, as `sleep`.
    static let maxWait = OptionRange(0...3600, unit: " seconds", standard: Int(RetryPolicy.standardMaximumWait.components.seconds))
    /// Up to a minute between requests: the documented limit's whole window.
    static let pace = OptionRange(0...60_000, unit: " ms", standard: 0)
    static let maxBodySize = OptionRange(1...4096, unit: " MiB", standard: HTTPResponse.standardMaximumBodySize >> 20)
    static let jobs = OptionRange(1...256, standard: 1)
    /// `nexsh sandbox --port`.
    static let port = OptionRange(0...65535, standard: 8080)
    /// `nexsh run --sandbox-port`: 0 picks any free port.
    static let sandboxPort = OptionRange(0...65535, standard: 0)
    /// Up to a year; the Nexudus default is 604799 (a week).
    static let tokenTTL = OptionRange(1...31_536_000, unit: " seconds", standard: 604_799)
    static let faultRate = OptionRange(0.0...1.0, standard: 1)
    /// `nexsh bundle shrink --max-runs`: each replay is offline and quick.
    static let maxRuns = OptionRange(1...100_000, standard: 500)
    static let faultSeed = OptionRange(UInt64.min...UInt64.max, standard: 1)
}

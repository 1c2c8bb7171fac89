/// An error the shell shows a person, in one shape whatever raised it (the API, a cassette, a
/// replay miss, the network): what went wrong, what to do about it, and what exit status it
/// means. The shell keeps it typed up to the one place that writes it.
public protocol ReportableError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, without advice.
    var message: String { get }
    /// What to do about it, when there is something to say (`sign in again`).
    var hint: String? { get }
    var exitCategory: ExitCategory { get }
    /// The hint goes on a line of its own, as under a report that lists things (a replay miss
    /// and its closest entries), rather than after the message.
    static var hintsOnItsOwnLine: Bool { get }
}

/// What a failure means to a caller that only sees the exit status, as `nexsh run --help`
/// documents it.
public enum ExitCategory: Int32, Sendable, Comparable {
    /// A request or an expectation failed.
    case failure = 1
    /// A script or a cassette could not be read.
    case unreadableInput = 2
    /// The command line is wrong.
    case usage = 3

    public static func < (lhs: ExitCategory, rhs: ExitCategory) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension ReportableError {
    public var hint: String? { nil }
    public var exitCategory: ExitCategory { .failure }
    public static var hintsOnItsOwnLine: Bool { false }

    /// The report as one text: the message, then the hint after `; `, or indented on a line of
    /// its own.
    public var description: String {
        guard let hint else { return message }
        if Self.hintsOnItsOwnLine { return message + "\n  " + hint }
        // A message that ends a sentence (a server's own words, often) gives way to the hint.
        return (message.hasSuffix(".") ? String(message.dropLast()) : message) + "; " + hint
    }
}

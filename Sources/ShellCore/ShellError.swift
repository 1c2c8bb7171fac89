import Diagnostics

/// Everything that stops a command, typed, with one renderer (``ShellError/rendered(color:)``)
/// shared by scripts and the interactive shell.
public enum ShellError: Error, Sendable, Equatable {
    /// The text cannot be read as commands: a quote left open, a bad escape.
    case syntax(String, SourceLocation, sourceLine: String)
    /// No command of that name; `suggestion` is the nearest one.
    case unknownCommand(String, suggestion: String?, SourceLocation, sourceLine: String)
    /// The command's arguments are wrong (a flag it does not know, a missing value).
    case usage(command: String, message: String, SourceLocation, sourceLine: String, usage: String)
    case undefinedVariable(String, SourceLocation, sourceLine: String)
    /// An expectation did not hold.
    case expectationFailed(ExpectationFailure)
    /// A request got an HTTP error answer (4xx/5xx). A following `expect status` of the same
    /// code turns it into an expected outcome.
    case requestFailed(status: Int, message: String)
    /// Anything else a command reports (a transport error, a replay miss, a file not found),
    /// as its ``ReportableError`` said it.
    case reported(Report)
    /// `exit` was called.
    case exit(code: Int32)
    /// The mistakes found by reading one script, when there are several: the first of them in
    /// the order of the text, and how many more there were.
    case mistakes([ShellError], more: Int)

    /// What a command reported, as the one renderer writes it, and what it means for the exit
    /// status.
    public struct Report: Sendable, Equatable {
        public let text: String
        public let category: ExitCategory

        public init(_ error: any ReportableError) {
            text = error.description
            category = error.exitCategory
        }

        init(text: String, category: ExitCategory) {
            self.text = text
            self.category = category
        }
    }

    /// A failure nexsh words itself.
    public static func failed(_ message: String) -> ShellError {
        .reported(Report(text: message, category: .failure))
    }

    /// Whatever a command threw, as the shell reports it: a ``ShellError`` as it is, any
    /// ``ReportableError`` with its words and exit category, a cancellation as `cancelled`.
    public init(_ error: any Error) {
        switch error {
        case let error as ShellError: self = error
        case let error as any ReportableError: self = .reported(Report(error))
        case is CancellationError: self = .failed("cancelled")
        default: self = .failed(String(describing: error))
        }
    }

    /// What the error means for an exit status: a report's own category (a cassette that cannot
    /// be used), else a failure. (A script that does not read never runs: ``isParseError``.)
    public var exitCategory: ExitCategory {
        if case .reported(let report) = self { return report.category }
        return .failure
    }

    /// True for errors found by reading a script, before anything runs (exit status 2).
    public var isParseError: Bool {
        switch self {
        case .syntax, .unknownCommand, .usage, .mistakes: true
        default: false
        }
    }

    /// A line that reads but is not used as its command allows (an unknown command, a wrong
    /// option or value, an undefined variable), as against text that does not read at all: a
    /// one-shot command line gives the first status 3 and the second 2.
    public var isUsageMistake: Bool {
        switch self {
        case .unknownCommand, .usage, .undefinedVariable: true
        case .mistakes(let mistakes, _): mistakes.allSatisfy(\.isUsageMistake)
        default: false
        }
    }

    /// Where in a script the error is, when it is at one place.
    public var location: SourceLocation? {
        switch self {
        case .syntax(_, let location, _), .unknownCommand(_, _, let location, _), .usage(_, _, let location, _, _),
            .undefinedVariable(_, let location, _):
            location
        case .expectationFailed(let failure): failure.location
        case .requestFailed, .reported, .exit, .mistakes: nil
        }
    }

    /// The error as text for a person, with a caret under the fault when there is a place.
    public func rendered(color: Bool = false) -> String {
        let style = TextStyle(color: color)
        switch self {
        case .syntax(let message, let location, let sourceLine):
            return Self.pointing(at: location, sourceLine: sourceLine, message: message, style: style)
        case .unknownCommand(let name, let suggestion, let location, let sourceLine):
            let hint = suggestion.map { " — did you mean '\($0)'?" } ?? " (help lists the commands)"
            return Self.pointing(at: location, sourceLine: sourceLine, message: "unknown command '\(name)'\(hint)", style: style)
        case .usage(let command, let message, let location, let sourceLine, let usage):
            return Self.pointing(at: location, sourceLine: sourceLine, message: "\(command): \(message)", style: style)
                + "\n    usage: \(usage)"
        case .undefinedVariable(let name, let location, let sourceLine):
            let hint = name.hasPrefix("env.") ? "the environment has no \(name.dropFirst(4))" : "set it with 'set \(name) …' or --var \(name)=…"
            return Self.pointing(at: location, sourceLine: sourceLine, message: "undefined variable '\(name)': \(hint)", style: style)
        case .expectationFailed(let failure):
            return failure.rendered(style: style)
        case .requestFailed(_, let message):
            return style.error("error: ") + Self.lines(message)
        case .reported(let report):
            return style.error("error: ") + Self.lines(report.text)
        case .exit(let code):
            return "exit \(code)"
        case .mistakes(let mistakes, let more):
            let rest = more > 0 ? ["and \(more) more \(more == 1 ? "mistake" : "mistakes")"] : []
            return (mistakes.map { $0.rendered(color: color) } + rest).joined(separator: "\n")
        }
    }

    /// A message made safe to show, its own line breaks kept (a replay miss lists the closest
    /// entries on lines of their own).
    static func lines(_ message: String) -> String {
        Terminal.safe(message, keepingNewlines: true)
    }

    /// The error in one line, without its place: for a line just typed at the prompt.
    public func oneLine(color: Bool = false) -> String {
        let style = TextStyle(color: color)
        let message: String
        switch self {
        case .syntax(let text, _, _): message = text
        case .unknownCommand(let name, let suggestion, _, _):
            message = "unknown command '\(name)'" + (suggestion.map { " — did you mean '\($0)'?" } ?? " (help lists the commands)")
        case .usage(let command, let text, _, _, let usage): message = "\(command): \(text) (usage: \(usage))"
        case .undefinedVariable(let name, _, _): message = "undefined variable '\(name)'"
        case .expectationFailed(let failure): message = "expectation failed: expected \(failure.expected), got \(failure.actual)"
        case .requestFailed(_, let text): message = text
        case .reported(let report): message = report.text
        case .exit(let code): message = "exit \(code)"
        case .mistakes:
            // A sourced script's mistakes: each needs its place to be found.
            return rendered(color: color)
        }
        return style.error("error: ") + Self.lines(message)
    }

    static func pointing(at location: SourceLocation, sourceLine: String, message: String, style: TextStyle) -> String {
        var text = style.error("\(location): error: ") + Self.lines(message)
        guard !sourceLine.isEmpty else { return text }
        let (before, after) = excerpt(of: sourceLine, around: location.column)
        text += "\n    " + Terminal.safe(before) + Terminal.safe(after)
        // The caret sits under the column, counted in characters as shown.
        text += "\n    " + String(repeating: " ", count: Terminal.safe(before).count) + style.error("^")
        return text
    }

    /// The source line split at the column; a very long line (a pasted 10 MB body) is cut to a
    /// window around the column, so that an error stays a few lines on screen.
    static func excerpt(of line: String, around column: Int, reach: Int = 60) -> (before: String, after: String) {
        let split = line.index(line.startIndex, offsetBy: max(0, column - 1), limitedBy: line.endIndex) ?? line.endIndex
        var before = line[..<split]
        var after = line[split...]
        var cutBefore = false
        var cutAfter = false
        if before.count > reach {
            before = before.suffix(reach)
            cutBefore = true
        }
        if after.count > reach {
            after = after.prefix(reach)
            cutAfter = true
        }
        return ((cutBefore ? "…" : "") + before, after + (cutAfter ? "…" : ""))
    }
}

/// The usage errors of one command on one line: the short way to say that a word is wrong.
public struct UsageErrors: Sendable {
    public let command: String
    /// What the error shows under the line: the command's usage, or its grammar.
    public let usage: String
    public let line: ScriptLine

    public init(command: String, usage: String, line: ScriptLine) {
        self.command = command
        self.usage = usage
        self.line = line
    }

    public func at(_ location: SourceLocation, _ message: String) -> ShellError {
        .usage(command: command, message: message, location, sourceLine: line.text, usage: usage)
    }

    public func at(_ word: Word, _ message: String) -> ShellError {
        at(word.location, message)
    }
}

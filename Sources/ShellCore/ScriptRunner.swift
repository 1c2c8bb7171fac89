import Foundation

/// A script read and checked: every line's command and arguments are known before any runs.
public struct Script: Sendable {
    public let file: String
    public let lines: [ScriptLine]

    /// Reads `text`, checking each line against `commands`. The first problem is thrown.
    public init(text: String, file: String, commands: CommandTable) throws(ShellError) {
        self.file = file
        lines = try Tokenizer.lines(text, file: file)
        for line in lines { _ = try commands.resolve(line) }
    }

    /// Reads a script file.
    public init(contentsOf url: URL, displayName: String? = nil, commands: CommandTable) throws(ShellError) {
        let name = displayName ?? url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .failed("cannot read the script \(name): \(Self.reason(error))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .syntax("the script is not UTF-8 text", SourceLocation(file: name, line: 1, column: 1), sourceLine: "")
        }
        try self.init(text: text, file: name, commands: commands)
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? CocoaError, error.code == .fileReadNoSuchFile { return "no such file" }
        return (error as NSError).localizedDescription
    }
}

/// What running a script came to.
public struct ScriptOutcome: Sendable {
    public struct Failure: Sendable {
        public let location: SourceLocation?
        /// The rendered error, without colour.
        public let message: String
        public let isExpectation: Bool

        public init(location: SourceLocation?, message: String, isExpectation: Bool) {
            self.location = location
            self.message = message
            self.isExpectation = isExpectation
        }
    }

    public let file: String
    public var passedExpectations = 0
    public var failedExpectations = 0
    /// Every expectation checked, in order.
    public var expectations: [ExpectationRecord] = []
    public var failures: [Failure] = []
    /// Set when the script could not be read: nothing ran.
    public var parseError: ShellError?
    /// Set when the script ran `exit`.
    public var exitCode: Int32?
    /// Lines run.
    public var linesRun = 0

    public init(file: String) {
        self.file = file
    }

    public var succeeded: Bool { parseError == nil && failures.isEmpty && (exitCode ?? 0) == 0 }
}

/// Runs scripts line by line through the ``Dispatcher``, with what scripts add on top: stop at
/// the first failure (or keep going), and an HTTP error answer that the next line expects
/// (`expect status 404`) is an outcome, not a failure.
public enum ScriptRunner {
    public static func run(_ script: Script, in context: ShellContext, keepGoing: Bool = false) async -> ScriptOutcome {
        var outcome = ScriptOutcome(file: script.file)
        let before = context.expectationCounts
        let recordedBefore = context.expectations.count
        _ = await runLines(script.lines, in: context, keepGoing: keepGoing, outcome: &outcome)
        let after = context.expectationCounts
        outcome.passedExpectations = after.passed - before.passed
        outcome.failedExpectations = after.failed - before.failed
        outcome.expectations = Array(context.expectations.dropFirst(recordedBefore))
        return outcome
    }

    /// Runs `lines`; false when a failure stopped them.
    static func runLines(_ lines: [ScriptLine], in context: ShellContext, keepGoing: Bool, outcome: inout ScriptOutcome) async -> Bool {
        var index = 0
        var clean = true
        while index < lines.count {
            let line = lines[index]
            index += 1
            outcome.linesRun += 1
            do {
                try await Dispatcher.execute(line, in: context)
            } catch .exit(let code) {
                outcome.exitCode = code
                if code != 0 {
                    outcome.failures.append(.init(location: line.location, message: "exit \(code)", isExpectation: false))
                }
                return code == 0 && clean
            } catch .requestFailed(let status, let message) where index < lines.count && expectsStatus(status, lines[index], context) {
                // Shown, so that a transcript says what the server answered.
                context.print(context.style.dim("(expected) " + Terminal.safe(message)))
                continue
            } catch {
                clean = false
                let isExpectation: Bool
                if case .expectationFailed = error { isExpectation = true } else { isExpectation = false }
                context.print(locate(error, line: line, style: context.style))
                outcome.failures.append(.init(location: line.location, message: locate(error, line: line, style: .plain), isExpectation: isExpectation))
                if !keepGoing { return false }
            }
        }
        return clean
    }

    /// True when `next` is `expect status <status>` (the failure is what the script expects).
    static func expectsStatus(_ status: Int, _ next: ScriptLine, _ context: ShellContext) -> Bool {
        guard next.commandName == "expect", next.words.count == 3, next.words[1].bareText == "status",
            let text = try? context.variables.expand(next.words[2], sourceLine: next.text)
        else { return false }
        return Int(text) == status
    }

    /// Errors without a place of their own get the line's.
    private static func locate(_ error: ShellError, line: ScriptLine, style: TextStyle) -> String {
        switch error {
        case .requestFailed, .failed:
            return ShellError.pointing(at: line.location, sourceLine: line.text, message: errorText(error), style: style)
        default:
            return error.rendered(color: style.color)
        }
    }

    private static func errorText(_ error: ShellError) -> String {
        switch error {
        case .requestFailed(_, let message), .failed(let message): message
        default: ""
        }
    }
}

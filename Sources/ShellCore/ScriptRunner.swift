import Diagnostics

/// What running a script came to.
public struct ScriptOutcome: Sendable {
    public struct Failure: Sendable {
        public let location: SourceLocation?
        /// The rendered error, without colour.
        public let message: String
        public let isExpectation: Bool
        /// What it means for the run's exit status: a failure (1), or a cassette the run could
        /// not start with (2).
        public let category: ExitCategory

        public init(location: SourceLocation?, message: String, isExpectation: Bool, category: ExitCategory = .failure) {
            self.location = location
            self.message = message
            self.isExpectation = isExpectation
            self.category = category
        }
    }

    /// One line that ran, for reports.
    public struct Step: Sendable {
        public let location: SourceLocation
        /// The line as written.
        public let text: String
        /// Positions in the session's transcript of the requests the line sent.
        public let exchanges: Range<Int>
        /// The rendered error, without colour, when the line failed.
        public let failure: String?
        /// What the line read of the last response (`expect`, `capture`).
        public let reads: ResponseQuery?
    }

    public let file: String
    /// Every line run, in order.
    public var steps: [Step] = []
    /// Wall-clock time of the run (reports that show it are not compared between runs).
    public var duration: Duration = .zero
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

    /// The outcome with `scrub` applied to every text it holds that came from the script or the
    /// run (lines, failure messages, expected and actual values): what a report may write.
    public func scrubbed(_ scrub: (String) -> String) -> ScriptOutcome {
        var outcome = self
        outcome.steps = steps.map { Step(location: $0.location, text: scrub($0.text), exchanges: $0.exchanges, failure: $0.failure.map(scrub), reads: $0.reads) }
        outcome.failures = failures.map {
            Failure(location: $0.location, message: scrub($0.message), isExpectation: $0.isExpectation, category: $0.category)
        }
        outcome.expectations = expectations.map { record in
            ExpectationRecord(location: record.location, text: scrub(record.text), failure: record.failure.map { failure in
                ExpectationFailure(location: failure.location, sourceLine: scrub(failure.sourceLine), expected: scrub(failure.expected), actual: scrub(failure.actual))
            })
        }
        return outcome
    }
}

/// Runs scripts line by line through the ``Dispatcher``, with what scripts add on top: stop at
/// the first failure (or keep going), and an HTTP error answer that the next line expects
/// (`expect status 404`) is an outcome, not a failure.
public enum ScriptRunner {
    public static func run(_ script: Script, in context: ShellContext, keepGoing: Bool = false) async -> ScriptOutcome {
        var outcome = ScriptOutcome(file: script.file)
        let before = context.expectationCounts
        let recordedBefore = context.expectations.count
        let started = ContinuousClock.now
        _ = await runLines(script.resolvedLines, in: context, keepGoing: keepGoing, outcome: &outcome)
        outcome.duration = ContinuousClock.now - started
        let after = context.expectationCounts
        outcome.passedExpectations = after.passed - before.passed
        outcome.failedExpectations = after.failed - before.failed
        outcome.expectations = Array(context.expectations.dropFirst(recordedBefore))
        return outcome
    }

    /// Runs `lines`; false when a failure stopped them.
    static func runLines(_ lines: [ResolvedLine], in context: ShellContext, keepGoing: Bool, outcome: inout ScriptOutcome) async -> Bool {
        var index = 0
        var clean = true
        while index < lines.count {
            let resolved = lines[index]
            let line = resolved.line
            index += 1
            outcome.linesRun += 1
            let exchangesBefore = context.networkExchanges()
            var failure: String?
            defer {
                outcome.steps.append(.init(
                    location: line.location, text: line.text, exchanges: exchangesBefore..<context.networkExchanges(), failure: failure,
                    reads: resolved.command.responseQuery(Invocation(resolved, variables: context.variables))
                ))
            }
            do {
                try await Dispatcher.run(resolved, in: context)
            } catch .exit(let code) {
                outcome.exitCode = code
                if code != 0 {
                    failure = "exit \(code)"
                    outcome.failures.append(.init(location: line.location, message: "exit \(code)", isExpectation: false))
                }
                return code == 0 && clean
            } catch .requestFailed(let status, let message) where index < lines.count && expectedStatus(lines[index], context) == status {
                // Shown, so that a transcript says what the server answered.
                context.note(context.style.dim("(expected) " + Terminal.safe(message)))
                continue
            } catch {
                var error = error
                // The next line expected another status: say so, or the reader sees only the one that came.
                if case .requestFailed(let status, let message) = error, index < lines.count, let expected = expectedStatus(lines[index], context) {
                    error = .requestFailed(status: status, message: "\(message); line \(lines[index].line.location.line) expected status \(expected), not \(status)")
                }
                clean = false
                let isExpectation: Bool
                if case .expectationFailed = error { isExpectation = true } else { isExpectation = false }
                context.note(locate(error, line: line, style: context.style))
                failure = locate(error, line: line, style: .plain)
                // A line that ran and failed fails the run (1), whatever stopped it.
                outcome.failures.append(.init(location: line.location, message: failure!, isExpectation: isExpectation))
                if !keepGoing { return false }
            }
        }
        return clean
    }

    /// The status `next` expects, when it expects one (`expect status 404`): a failure with that
    /// status is what the script expects.
    static func expectedStatus(_ next: ResolvedLine, _ context: ShellContext) -> Int? {
        next.command.expectedStatus(Invocation(next, variables: context.variables))
    }

    /// Errors without a place of their own get the line's.
    private static func locate(_ error: ShellError, line: ScriptLine, style: TextStyle) -> String {
        switch error {
        case .requestFailed, .reported:
            return ShellError.pointing(at: line.location, sourceLine: line.text, message: errorText(error), style: style)
        default:
            return error.rendered(color: style.color)
        }
    }

    private static func errorText(_ error: ShellError) -> String {
        switch error {
        case .requestFailed(_, let message): message
        case .reported(let report): report.text
        default: ""
        }
    }
}

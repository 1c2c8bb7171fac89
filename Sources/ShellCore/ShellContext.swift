import Foundation
import HTTPValues
import Synchronization

/// Where a session's text goes: standard output, a buffer for a parallel job, a test.
public protocol ShellOutput: Sendable {
    func write(_ text: String)
}

/// Writes straight to standard output, one `write` per call so that lines arrive whole.
public struct StandardOutput: ShellOutput {
    public init() {}

    public func write(_ text: String) {
        Descriptor.write(text, to: STDOUT_FILENO)
    }
}

/// Whole writes to a file descriptor. A reader that has gone away (`nexsh run … | head -2`)
/// ends the program the way it ends `cat`, by SIGPIPE, quietly; Foundation's `FileHandle`
/// would trap instead.
public enum Descriptor {
    /// Writes `text` as ``Terminal/display(_:)`` makes it: styles in colour, and no control
    /// character but line breaks and tabs.
    public static func write(_ text: String, to descriptor: Int32) {
        writeControl(Terminal.display(text), to: descriptor)
    }

    /// Writes `text` exactly, escape sequences and all: for nexsh's own cursor movements (the
    /// progress line), never for text that holds anything from outside.
    public static func writeControl(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written >= 0 {
                    offset += written
                } else if errno == EINTR {
                    continue
                } else {
                    if errno == EPIPE {
                        signal(SIGPIPE, SIG_DFL)
                        raise(SIGPIPE)
                    }
                    return
                }
            }
        }
    }
}

/// Collects text, for a job whose output is shown when it ends, and for tests.
public final class BufferedOutput: ShellOutput {
    private let buffer = Mutex("")

    public init() {}

    public func write(_ text: String) {
        buffer.withLock { $0 += text }
    }

    public var text: String { buffer.withLock { $0 } }
}

/// The one line where a command that takes a while says how far it has got: the interactive
/// shell's is on standard error when that is a terminal; elsewhere there is none.
public protocol ProgressLine: Sendable {
    /// Replaces the line with `text` (nexsh's own words, no outside bytes unescaped).
    func show(_ text: String)
    /// Removes the line, before the command's output is printed.
    func clear()
}

public struct NoProgressLine: ProgressLine {
    public init() {}
    public func show(_ text: String) {}
    public func clear() {}
}

/// One `expect` that ran, for reports.
public struct ExpectationRecord: Sendable {
    public let location: SourceLocation
    /// The line as written.
    public let text: String
    /// nil when it held.
    public let failure: ExpectationFailure?
}

/// Asks the person at the terminal (the interactive shell provides one; scripts have none).
/// An answer is nil when the person cancelled the question (Ctrl-C, or Ctrl-D with nothing
/// typed).
public protocol Prompter: Sendable {
    func readLine(prompt: String) async -> String?
    /// Echo off: for passwords.
    func readSecret(prompt: String) async -> String?
}

/// The state one session of commands shares: variables, the last response, counters, where
/// output goes. One command runs at a time in a context; parallel runs each have their own.
public final class ShellContext: Sendable {
    struct State {
        var variables: Variables
        var lastExchange: HTTPExchange?
        var passedExpectations = 0
        var failedExpectations = 0
        var sourceDepth = 0
        var expectations: [ExpectationRecord] = []
        var exchangeCount = 0
    }

    public let commands: CommandTable
    /// What the commands work with beyond the language (the Nexudus session, the interactive
    /// shell's history): commands find them here by type, so that reading a line needs none.
    private let services: [any Sendable]
    public let output: any ShellOutput
    /// Where what is not a command's data goes: errors, notes, what a write will send. Standard
    /// error in the app (unless `--summary stdout`), so that standard output holds only data.
    public let diagnostics: any ShellOutput
    public let style: TextStyle
    public let isInteractive: Bool
    public let prompter: (any Prompter)?
    public let progress: any ProgressLine
    /// Lines run here may leave out what the prompter can ask for.
    public var lineOrigin: LineOrigin { prompter == nil ? .script : .interactive }
    /// How many requests the session behind the commands has sent and had answered so far, for
    /// reports that show each line's exchanges (its transcript lives with the session).
    public let networkExchanges: @Sendable () -> Int
    private let replaying: @Sendable () -> Bool
    private let state: Mutex<State>

    public init(
        commands: CommandTable,
        services: [any Sendable] = [],
        variables: Variables = Variables(),
        output: any ShellOutput = StandardOutput(),
        diagnostics: (any ShellOutput)? = nil,
        style: TextStyle = .plain,
        isInteractive: Bool = false,
        prompter: (any Prompter)? = nil,
        progress: any ProgressLine = NoProgressLine(),
        networkExchanges: @escaping @Sendable () -> Int = { 0 },
        replaying: @escaping @Sendable () -> Bool = { false }
    ) {
        self.commands = commands
        self.services = services
        self.networkExchanges = networkExchanges
        self.replaying = replaying
        self.output = output
        self.diagnostics = diagnostics ?? output
        self.style = style
        self.isInteractive = isInteractive
        self.prompter = prompter
        self.progress = progress
        state = Mutex(State(variables: variables))
    }

    /// The service of this type the context was made with (a programming error when there is
    /// none: the shell that registers a command registers what it uses).
    public func service<Service>(_ type: Service.Type) -> Service {
        guard let service = optionalService(type) else { preconditionFailure("this shell has no \(Service.self) for its commands") }
        return service
    }

    /// The service of this type, if the context was made with one: for what works without it
    /// too (completing a path from the catalogue needs no session; ids seen come with one).
    public func optionalService<Service>(_ type: Service.Type) -> Service? {
        // A loop, not a lazy compactMap: every command asks, and the lazy sequence's generic
        // machinery cost more than the cast.
        for service in services {
            if let match = service as? Service { return match }
        }
        return nil
    }

    // MARK: Output

    /// Writes a line (a newline is added).
    public func print(_ text: String = "") {
        output.write(text + "\n")
    }

    /// A line that is not data: an error, a note, what a write will send.
    public func note(_ text: String) {
        diagnostics.write(text + "\n")
    }

    // MARK: Variables

    public var variables: Variables { state.withLock { $0.variables } }

    /// Sets (or, with nil, forgets) a variable; a value beyond ``Variables/maximumSize`` is refused.
    public func setVariable(_ name: String, _ value: String?) throws(ShellError) {
        if let value { try Variables.checkSize(value.utf8.count, "setting '\(name)' to \(value.utf8.count) bytes") }
        state.withLock { $0.variables[name] = value }
    }

    // MARK: The last response

    /// The last request and its answer, as commands leave them for `expect`, `capture` and `last`.
    public var lastExchange: HTTPExchange? { state.withLock { $0.lastExchange } }

    /// Commands call this with every answer they receive; the last one is what `expect` sees.
    public func received(_ response: HTTPResponse, for request: HTTPRequest) {
        state.withLock {
            $0.lastExchange = HTTPExchange(request: request, response: response)
            $0.exchangeCount += 1
        }
    }

    /// How many answers commands have received: tells whether a command made a request.
    public var exchangeCount: Int { state.withLock { $0.exchangeCount } }

    public func forgetLastExchange() {
        state.withLock { $0.lastExchange = nil }
    }

    // MARK: Replay

    /// True while answers come from a cassette in replay mode: `sleep` then does not wait, so a
    /// replay gives the same output at any speed. Asked of the session behind the commands
    /// (`replaying`, given when the context is built), which alone knows what its cassette does.
    public var isReplaying: Bool { replaying() }

    // MARK: Counters

    public var expectationCounts: (passed: Int, failed: Int) {
        state.withLock { ($0.passedExpectations, $0.failedExpectations) }
    }

    func recordExpectation(_ line: ScriptLine, failure: ExpectationFailure?) {
        state.withLock {
            failure == nil ? ($0.passedExpectations += 1) : ($0.failedExpectations += 1)
            $0.expectations.append(ExpectationRecord(location: line.location, text: line.text, failure: failure))
        }
    }

    /// Every expectation checked so far, in order.
    public var expectations: [ExpectationRecord] { state.withLock { $0.expectations } }

    func enterSource() -> Int {
        state.withLock {
            $0.sourceDepth += 1
            return $0.sourceDepth
        }
    }

    func leaveSource() {
        state.withLock { $0.sourceDepth -= 1 }
    }
}

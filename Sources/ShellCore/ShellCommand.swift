/// One command of the language: its name, help, argument signature, completion and action,
/// together in one unit (the shell asks any command for completions; scripts and typed lines
/// reach it through the same ``Dispatcher``).
public protocol ShellCommand: Sendable {
    var name: String { get }
    var aliases: [String] { get }
    /// One line for `help`.
    var summary: String { get }
    /// More words for `help <command>`: what it sends, what it prints.
    var details: String { get }
    /// Lines that use it, for `help <command>`.
    var examples: [String] { get }
    /// The arguments and options: the same for every line of the command, and built the first
    /// time a line of it is read. A run reads a few of the commands the table holds, and
    /// building every signature when the table was made was a millisecond of each start.
    static var signature: CommandSignature { get }
    /// `switch <coworkerId> [--json]`: from the signature, unless a command's grammar says more.
    var usage: String { get }
    /// Whether a script saved from a session keeps the command: false for what concerns only
    /// the terminal (`help`, `last`, `history`).
    var scriptable: Bool { get }

    /// Checks a line when it is read, before anything runs: grammar beyond the signature (like
    /// `expect`'s), values written literally (a status, an id), what only a person at the prompt
    /// may leave out. Every check that needs no server belongs here; a word holding `${…}` is
    /// checked when the line runs.
    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError)

    /// What the line does to the variables, so that reading a script finds a variable used
    /// before anything sets it.
    func variableEffect(_ arguments: ParsedArguments) -> VariableEffect

    /// The line as a saved script writes it (already scrubbed of secrets): a command that asks
    /// the person at the prompt for what a line leaves out says here where a script gets it.
    func savedLine(_ line: String, _ arguments: ParsedArguments) -> String

    /// Candidates for the word being completed.
    func complete(_ request: CompletionRequest, in context: ShellContext) async -> [Completion]

    /// The HTTP status the line before this one should get (`expect status 404`): a request
    /// that fails with it is then what the script expects, not a failure. Nil for most commands.
    func expectedStatus(_ invocation: Invocation) -> Int?

    /// What the line reads of the last response (`expect`, `capture`), so that a run can tell
    /// which fields of which endpoint its scripts check (`nexsh run --coverage`). Nil when the
    /// command reads none, or its words are not a query.
    func responseQuery(_ invocation: Invocation) -> ResponseQuery?

    func run(_ invocation: Invocation, in context: ShellContext) async throws
}

extension ShellCommand {
    public var aliases: [String] { [] }
    public var details: String { "" }
    public var examples: [String] { [] }
    public var scriptable: Bool { true }
    public func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {}
    public func variableEffect(_ arguments: ParsedArguments) -> VariableEffect { .none }
    public func savedLine(_ line: String, _ arguments: ParsedArguments) -> String { line }
    public func complete(_ request: CompletionRequest, in context: ShellContext) async -> [Completion] { [] }
    // Requirements rather than protocols of their own: a script asks every line, and a failed
    // `as? any P` cast scans every conformance the program has (20 µs each, the first time).
    public func expectedStatus(_ invocation: Invocation) -> Int? { nil }
    public func responseQuery(_ invocation: Invocation) -> ResponseQuery? { nil }

    public var signature: CommandSignature { Self.signature }

    public var usage: String { signature.usage(for: name) }

    /// `help <command>`: usage, summary, details, arguments, options and examples.
    public var helpText: String { helpText(width: nil) }

    /// The help, wrapped at word boundaries to `width` columns when given: each paragraph of
    /// the details flows as one, and an argument's or option's help keeps its column.
    public func helpText(width: Int?) -> String {
        func wrap(_ text: String, indent: String = "") -> String { Terminal.wrapped(text, width: width, indent: indent) }
        func entry(_ term: String, _ help: String) -> String {
            let column = String(repeating: " ", count: 22)
            return wrap((term.count < 22 ? term.padding(toLength: 22, withPad: " ", startingAt: 0) : term + "  ") + help, indent: column)
        }
        var lines = [wrap("usage: \(usage)", indent: "       "), "", wrap(summary)]
        if !details.isEmpty {
            // Written with line breaks in the source; flowed here, paragraph by paragraph. An
            // indented line is laid out by hand (a list of forms), and stays as it is.
            for paragraph in details.components(separatedBy: "\n\n") {
                var flowing: [String] = []
                lines.append("")
                for line in paragraph.split(separator: "\n") {
                    if line.hasPrefix(" ") {
                        if !flowing.isEmpty { lines.append(wrap(flowing.joined(separator: " "))) }
                        flowing = []
                        lines.append(String(line))
                    } else {
                        flowing.append(String(line))
                    }
                }
                if !flowing.isEmpty { lines.append(wrap(flowing.joined(separator: " "))) }
            }
        }
        if !signature.positionals.isEmpty {
            lines += ["", "arguments:"]
            for positional in signature.positionals {
                lines.append(entry("  <\(positional.name)>" + (positional.isVariadic ? "..." : ""), positional.help))
            }
        }
        if !signature.options.isEmpty {
            lines += ["", "options:"]
            for option in signature.options {
                lines.append(entry("  " + option.term, option.help))
            }
        }
        if !examples.isEmpty {
            lines += ["", examples.count == 1 ? "example:" : "examples:"] + examples.map { "  " + $0 }
        }
        if !aliases.isEmpty { lines += ["", "also: " + aliases.joined(separator: ", ")] }
        return lines.joined(separator: "\n")
    }
}

/// How a command changes the script's variables.
public enum VariableEffect: Sendable {
    case none
    case defines([String])
    case removes([String])
    /// Anything may be set from here on (`source` runs another file).
    case unknown
}

/// A line read and resolved: the command it runs and its arguments, checked once when the
/// line was read. A script is a list of them.
public struct ResolvedLine: Sendable {
    public let line: ScriptLine
    public let command: any ShellCommand
    public let arguments: ParsedArguments
}

/// A command line as it runs: its arguments, each read as its declaration's type with the
/// variables as they are now (`try invocation[Self.coworkerId]`).
public struct Invocation: Sendable {
    public let line: ScriptLine
    public let arguments: ParsedArguments
    private let command: any ShellCommand
    private let variables: Variables

    init(_ resolved: ResolvedLine, variables: Variables) {
        line = resolved.line
        arguments = resolved.arguments
        command = resolved.command
        self.variables = variables
    }

    public var location: SourceLocation { line.location }

    public func expand(_ word: Word) throws(ShellError) -> String {
        try variables.expand(word, sourceLine: line.text)
    }

    public subscript<Value>(_ argument: Positional<Value>) -> Value {
        get throws(ShellError) { try value(of: arguments.word(argument)) }
    }

    public subscript<Value>(_ argument: OptionalPositional<Value>) -> Value? {
        get throws(ShellError) { try arguments.word(argument).map { word throws(ShellError) in try value(of: word) } }
    }

    public subscript<Value>(_ argument: VariadicPositional<Value>) -> [Value] {
        get throws(ShellError) { try values(of: arguments.words(argument)) }
    }

    public subscript<Value>(_ option: ValueOption<Value>) -> Value? {
        get throws(ShellError) { try arguments.words(option).last.map { word throws(ShellError) in try value(of: word) } }
    }

    public subscript<Value>(_ option: RepeatedOption<Value>) -> [Value] {
        get throws(ShellError) { try values(of: arguments.words(option)[...]) }
    }

    public subscript(_ flag: FlagOption) -> Bool { arguments.has(flag) }

    /// The word expanded and read as a `Value`; a usage error at the word when it is not one.
    private func value<Value: ArgumentValue>(of word: Word) throws(ShellError) -> Value {
        try read(try expand(word), at: word)
    }

    private func read<Value: ArgumentValue>(_ text: String, at word: Word) throws(ShellError) -> Value {
        do {
            return try Value.parse(text)
        } catch {
            throw usageError(error.message, at: word)
        }
    }

    /// The words expanded and read, together no more than ``Variables/maximumSize`` bytes. (A
    /// slice, not any sequence: a generic one has its iterator's type looked up as the program
    /// runs, 20 µs the first time for each kind.)
    private func values<Value: ArgumentValue>(of words: ArraySlice<Word>) throws(ShellError) -> [Value] {
        var values: [Value] = []
        var total = 0
        for word in words {
            let text = try expand(word)
            total += text.utf8.count
            try Variables.checkSize(total, "the words of this command")
            values.append(try read(text, at: word))
        }
        return values
    }

    /// Usage errors of the command on this line. The usage is written out only here, when
    /// there is an error to show it with: a long script runs many lines and errs on few.
    public var usageErrors: UsageErrors { UsageErrors(command: command.name, usage: command.usage, line: line) }

    /// A usage error pointing at `word` (or at the command).
    public func usageError(_ message: String, at word: Word? = nil) -> ShellError {
        usageErrors.at(word?.location ?? line.location, message)
    }
}

/// What completion is asked to complete.
public struct CompletionRequest: Sendable {
    /// The words before the one under the cursor (the command name first).
    public let previousWords: [String]
    /// The start of the word under the cursor.
    public let prefix: String

    public init(previousWords: [String], prefix: String) {
        self.previousWords = previousWords
        self.prefix = prefix
    }

    /// The option whose value is being completed (`--mode` in `record x.har --mode `, `-o`).
    func option(in signature: CommandSignature) -> CommandSignature.OptionSpec? {
        previousWords.last.flatMap { signature.option(forWord: $0) }.flatMap { $0.isFlag ? nil : $0 }
    }

    /// How many positionals precede the cursor.
    public func positionalIndex(in signature: CommandSignature) -> Int {
        var count = 0
        var skipNext = false
        for word in previousWords.dropFirst() {
            if skipNext {
                skipNext = false
                continue
            }
            if let option = signature.option(forWord: word) {
                skipNext = !option.isFlag
            } else if word.hasPrefix("--") {
                skipNext = false
            } else {
                count += 1
            }
        }
        return count
    }
}

public struct Completion: Sendable, Equatable {
    /// What is inserted.
    public var value: String
    /// What the list shows beside it (a profile's name for its id).
    public var description: String?
    /// False for folder names, so the cursor stays inside the path.
    public var appendsSpace: Bool

    public init(_ value: String, description: String? = nil, appendsSpace: Bool = true) {
        self.value = value
        self.description = description
        self.appendsSpace = appendsSpace
    }
}

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
    var signature: CommandSignature { get }

    /// Checks a line before anything runs (for grammar beyond the signature, like `expect`'s).
    func validate(_ arguments: ParsedArguments, line: ScriptLine) throws(ShellError)

    /// What the line does to the variables, so that reading a script finds a variable used
    /// before anything sets it.
    func variableEffect(_ arguments: ParsedArguments) -> VariableEffect

    /// Candidates for the word being completed.
    func complete(_ request: CompletionRequest, in context: ShellContext) async -> [Completion]

    func run(_ invocation: Invocation, in context: ShellContext) async throws
}

extension ShellCommand {
    public var aliases: [String] { [] }
    public var details: String { "" }
    public func validate(_ arguments: ParsedArguments, line: ScriptLine) throws(ShellError) {}
    public func variableEffect(_ arguments: ParsedArguments) -> VariableEffect { .none }
    public func complete(_ request: CompletionRequest, in context: ShellContext) async -> [Completion] { [] }

    public var usage: String { signature.usage(for: name) }

    /// `help <command>`: usage, summary, details, arguments and options.
    public var helpText: String {
        var lines = ["usage: \(usage)", "", summary]
        if !details.isEmpty { lines += ["", details] }
        if !signature.positionals.isEmpty {
            lines += ["", "arguments:"]
            for positional in signature.positionals {
                lines.append("  <\(positional.name)>".padding(toLength: 22, withPad: " ", startingAt: 0) + positional.help)
            }
        }
        if !signature.options.isEmpty {
            lines += ["", "options:"]
            for option in signature.options {
                let flag = "  --\(option.name)" + (option.valueName.map { " <\($0)>" } ?? "")
                lines.append((flag.count < 22 ? flag.padding(toLength: 22, withPad: " ", startingAt: 0) : flag + "  ") + option.help)
            }
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

/// A command line ready to run: its parsed arguments, expanded on demand with the variables
/// as they are when it runs.
public struct Invocation: Sendable {
    public let command: String
    public let line: ScriptLine
    public let arguments: ParsedArguments
    private let variables: Variables

    init(command: String, line: ScriptLine, arguments: ParsedArguments, variables: Variables) {
        self.command = command
        self.line = line
        self.arguments = arguments
        self.variables = variables
    }

    public var location: SourceLocation { line.location }

    public func expand(_ word: Word) throws(ShellError) -> String {
        try variables.expand(word, sourceLine: line.text)
    }

    /// The expanded positional at `index`, or nil when absent.
    public func positional(_ index: Int) throws(ShellError) -> String? {
        guard index < arguments.positionals.count else { return nil }
        return try expand(arguments.positionals[index])
    }

    /// The positional at `index` as a file's path: expanded, and a leading `~/` read as the
    /// home folder (``TypedPath``).
    public func file(_ index: Int) throws(ShellError) -> String? {
        try positional(index).map(TypedPath.expandingHome)
    }

    /// Every positional from `index` on, expanded.
    public func positionals(from index: Int) throws(ShellError) -> [String] {
        guard index < arguments.positionals.count else { return [] }
        return try expandAll(arguments.positionals[index...])
    }

    public func option(_ name: String) throws(ShellError) -> String? {
        guard let word = arguments.options[name]?.last else { return nil }
        return try expand(word)
    }

    public func options(_ name: String) throws(ShellError) -> [String] {
        try expandAll(arguments.options[name] ?? [])
    }

    /// The words expanded, together no more than ``Variables/maximumSize`` bytes.
    func expandAll(_ words: some Sequence<Word>) throws(ShellError) -> [String] {
        var values: [String] = []
        var total = 0
        for word in words {
            let value = try expand(word)
            total += value.utf8.count
            try Variables.checkSize(total, "the words of this command")
            values.append(value)
        }
        return values
    }

    public func flag(_ name: String) -> Bool { arguments.has(name) }

    /// A usage error pointing at `word` (or at the command).
    public func usageError(_ message: String, at word: Word? = nil, usage: String) -> ShellError {
        .usage(command: command, message: message, word?.location ?? line.location, sourceLine: line.text, usage: usage)
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

    /// The option whose value is being completed (`--mode` in `record x.har --mode `).
    public var option: String? {
        guard let last = previousWords.last, last.hasPrefix("--") else { return nil }
        return String(last.dropFirst(2))
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
            if word.hasPrefix("--") {
                let name = String(word.dropFirst(2))
                skipNext = signature.options.first { $0.name == name }.map { !$0.isFlag } ?? false
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

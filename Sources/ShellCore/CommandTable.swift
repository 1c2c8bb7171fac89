/// The commands a shell knows, by name and alias. Nexudus commands are registered into it from
/// outside; the engine knows only the generic ones.
public struct CommandTable: Sendable {
    private var commands: [any ShellCommand] = []
    private var index: [String: Int] = [:]
    /// What `help` explains beyond the commands (``HelpTopics``), when the language has more.
    public var helpTopics: (any HelpTopics)?

    public init() {}

    public struct DuplicateName: Error, CustomStringConvertible {
        public let name: String
        public var description: String { "two commands are named '\(name)'" }
    }

    /// Adds a command; its name and aliases must be new.
    public mutating func register(_ command: any ShellCommand) throws(DuplicateName) {
        for name in [command.name] + command.aliases {
            guard index[name] == nil else { throw DuplicateName(name: name) }
        }
        for name in [command.name] + command.aliases { index[name] = commands.count }
        commands.append(command)
    }

    public func command(named name: String) -> (any ShellCommand)? {
        index[name].map { commands[$0] }
    }

    /// Every command, in the order registered.
    public var all: [any ShellCommand] { commands }

    /// Names and aliases, sorted.
    public var names: [String] { index.keys.sorted() }

    /// The command a line runs and its arguments, checked, or the reason the line is wrong;
    /// `origin` says whether a person is there to be asked for what the line leaves out.
    public func resolve(_ line: ScriptLine, origin: LineOrigin) throws(ShellError) -> ResolvedLine {
        guard let first = line.words.first else { throw .syntax("empty command", line.location, sourceLine: line.text) }
        guard let name = first.bareText else {
            throw .syntax("a command name cannot be quoted or contain ${…}", first.location, sourceLine: line.text)
        }
        guard let command = command(named: name) else {
            throw .unknownCommand(name, suggestion: Suggestions.nearest(to: name, in: names), first.location, sourceLine: line.text)
        }
        let reading = LineReading(line: line, origin: origin, commands: self, command: command)
        let arguments: ParsedArguments
        do {
            arguments = try ParsedArguments(line.words.dropFirst(), signature: command.signature, lineStart: line.location)
            try command.signature.checkLiterals(arguments)
        } catch {
            throw reading.usageError(error.message, at: error.location)
        }
        try command.validate(arguments, in: reading)
        return ResolvedLine(line: line, command: command, arguments: arguments)
    }
}

/// Where a line comes from, which decides what it may leave out.
public enum LineOrigin: Sendable, Equatable {
    /// Typed at the prompt, or a script sourced from it: a command may ask the person there for
    /// what the line leaves out (`login` asks for the e-mail address).
    case interactive
    /// A script with nobody to ask (`nexsh run`, standard input, a bundle): the line must say
    /// everything.
    case script
}

/// What a command's ``ShellCommand/validate(_:in:)`` checks a line with when it is read, before
/// anything runs: the line, where it comes from, and the language it is read in.
public struct LineReading: Sendable {
    public let line: ScriptLine
    public let origin: LineOrigin
    /// Every command, for a command that names another (`help switch`).
    public let commands: CommandTable
    private let command: any ShellCommand

    init(line: ScriptLine, origin: LineOrigin, commands: CommandTable, command: any ShellCommand) {
        self.line = line
        self.origin = origin
        self.commands = commands
        self.command = command
    }

    /// Usage errors of the command on this line.
    public var usageErrors: UsageErrors { UsageErrors(command: command.name, usage: command.usage, line: line) }

    public func usageError(_ message: String, at location: SourceLocation) -> ShellError {
        usageErrors.at(location, message)
    }

    public func usageError(_ message: String, at word: Word) -> ShellError {
        usageErrors.at(word, message)
    }

    /// Just past the line's last word: where something missing would go.
    public var end: SourceLocation { line.words.last?.end ?? line.location }
}

import Foundation

/// What runs a script along: another script, a pause, text, help, the end. In the order `help`
/// lists them.
extension BuiltinCommands {
    static let flow: [any ShellCommand] = [SourceCommand(), SleepCommand(), EchoCommand(), HelpCommand(), ExitCommand()]
}

struct SourceCommand: ShellCommand {
    let name = "source"
    let examples = ["source Scripts/signin-and-profiles.nexsh"]
    let summary = "Run the commands of another script file here (relative to this script's folder)."
    static let file = Positional<FilePath>("file", help: "A .nexsh script.", completion: .files(extensions: ["nexsh"]))
    static let signature = CommandSignature(file)

    static let maximumDepth = 16

    func variableEffect(_ arguments: ParsedArguments) -> VariableEffect { .unknown }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let path = try invocation[Self.file].path
        let including = invocation.location.file
        // The including script's folder as it was named (`Scripts/` for `Scripts/a.nexsh`);
        // for typed lines (`<input>`) and standard input (`<stdin>`), the current folder.
        let current = TypedPath.currentDirectoryPath
        let base = including.hasPrefix("<") ? (current.hasSuffix("/") ? current : current + "/")
            : including.lastIndex(of: "/").map { String(including[...$0]) } ?? ""
        let shown = path.hasPrefix("/") ? path : base + path
        let depth = context.enterSource()
        defer { context.leaveSource() }
        guard depth <= Self.maximumDepth else {
            throw ShellError.failed("source: scripts nested more than \(Self.maximumDepth) deep (does \(shown) source itself?)")
        }
        let script = try Script(
            contentsOfFile: TypedPath.filePath(shown), displayName: shown, commands: context.commands, knownVariables: Set(context.variables.all.map(\.name)),
            environment: context.variables.environment, origin: context.lineOrigin
        )
        var outcome = ScriptOutcome(file: shown)
        let clean = await ScriptRunner.runLines(script.resolvedLines, in: context, keepGoing: false, outcome: &outcome)
        if let code = outcome.exitCode { throw ShellError.exit(code: code) }
        if !clean { throw ShellError.failed("the sourced script \(shown) failed") }
    }
}

struct SleepCommand: ShellCommand {
    let name = "sleep"
    let examples = ["sleep 500"]
    let summary = "Wait some milliseconds (not while replaying a cassette, so replays run at full speed)."
    static let duration = Positional<Milliseconds>("milliseconds", help: "How long to wait, up to an hour.")
    static let signature = CommandSignature(duration)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let duration = try invocation[Self.duration]
        guard !context.isReplaying else { return }
        try await Task.sleep(for: .milliseconds(duration.count))
    }
}

/// How long `sleep` waits: an hour at most.
struct Milliseconds: ArgumentValue {
    static let range = 0...3_600_000
    let count: Int

    static func parse(_ text: String) throws(ArgumentError) -> Milliseconds {
        guard let count = Int(text), range.contains(count) else {
            throw ArgumentError("'\(text)' is not a number of milliseconds from \(range.lowerBound) to \(range.upperBound) (an hour)")
        }
        return Milliseconds(count: count)
    }
}

struct EchoCommand: ShellCommand {
    let name = "echo"
    let examples = ["echo signed in as ${who}"]
    let summary = "Print text (variables expanded)."
    static let text = VariadicPositional<String>("text", help: "Words to print, joined by spaces.", isOptional: true)
    static let signature = CommandSignature(text)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        context.print(Terminal.safe(try invocation[Self.text].joined(separator: " ")))
    }
}

struct HelpCommand: ShellCommand {
    let name = "help"
    let examples = ["help switch", "help GET /api/public/teams/55/profile"]
    let summary = "List the commands, or explain one: help <command>, or an endpoint: help [METHOD] <path>."
    static let topic = OptionalPositional<String>(
        "topic", help: "The command to explain, or an endpoint's path, or its method before the path.", completion: .commands
    )
    static let path = OptionalPositional<String>("path", help: "The endpoint's path, after its method.")
    static let signature = CommandSignature(topic, path)
    let scriptable = false

    /// A topic written in the line is checked when the line is read; one from a variable when it runs.
    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        guard let topic = arguments.word(Self.topic), let first = topic.literal else { return }
        var words = [first]
        if let path = arguments.word(Self.path) {
            guard let second = path.literal else { return }
            words.append(second)
        }
        guard reading.commands.explanation(of: words, style: .plain) == nil else { return }
        throw reading.usageError(reading.commands.nothingToExplain(words), at: topic)
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        if let topic = try invocation[Self.topic] {
            let words = [topic] + (try invocation[Self.path].map { [$0] } ?? [])
            guard let text = context.commands.explanation(of: words, style: context.style) else {
                throw ShellError.failed("help: " + context.commands.nothingToExplain(words))
            }
            context.print(text)
            return
        }
        let width = (context.commands.all.map(\.name.count).max() ?? 0) + 2
        let indent = String(repeating: " ", count: width + 2)
        for command in context.commands.all {
            // Wrapped plain, then the name made bold: the marks take no columns.
            let line = Terminal.wrapped("  " + command.name.padding(toLength: width, withPad: " ", startingAt: 0) + command.summary,
                                        width: context.style.columns, indent: indent)
            context.print("  " + context.style.bold(command.name) + line.dropFirst(2 + command.name.count))
        }
        context.print()
        context.print(Terminal.wrapped(
            "help <command> explains one (so do <command> --help and -h); every command that shows an answer takes --json for the raw body.",
            width: context.style.columns
        ))
    }
}

struct ExitCommand: ShellCommand {
    let name = "exit"
    let examples = ["exit 1"]
    let aliases = ["quit"]
    let summary = "End the session (or the script), with an optional exit status."
    static let status = OptionalPositional<ExitStatus>("status", help: "0 by default.")
    static let signature = CommandSignature(status)
    let scriptable = false

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        throw ShellError.exit(code: try invocation[Self.status]?.code ?? 0)
    }
}

/// What `exit` ends with: 0 to 255, as a process's exit status.
struct ExitStatus: ArgumentValue {
    let code: Int32

    static func parse(_ text: String) throws(ArgumentError) -> ExitStatus {
        guard let code = Int32(text), (0...255).contains(code) else { throw ArgumentError("'\(text)' is not an exit status (0 to 255)") }
        return ExitStatus(code: code)
    }
}

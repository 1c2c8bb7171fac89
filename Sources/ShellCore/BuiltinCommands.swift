import Foundation
import JSONValues

/// The commands every session has, whatever the API: variables, expectations, the last
/// response, scripts, help.
public enum BuiltinCommands {
    public static var all: [any ShellCommand] {
        [
            SetCommand(), UnsetCommand(), VarsCommand(), CaptureCommand(), ExpectCommand(), LastCommand(),
            SourceCommand(), SleepCommand(), EchoCommand(), HelpCommand(), ExitCommand(),
        ]
    }
}

struct SetCommand: ShellCommand {
    let name = "set"
    let examples = ["set team 55", "set who \"Jane Doe\""]
    let summary = "Set a variable: set <name> <value>; use it as ${name}."
    static let variable = Positional<VariableName>("name", help: "Letters, digits, _ and -.")
    static let value = VariadicPositional<String>("value", help: "The rest of the line.", secrecy: .variableValue)
    let signature = CommandSignature(variable, value)

    func variableEffect(_ arguments: ParsedArguments) -> VariableEffect {
        .defines([arguments.word(Self.variable)].compactMap(\.literal))
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        try context.setVariable(try invocation[Self.variable].name, try invocation[Self.value].joined(separator: " "))
    }
}

struct UnsetCommand: ShellCommand {
    let name = "unset"
    let examples = ["unset team"]
    let summary = "Forget variables."
    static let variables = VariadicPositional<String>("name", help: "Variables to forget.", completion: .variables)
    let signature = CommandSignature(variables)

    func variableEffect(_ arguments: ParsedArguments) -> VariableEffect {
        .removes(arguments.words(Self.variables).compactMap(\.literal))
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        for name in try invocation[Self.variables] { try context.setVariable(name, nil) }
    }
}

struct VarsCommand: ShellCommand {
    let name = "vars"
    let examples = ["vars"]
    let summary = "List the variables and their values."
    let signature = CommandSignature()

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let all = context.variables.all
        guard !all.isEmpty else {
            context.print(context.style.dim("(no variables)"))
            return
        }
        for (name, value) in all {
            context.print("\(context.style.bold(name)) = \(Terminal.safe(value))")
        }
    }
}

struct CaptureCommand: ShellCommand {
    let name = "capture"
    let examples = ["capture id .Profiles[0].Id", "capture type header Content-Type"]
    let summary = "Keep a value of the last response in a variable: capture <name> <query>."
    let details = "The query is status, header <name>, body, a JSON path (.Profiles[0].Id) or count(path)."
    static let variable = Positional<VariableName>("name", help: "The variable to set.")
    static let query = Positional<String>("query", help: "What to read.")
    let signature = CommandSignature(variable, query, takesFreeWords: true)

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        let words = Array(arguments.words(from: Self.query))
        let (_, used) = try ResponseQuery.parse(words, errors: reading.usageErrors)
        if words.count > used {
            throw reading.usageError("unexpected argument '\(words[used].source)'", at: words[used])
        }
    }

    func variableEffect(_ arguments: ParsedArguments) -> VariableEffect {
        .defines([arguments.word(Self.variable)].compactMap(\.literal))
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let name = try invocation[Self.variable].name
        let (query, _) = try ResponseQuery.parse(Array(invocation.arguments.words(from: Self.query)), errors: invocation.usageErrors)
        guard let exchange = context.lastExchange else { throw ShellError.failed("nothing to capture: no request has been made yet") }
        guard let value = try query.evaluate(on: exchange) else { throw ShellError.failed("nothing at \(query) to capture") }
        try context.setVariable(name, value.stringValue ?? value.serialized())
    }
}

struct ExpectCommand: ShellCommand, StatusExpecting {
    let name = "expect"
    let examples = [
        "expect status 200", "expect .User.Id == 42", #"expect .User.FullName == "Jane Doe""#,
        "expect .Profiles[0].VirtualOfficeContractId is null", "expect count(.Profiles) >= 2",
    ]
    let summary = "Check the last response: expect status 200, expect .User.Id == 42, expect count(.Profiles) >= 2."
    let details = """
        forms:
          expect status <code>
          expect <query> <op> <value>     op: == != < <= > >= contains, matches /regex/
          expect <query> is <type>        type: \(Expectation.typeList)
          expect <query> exists|missing

        Queries: status, header <name>, body, a JSON path (.Profiles[1].Id, .Profiles[*].FullName,
        .[0].Team.Name) or count(path). Values are typed: a quoted value is text ("102",
        "true"), an unquoted one is JSON (102, true, null, [101, 102]), and text never equals a
        number, a boolean or null: expect .User.Id == "42" fails on the number 42. A header and
        the body are text, compared with the value's text. < <= > >= compare numbers. A request
        that failed with an HTTP error passes when the next line expects its status.
        """
    var usage: String { "expect <query> [<op> <value> | is <type> | exists | missing]" }
    let signature = CommandSignature(takesFreeWords: true)

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        // Values may hold variables that are only known when the line runs.
        _ = try Expectation(words: Array(arguments.freeWords), line: reading.line) { word throws(ShellError) in word.literal }
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let expectation = try Expectation(words: Array(invocation.arguments.freeWords), line: invocation.line) { word throws(ShellError) in
            try invocation.expand(word)
        }
        let failure = try expectation.check(context.lastExchange, line: invocation.line)
        context.recordExpectation(invocation.line, failure: failure)
        if let failure { throw ShellError.expectationFailed(failure) }
    }

    /// `expect status <code>`: the code, with the variables as they are now.
    func expectedStatus(_ invocation: Invocation) -> Int? {
        let words = Array(invocation.arguments.freeWords)
        guard words.count == 2, words[0].bareText == "status", let text = try? invocation.expand(words[1]) else { return nil }
        return Int(text)
    }
}

struct LastCommand: ShellCommand {
    let name = "last"
    let examples = ["last --headers"]
    let summary = "Show the last response again (with --headers, its status line and headers)."
    static let headers = FlagOption("headers", help: "Show the status line and headers too.")
    let signature = CommandSignature(headers, FlagOption.json)
    let scriptable = false

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        guard let exchange = context.lastExchange else {
            context.print(context.style.dim("(no response yet)"))
            return
        }
        if invocation[Self.headers] {
            context.print(BodyRenderer.renderHead(exchange.response, style: context.style))
            context.print()
        } else if !invocation[FlagOption.json] {
            context.print(context.style.status(exchange.response.status, "\(exchange.response.status) \(Terminal.safe(exchange.response.reason))"))
        }
        context.print(BodyRenderer.render(exchange.response, style: context.style))
    }
}

struct SourceCommand: ShellCommand {
    let name = "source"
    let examples = ["source Scripts/signin-and-profiles.nexsh"]
    let summary = "Run the commands of another script file here (relative to this script's folder)."
    static let file = Positional<FilePath>("file", help: "A .nexsh script.", completion: .files(extensions: ["nexsh"]))
    let signature = CommandSignature(file)

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
        let url = TypedPath.fileURL(shown)
        let depth = context.enterSource()
        defer { context.leaveSource() }
        guard depth <= Self.maximumDepth else {
            throw ShellError.failed("source: scripts nested more than \(Self.maximumDepth) deep (does \(shown) source itself?)")
        }
        let script = try Script(
            contentsOf: url, displayName: shown, commands: context.commands, knownVariables: Set(context.variables.all.map(\.name)),
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
    let signature = CommandSignature(duration)

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
    let signature = CommandSignature(text)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        context.print(Terminal.safe(try invocation[Self.text].joined(separator: " ")))
    }
}

struct HelpCommand: ShellCommand {
    let name = "help"
    let examples = ["help switch"]
    let summary = "List the commands, or explain one: help <command>."
    static let command = OptionalPositional<String>("command", help: "The command to explain.", completion: .commands)
    let signature = CommandSignature(command)
    let scriptable = false

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        guard let word = arguments.word(Self.command), let name = word.literal, reading.commands.command(named: name) == nil else { return }
        throw reading.usageError(Self.noCommand(name, in: reading.commands), at: word)
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        if let name = try invocation[Self.command] {
            guard let command = context.commands.command(named: name) else {
                throw ShellError.failed("help: " + Self.noCommand(name, in: context.commands))
            }
            context.print(command.helpText(width: context.style.columns))
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

    /// `no command 'slep' — did you mean 'sleep'?`
    private static func noCommand(_ name: String, in commands: CommandTable) -> String {
        "no command '\(name)'" + (Suggestions.nearest(to: name, in: commands.names).map { " — did you mean '\($0)'?" } ?? "")
    }
}

struct ExitCommand: ShellCommand {
    let name = "exit"
    let examples = ["exit 1"]
    let aliases = ["quit"]
    let summary = "End the session (or the script), with an optional exit status."
    static let status = OptionalPositional<ExitStatus>("status", help: "0 by default.")
    let signature = CommandSignature(status)
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

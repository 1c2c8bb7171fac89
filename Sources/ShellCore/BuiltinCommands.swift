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
    let signature = CommandSignature(
        positionals: [
            .init("name", help: "Letters, digits, _ and -.", completion: .variables),
            .init("value", help: "The rest of the line.", isVariadic: true, secrecy: .variableValue),
        ]
    )

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        try checkName(arguments.positionals[0], line: reading.line, command: name, usage: usage)
    }

    func variableEffect(_ arguments: ParsedArguments) -> VariableEffect {
        .defines(arguments.positionals.prefix(1).compactMap(\.literal))
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let name = try invocation.positional(0)!
        try context.setVariable(name, try invocation.positionals(from: 1).joined(separator: " "))
    }
}

func checkName(_ word: Word, line: ScriptLine, command: String, usage: String) throws(ShellError) {
    guard let name = word.literal, Variables.isValidName(name) else {
        throw .usage(command: command, message: "'\(word.source)' is not a variable name (letters, digits, _ and -)", word.location,
                     sourceLine: line.text, usage: usage)
    }
}

struct UnsetCommand: ShellCommand {
    let name = "unset"
    let examples = ["unset team"]
    let summary = "Forget variables."
    let signature = CommandSignature(positionals: [.init("name", help: "Variables to forget.", isVariadic: true, completion: .variables)])

    func variableEffect(_ arguments: ParsedArguments) -> VariableEffect {
        .removes(arguments.positionals.compactMap(\.literal))
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        for name in try invocation.positionals(from: 0) { try context.setVariable(name, nil) }
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
    let signature = CommandSignature(
        positionals: [.init("name", help: "The variable to set.", completion: .variables), .init("query", help: "What to read.")],
        takesFreeWords: true
    )

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        try checkName(arguments.positionals[0], line: reading.line, command: name, usage: usage)
        let (_, used) = try ResponseQuery.parse(Array(arguments.positionals.dropFirst()), line: reading.line, command: name, usage: usage)
        if arguments.positionals.count > used + 1 {
            let extra = arguments.positionals[used + 1]
            throw .usage(command: name, message: "unexpected argument '\(extra.source)'", extra.location, sourceLine: reading.line.text, usage: usage)
        }
    }

    func variableEffect(_ arguments: ParsedArguments) -> VariableEffect {
        .defines(arguments.positionals.prefix(1).compactMap(\.literal))
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let name = try invocation.positional(0)!
        let (query, _) = try ResponseQuery.parse(Array(invocation.arguments.positionals.dropFirst()), line: invocation.line, command: self.name, usage: usage)
        guard let exchange = context.lastExchange else { throw ShellError.failed("nothing to capture: no request has been made yet") }
        guard let value = try query.evaluate(on: exchange) else { throw ShellError.failed("nothing at \(query) to capture") }
        try context.setVariable(name, value.stringValue ?? value.serialized())
    }
}

struct ExpectCommand: ShellCommand {
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
        _ = try Expectation(words: arguments.positionals, line: reading.line) { word throws(ShellError) in word.literal }
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let expectation = try Expectation(words: invocation.arguments.positionals, line: invocation.line) { word throws(ShellError) in
            try invocation.expand(word)
        }
        let failure = try expectation.check(context.lastExchange, line: invocation.line)
        context.recordExpectation(invocation.line, failure: failure)
        if let failure { throw ShellError.expectationFailed(failure) }
    }
}

struct LastCommand: ShellCommand {
    let name = "last"
    let examples = ["last --headers"]
    let summary = "Show the last response again (with --headers, its status line and headers)."
    let signature = CommandSignature(options: [.init("headers", help: "Show the status line and headers too."), CommandSignature.json])

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        guard let exchange = context.lastExchange else {
            context.print(context.style.dim("(no response yet)"))
            return
        }
        if invocation.flag("headers") {
            context.print(BodyRenderer.renderHead(exchange.response, style: context.style))
            context.print()
        } else if !invocation.flag("json") {
            context.print(context.style.status(exchange.response.status, "\(exchange.response.status) \(Terminal.safe(exchange.response.reason))"))
        }
        context.print(BodyRenderer.render(exchange.response, style: context.style))
    }
}

struct SourceCommand: ShellCommand {
    let name = "source"
    let examples = ["source Scripts/signin-and-profiles.nexsh"]
    let summary = "Run the commands of another script file here (relative to this script's folder)."
    let signature = CommandSignature(positionals: [.init("file", help: "A .nexsh script.", completion: .files(extensions: ["nexsh"]))])

    static let maximumDepth = 16

    func variableEffect(_ arguments: ParsedArguments) -> VariableEffect { .unknown }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let path = try invocation.file(0)!
        let including = invocation.location.file
        // The including script's folder as it was named (`Scripts/` for `Scripts/a.nexsh`);
        // for typed lines (`<input>`) and standard input (`<stdin>`), the current folder.
        let current = FileManager.default.currentDirectoryPath
        let base = including.hasPrefix("<") ? (current.hasSuffix("/") ? current : current + "/")
            : including.lastIndex(of: "/").map { String(including[...$0]) } ?? ""
        let shown = path.hasPrefix("/") ? path : base + path
        let url = URL(fileURLWithPath: shown)
        let depth = context.enterSource()
        defer { context.leaveSource() }
        guard depth <= Self.maximumDepth else {
            throw ShellError.failed("source: scripts nested more than \(Self.maximumDepth) deep (does \(shown) source itself?)")
        }
        let script = try Script(
            contentsOf: url, displayName: shown, commands: context.commands, knownVariables: Set(context.variables.all.map(\.name)),
            origin: context.lineOrigin
        )
        var outcome = ScriptOutcome(file: shown)
        let clean = await ScriptRunner.runLines(script.lines, in: context, keepGoing: false, outcome: &outcome)
        if let code = outcome.exitCode { throw ShellError.exit(code: code) }
        if !clean { throw ShellError.failed("the sourced script \(shown) failed") }
    }
}

struct SleepCommand: ShellCommand {
    let name = "sleep"
    let examples = ["sleep 500"]
    let summary = "Wait some milliseconds (not while replaying a cassette, so replays run at full speed)."
    let signature = CommandSignature(positionals: [.init("milliseconds", help: "How long to wait, up to an hour.")])

    /// Milliseconds: an hour at most.
    static let range = 0...3_600_000

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        guard let word = arguments.positionals.first, let text = word.literal else { return }
        _ = try check(text, word, line: reading.line)
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let text = try invocation.positional(0)!
        let milliseconds = try check(text, invocation.arguments.positionals[0], line: invocation.line)
        guard !context.isReplaying else { return }
        try await Task.sleep(for: .milliseconds(milliseconds))
    }

    private func check(_ text: String, _ word: Word, line: ScriptLine) throws(ShellError) -> Int {
        guard let milliseconds = Int(text), Self.range.contains(milliseconds) else {
            throw .usage(command: name, message: "'\(text)' is not a number of milliseconds from \(Self.range.lowerBound) to \(Self.range.upperBound) (an hour)",
                         word.location, sourceLine: line.text, usage: usage)
        }
        return milliseconds
    }
}

struct EchoCommand: ShellCommand {
    let name = "echo"
    let examples = ["echo signed in as ${who}"]
    let summary = "Print text (variables expanded)."
    let signature = CommandSignature(positionals: [.init("text", help: "Words to print, joined by spaces.", isOptional: true, isVariadic: true)])

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        context.print(Terminal.safe(try invocation.positionals(from: 0).joined(separator: " ")))
    }
}

struct HelpCommand: ShellCommand {
    let name = "help"
    let examples = ["help switch"]
    let summary = "List the commands, or explain one: help <command>."
    let signature = CommandSignature(positionals: [.init("command", help: "The command to explain.", isOptional: true, completion: .commands)])

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        guard let word = arguments.positionals.first, let name = word.literal, reading.commands.command(named: name) == nil else { return }
        throw reading.usageError(self, Self.noCommand(name, in: reading.commands), at: word.location)
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        if let name = try invocation.positional(0) {
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
    let signature = CommandSignature(positionals: [.init("status", help: "0 by default.", isOptional: true)])

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        guard let word = arguments.positionals.first, let text = word.literal else { return }
        _ = try check(text, word, line: reading.line)
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let text = try invocation.positional(0) ?? "0"
        throw ShellError.exit(code: try check(text, invocation.arguments.positionals.first, line: invocation.line))
    }

    private func check(_ text: String, _ word: Word?, line: ScriptLine) throws(ShellError) -> Int32 {
        guard let code = Int32(text), (0...255).contains(code) else {
            throw .usage(command: name, message: "'\(text)' is not an exit status (0 to 255)", word?.location ?? line.location, sourceLine: line.text, usage: usage)
        }
        return code
    }
}

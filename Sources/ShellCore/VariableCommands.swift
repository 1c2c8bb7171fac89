import Foundation
import JSONValues

/// Variables: set them, forget them, list them, take them from the last response. In the order
/// `help` lists them.
extension BuiltinCommands {
    static let variables: [any ShellCommand] = [SetCommand(), UnsetCommand(), VarsCommand(), CaptureCommand()]
}

struct SetCommand: ShellCommand {
    let name = "set"
    let examples = ["set team 55", "set who \"Jane Doe\""]
    let summary = "Set a variable: set <name> <value>; use it as ${name}."
    static let variable = Positional<VariableName>("name", help: "Letters, digits, _ and -.")
    static let value = VariadicPositional<String>("value", help: "The rest of the line.", secrecy: .variableValue)
    static let signature = CommandSignature(variable, value)

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
    static let signature = CommandSignature(variables)

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
    static let signature = CommandSignature()

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
    static let signature = CommandSignature(variable, query, takesFreeWords: true)

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

    func responseQuery(_ invocation: Invocation) -> ResponseQuery? {
        try? ResponseQuery.parse(Array(invocation.arguments.words(from: Self.query)), errors: invocation.usageErrors).0
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let name = try invocation[Self.variable].name
        let (query, _) = try ResponseQuery.parse(Array(invocation.arguments.words(from: Self.query)), errors: invocation.usageErrors)
        guard let exchange = context.lastExchange else { throw ShellError.failed("nothing to capture: no request has been made yet") }
        guard let value = try query.evaluate(on: exchange) else { throw ShellError.failed("nothing at \(query) to capture") }
        try context.setVariable(name, value.stringValue ?? value.serialized())
    }
}

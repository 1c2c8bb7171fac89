import Foundation
@testable import ShellCore
import Testing

/// A port between 1 and 65535: a value type that reads itself and words its own mistake.
struct Port: ArgumentValue, Equatable {
    let number: Int

    static func parse(_ text: String) throws(ArgumentError) -> Port {
        guard let number = Int(text), (1...65535).contains(number) else { throw ArgumentError("'\(text)' is not a port (1 to 65535)") }
        return Port(number: number)
    }

    static var completion: CompletionKind { .choices(["80", "443"]) }
}

/// `listen <port> [<host>] [--tag <t>]... [--quiet]`: prints what its typed arguments hold.
struct ListenCommand: ShellCommand {
    let name = "listen"
    let summary = "Show typed arguments."
    static let port = Positional<Port>("port", help: "Where to listen.")
    static let host = OptionalPositional<String>("host", help: "Which address.")
    static let tags = RepeatedOption<String>("tag", value: "t", help: "Labels.")
    static let quiet = FlagOption("quiet", help: "Say less.")
    static let signature = CommandSignature(port, host, tags, quiet)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let port = try invocation[Self.port]
        let host = try invocation[Self.host] ?? "(none)"
        context.print("\(port.number) \(host) \(try invocation[Self.tags]) \(invocation[Self.quiet])")
    }
}

@Suite struct ArgumentTests {
    func context() throws -> (ShellContext, BufferedOutput) {
        var table = CommandTable()
        for command in BuiltinCommands.all + [ListenCommand()] { try table.register(command) }
        let output = BufferedOutput()
        return (ShellContext(commands: table, output: output), output)
    }

    @Test func theSignatureIsMadeFromTheDeclarations() {
        let command = ListenCommand()
        #expect(command.usage == "listen <port> [<host>] [--tag <t>]... [--quiet]")
        #expect(command.signature.positionals.map(\.name) == ["port", "host"])
        #expect(command.signature.positionals.map(\.completion) == [.choices(["80", "443"]), .none])
        #expect(command.signature.options.map(\.name) == ["tag", "quiet"])
        #expect(command.helpText.contains("\n  <port>              Where to listen.\n  <host>              Which address.\n"))
    }

    @Test func eachArgumentIsReadAsItsType() async throws {
        let (context, output) = try context()
        let script = try Script(text: "listen 8080 --tag a --tag b\nlisten 443 example --quiet\n", file: "t.nexsh", commands: context.commands)
        let outcome = await ScriptRunner.run(script, in: context)
        #expect(outcome.succeeded)
        #expect(output.text == "8080 (none) [\"a\", \"b\"] false\n443 example [] true\n")
    }

    @Test func aLiteralIsCheckedWhenTheScriptIsReadAtItsWord() throws {
        let (context, _) = try context()
        #expect(throws: ShellError.usage(
            command: "listen", message: "'99999' is not a port (1 to 65535)", SourceLocation(file: "t.nexsh", line: 2, column: 8),
            sourceLine: "listen 99999", usage: "listen <port> [<host>] [--tag <t>]... [--quiet]"
        )) {
            _ = try Script(text: "echo nothing runs\nlisten 99999\n", file: "t.nexsh", commands: context.commands)
        }
    }

    @Test func aWordHoldingAVariableIsCheckedWhenTheLineRuns() async throws {
        let (context, output) = try context()
        let script = try Script(text: "set p 70000\nlisten ${p}\n", file: "t.nexsh", commands: context.commands)
        let outcome = await ScriptRunner.run(script, in: context)
        #expect(!outcome.succeeded)
        #expect(outcome.failures.first?.location == SourceLocation(file: "t.nexsh", line: 2, column: 1))
        #expect(output.text.hasPrefix("t.nexsh:2:8: error: listen: '70000' is not a port (1 to 65535)"))
    }

    @Test func aVariableNameMustBeWrittenAsItIs() throws {
        let (context, _) = try context()
        for (text, shown) in [("set ${x} 1", "${x}"), ("set \"a b\" 1", "\"a b\""), ("capture 1x .a", "1x")] {
            #expect(throws: ShellError.self) { _ = try Script(text: text, file: "t.nexsh", commands: context.commands, knownVariables: ["x"]) }
            do {
                _ = try Script(text: text, file: "t.nexsh", commands: context.commands, knownVariables: ["x"])
            } catch {
                #expect(error.rendered().contains("'\(shown)' is not a variable name"), "\(text)")
            }
        }
    }

    @Test func completionOffersTheValueTypesChoices() async throws {
        let (context, _) = try context()
        #expect(await Completer.complete("listen 4", in: context).map(\.value) == ["443"])
    }
}

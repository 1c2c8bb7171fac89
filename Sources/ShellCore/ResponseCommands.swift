import Foundation
import JSONValues

/// The last response: check it, show it again. In the order `help` lists them.
extension BuiltinCommands {
    static let responses: [any ShellCommand] = [ExpectCommand(), LastCommand()]
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

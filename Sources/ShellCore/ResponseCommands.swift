import Foundation
import JSONValues

/// The last response: check it, show it again. In the order `help` lists them.
extension BuiltinCommands {
    static let responses: [any ShellCommand] = [ExpectCommand(), LastCommand()]
}

struct ExpectCommand: ShellCommand {
    let name = "expect"
    let examples = [
        "expect status 200", "expect .User.Id == 42", #"expect .User.FullName == "Jane Doe""#,
        "expect .Profiles[0].VirtualOfficeContractId is null", "expect count(.Profiles) >= 2",
    ]
    let summary = "Check the last response: expect status 200, expect .User.Id == 42, expect count(.Profiles) >= 2."
    // Computed: the type list is put together only for `help expect`, not with the table.
    var details: String {
        """
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
    }
    var usage: String { "expect <query> [<op> <value> | is <type> | exists | missing]" }
    static let signature = CommandSignature(takesFreeWords: true)

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

    func responseQuery(_ invocation: Invocation) -> ResponseQuery? {
        try? ResponseQuery.parse(Array(invocation.arguments.freeWords), errors: invocation.usageErrors).0
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
    let examples = ["last --headers", "last --request", "last --curl"]
    let summary = "Show the last response again (--headers: with its status line and headers; --request: the request as sent; --curl: as a curl command)."
    let details = """
        --request and --curl show secrets as their redaction placeholders, as a cassette keeps
        them; --curl reads the bearer token from $NEXSH_TOKEN when the command runs.
        """
    static let headers = FlagOption("headers", help: "Show the status line and headers too.")
    static let request = FlagOption("request", help: "Show the request as it was sent, secrets redacted.")
    static let curl = FlagOption("curl", help: "Print the request as a curl command (the token as $NEXSH_TOKEN).")
    static let signature = CommandSignature(headers, request, curl, FlagOption.json)
    let scriptable = false

    /// --request and --curl show the request, the others the response: one at a time.
    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        let given = [Self.headers, FlagOption.json, Self.request, Self.curl].filter { arguments.has($0) }.map { "--" + $0.spec.name }
        guard given.count > 1, given.contains("--request") || given.contains("--curl") else { return }
        let message = "\(given.joined(separator: " and ")) show different things: give one"
        if let word = reading.line.words.last(where: { $0.literal == given.last }) { throw reading.usageError(message, at: word) }
        throw reading.usageError(message, at: reading.end)
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        guard let exchange = context.lastExchange else {
            context.print(context.style.dim("(no response yet)"))
            return
        }
        if invocation[Self.request] {
            context.print(BodyRenderer.renderRequest(try context.redactedForShowing(exchange.request), style: context.style))
            return
        }
        if invocation[Self.curl] {
            do {
                context.print(Terminal.safe(try CurlCommand.render(context.redactedForShowing(exchange.request)), keepingNewlines: true))
            } catch let error as CurlCommand.Unrepeatable {
                throw ShellError.failed(error.description)
            }
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

import Foundation
import HTTPValues
import JSONValues
import NexudusAPI
import ShellCore

/// `get`, `put`, `post`, `delete`: any request, for exploring. The session's token is sent when
/// signed in (and refreshed on a 401, like every call), never after `logout`.
struct RawRequestCommand: ShellCommand {
    let session: NexudusSession
    let method: HTTPMethod

    var name: String { method.rawValue.lowercased() }
    var examples: [String] {
        switch method {
        case .get: ["get /api/public/teams/my isTeamAdmin=true", "get /api/public/coworkers/profiles _shape=Profiles.Id --json"]
        case .put: [#"put /api/public/coworkers/profiles/current coworkerId=102"#]
        case .post: [#"post /api/public/teams/55/members --body '{"Email": "sam.roe@example.com"}'"#]
        default: ["\(name) /api/public/teams/55/members/201"]
        }
    }
    var summary: String { "Send \(method.rawValue) <path> [name=value …]: the status and body are printed." }
    var details: String {
        """
        name=value words become query parameters. --body sends a body (JSON when it parses as
        JSON, text otherwise); --header adds or replaces a header. An error status (4xx, 5xx)
        fails a script unless the next line is expect status <code>.
        """
    }

    var signature: CommandSignature {
        CommandSignature(
            positionals: [
                .init("path", help: "/api/public/… (a query may follow ?)."),
                .init("name=value", help: "Query parameters.", isOptional: true, isVariadic: true, secrecy: .namedValue),
            ],
            options: [
                .init("body", value: "text", help: "The request body.", secrecy: .body),
                .init("header", value: "Name:Value", help: "A request header.", isRepeatable: true, secrecy: .header),
                CommandSignature.json,
            ]
        )
    }

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        for word in arguments.positionals.dropFirst() {
            if let text = word.literal, !text.utf8.contains(UInt8(ascii: "=")) {
                throw .usage(command: name, message: "'\(text)' is not name=value", word.location, sourceLine: reading.line.text, usage: usage)
            }
        }
        for word in arguments.options["header"] ?? [] {
            if let text = word.literal, !text.utf8.contains(UInt8(ascii: ":")) {
                throw .usage(command: name, message: "'\(text)' is not Name:Value", word.location, sourceLine: reading.line.text, usage: usage)
            }
        }
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let path = try invocation.positional(0)!
        var query: [(String, String)] = []
        for pair in try invocation.positionals(from: 1) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            query.append((parts[0], parts.count > 1 ? parts[1] : ""))
        }
        var headers = HTTPHeaders()
        for header in try invocation.options("header") {
            let parts = header.split(separator: ":", maxSplits: 1).map(String.init)
            headers.add(name: parts[0].trimmingCharacters(in: .whitespaces), value: parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
        }
        var body: (data: Data, contentType: String)?
        if let text = try invocation.option("body") {
            let isJSON = (try? JSONValue.parse(text)) != nil
            body = (Data(text.utf8), isJSON ? "application/json" : "text/plain; charset=utf-8")
        }
        let exchange: HTTPExchange
        do {
            exchange = try await session.client.perform(.raw(method, path: path, query: query, body: body, headers: headers))
        } catch {
            throw shellError(error, invocation, context)
        }
        context.received(exchange.response, for: exchange.request)
        let response = exchange.response
        if !invocation.flag("json") {
            context.print(context.style.status(response.status, "\(response.status) \(Terminal.safe(response.reason))"))
        }
        if !response.body.isEmpty || !invocation.flag("json") {
            context.print(BodyRenderer.render(response, style: context.style))
        }
        if response.status >= 400 {
            throw ShellError.requestFailed(status: response.status, message: NexudusError.failedStatus(exchange).description)
        }
    }
}

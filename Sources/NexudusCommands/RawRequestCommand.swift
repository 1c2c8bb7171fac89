import Foundation
import HTTPValues
import JSONValues
import NexudusAPI
import ShellCore

/// `get`, `put`, `post`, `delete`: any request, for exploring. The session's token is sent when
/// signed in (and refreshed on a 401, like every call), never after `logout`.
struct RawRequestCommand: ShellCommand {
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

    static let path = Positional<String>("path", help: "/api/public/… (a query may follow ?).")
    static let query = VariadicPositional<QueryParameter>("name=value", help: "Query parameters.", isOptional: true, secrecy: .namedValue)
    static let body = ValueOption<String>("body", value: "text", help: "The request body.", secrecy: .body)
    static let header = RepeatedOption<HeaderField>("header", value: "Name:Value", help: "A request header.", secrecy: .header)
    let signature = CommandSignature(path, query, body, header, FlagOption.json)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let path = try invocation[Self.path]
        let query = try invocation[Self.query].map { ($0.name, $0.value) }
        var headers = HTTPHeaders()
        for header in try invocation[Self.header] { headers.add(name: header.name, value: header.value) }
        var body: (data: Data, contentType: String)?
        if let text = try invocation[Self.body] {
            let isJSON = (try? JSONValue.parse(text)) != nil
            body = (Data(text.utf8), isJSON ? "application/json" : "text/plain; charset=utf-8")
        }
        let exchange: HTTPExchange
        do {
            exchange = try await context.nexudus.client.perform(.raw(method, path: path, query: query, body: body, headers: headers))
        } catch {
            throw shellError(error, invocation, context)
        }
        context.received(exchange.response, for: exchange.request)
        let response = exchange.response
        let json = invocation[FlagOption.json]
        if !json {
            context.print(context.style.status(response.status, "\(response.status) \(Terminal.safe(response.reason))"))
        }
        if !response.body.isEmpty || !json {
            context.print(BodyRenderer.render(response, style: context.style))
        }
        if response.status >= 400 {
            throw ShellError.requestFailed(status: response.status, message: NexudusError.failedStatus(exchange).description)
        }
    }
}

/// `name=value`: a query parameter (the value may be empty, and hold `=`).
struct QueryParameter: ArgumentValue {
    let name: String
    let value: String

    static func parse(_ text: String) throws(ArgumentError) -> QueryParameter {
        // Found as a byte, so that "=" followed by a combining mark still splits the word.
        guard let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) else { throw ArgumentError("'\(text)' is not name=value") }
        return QueryParameter(name: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
    }
}

/// `Name: Value`: a request header, its name and value trimmed of spaces.
struct HeaderField: ArgumentValue {
    let name: String
    let value: String

    static func parse(_ text: String) throws(ArgumentError) -> HeaderField {
        guard let colon = text.utf8.firstIndex(of: UInt8(ascii: ":")) else { throw ArgumentError("'\(text)' is not Name:Value") }
        return HeaderField(
            name: text[..<colon].trimmingCharacters(in: .whitespaces), value: text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        )
    }
}

/// The commands of this file, in the order `help` lists them.
extension NexudusCommands {
    static let requests: [any ShellCommand] = [HTTPMethod.get, .put, .post, .delete].map { RawRequestCommand(method: $0) }
}

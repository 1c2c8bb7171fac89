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

    static let path = Positional<String>("path", help: "/api/public/… (a query may follow ?).", completion: .custom)
    static let query = VariadicPositional<QueryParameter>(
        "name=value", help: "Query parameters.", isOptional: true, completion: .custom, secrecy: .namedValue
    )
    static let body = ValueOption<String>("body", value: "text", help: "The request body.", secrecy: .body)
    static let header = RepeatedOption<HeaderField>("header", value: "Name:Value", help: "A request header.", secrecy: .header)
    static let signature = CommandSignature(path, query, body, header, Presentation.options)

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
        let format = try invocation.bodyFormat
        if format == nil {
            context.print(context.style.status(response.status, "\(response.status) \(Terminal.safe(response.reason))"))
        }
        if !response.body.isEmpty || format == nil {
            context.print(BodyRenderer.render(response, format: format ?? .json, style: context.style))
        }
        if response.status >= 400 {
            throw ShellError.requestFailed(status: response.status, message: NexudusError.failedStatus(exchange).description)
        }
    }
}

/// Completion from the endpoint catalogue (`endpoints`): the paths of this method, ids seen in
/// the session where a path has a `{placeholder}`, and the query parameters of the endpoint the
/// path names, after `?` in the path or as `name=value` words.
extension RawRequestCommand {
    func complete(_ request: CompletionRequest, in context: ShellContext) async -> [Completion] {
        let catalogue = EndpointCatalogue.builtIn
        guard let path = Self.typedPath(request, signature: signature) else {
            return pathCandidates(request.prefix, catalogue: catalogue, seen: context.optionalService(NexudusSession.self)?.seenIds)
        }
        guard let endpoint = catalogue.endpoint(method, path: path) else { return [] }
        let used = Set(request.previousWords.compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
        return Self.parameterCandidates(request.prefix[...], after: "", of: endpoint, used: used)
    }

    /// The path word: after `?`, the endpoint's query parameters; before, where the path goes
    /// next in the catalogue, and at a placeholder the ids of its kind seen so far.
    private func pathCandidates(_ typed: String, catalogue: EndpointCatalogue, seen: SeenIds?) -> [Completion] {
        if let mark = typed.firstIndex(of: "?") {
            guard let endpoint = catalogue.endpoint(method, path: String(typed[..<mark])) else { return [] }
            let pairs = typed[typed.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: false)
            let partial = pairs.last ?? ""
            let used = Set(pairs.dropLast().map { String($0.prefix { $0 != "=" }) })
            return Self.parameterCandidates(partial, after: String(typed.dropLast(partial.count)), of: endpoint, used: used)
        }
        let paths = catalogue.continuations(of: typed, method: method).map {
            Completion($0.path, description: $0.summary, appendsSpace: $0.isWhole)
        }
        return paths + (seen.map { idCandidates(typed, catalogue: catalogue, seen: $0) } ?? [])
    }

    /// `/api/public/teams/` → `/api/public/teams/55/profile` for each team seen (the path
    /// carried on to its end, or its next placeholder, when only one way goes on).
    private func idCandidates(_ typed: String, catalogue: EndpointCatalogue, seen: SeenIds) -> [Completion] {
        guard let slash = typed.lastIndex(of: "/") else { return [] }
        let folder = String(typed[...slash])
        var found: [Completion] = []
        for slot in catalogue.placeholders(at: typed, method: method) {
            guard let kind = IdKind(placeholder: slot.name, after: slot.templatePrefix) else { continue }
            for id in seen.ids(of: kind) {
                let filled = folder + String(id.id)
                let label = id.label.map { Terminal.safe($0) }
                let onward = slot.isLast ? [] : catalogue.continuations(of: filled + "/", method: method)
                let completion = slot.isLast ? Completion(filled, description: label)
                    : onward.count == 1 ? Completion(onward[0].path, description: label, appendsSpace: onward[0].isWhole)
                    : Completion(filled + "/", description: label, appendsSpace: false)
                if !found.contains(where: { $0.value == completion.value }) { found.append(completion) }
            }
        }
        return found
    }

    /// The parameters of `endpoint` not `used`, each written after `head` as `name=`; or, once
    /// `partial` has its `=`, the two values a boolean can take.
    private static func parameterCandidates(
        _ partial: Substring, after head: String, of endpoint: EndpointSpec, used: Set<String>
    ) -> [Completion] {
        let parameters = endpoint.allParameters
        if let equals = partial.firstIndex(of: "=") {
            let name = partial[..<equals]
            guard parameters.first(where: { $0.name == name })?.type == .boolean else { return [] }
            return ["true", "false"].map { Completion(head + name + "=" + $0) }
        }
        return parameters.filter { !used.contains($0.name) }.map { parameter in
            let value = parameter.type.rawValue + (parameter.default.map { " = " + $0 } ?? "")
            return Completion(head + parameter.name + "=", description: value + ": " + parameter.summary, appendsSpace: false)
        }
    }

    /// The path word, when the cursor is past it (an option's value is not it).
    private static func typedPath(_ request: CompletionRequest, signature: CommandSignature) -> String? {
        var skipNext = false
        for word in request.previousWords.dropFirst() {
            if skipNext {
                skipNext = false
            } else if word.hasPrefix("--") {
                skipNext = signature.options.first { $0.name == word.dropFirst(2) }.map { !$0.isFlag } ?? false
            } else {
                return word
            }
        }
        return nil
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
        guard let header = HTTPHeader(written: text[...]) else { throw ArgumentError("'\(text)' is not Name:Value") }
        return HeaderField(name: header.name, value: header.value)
    }
}

/// The commands of this file, in the order `help` lists them.
extension NexudusCommands {
    static let requests: [any ShellCommand] = [HTTPMethod.get, .put, .post, .delete].map { RawRequestCommand(method: $0) }
}

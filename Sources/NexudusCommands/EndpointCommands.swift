import Foundation
import NexudusAPI
import ShellCore

/// `endpoints [WORD] [--detail]`: the endpoint catalogue, for finding what to `get`.
struct EndpointsCommand: ShellCommand {
    let name = "endpoints"
    let examples = ["endpoints", "endpoints bookings --detail"]
    let summary = "List the documented member endpoints (method, path, summary), those matching a word if given."
    let details = """
        The word is looked for, in any case, in each path and summary. --detail shows each
        matching endpoint's query parameters (type, default), paging convention and response
        shape: `endpoints bookings --detail`. A path not listed here can still be sent with get,
        put, post or delete.
        """
    static let word = OptionalPositional<String>("word", help: "Only endpoints whose path or summary holds it.")
    static let detail = FlagOption("detail", help: "Show query parameters, paging and response shape.")
    static let signature = CommandSignature(word, detail)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let word = try invocation[Self.word]
        let endpoints = EndpointCatalogue.builtIn.filtered(by: word)
        guard !endpoints.isEmpty else {
            context.print("no endpoint matches '\(Terminal.safe(word ?? ""))'")
            return
        }
        if invocation[Self.detail] {
            context.print(endpoints.map { Self.detail($0, style: context.style) }.joined(separator: "\n\n"))
        } else {
            var table = TextTable(headers: ["METHOD", "PATH", "SUMMARY"])
            // The paths are what a person types: the summaries give way first.
            table.yieldingColumn = 2
            for endpoint in endpoints { table.add([endpoint.method.rawValue, endpoint.path, endpoint.summary]) }
            context.print(table.render(style: context.style).joined(separator: "\n"))
        }
    }

    /// One endpoint: its line, summary, paging, response and parameters.
    static func detail(_ endpoint: EndpointSpec, style: TextStyle) -> String {
        var lines = [
            style.bold(endpoint.method.rawValue + " " + endpoint.path),
            "  " + endpoint.summary,
            "  paging:   " + pagingText(endpoint.paging),
            "  response: " + endpoint.response.description,
        ]
        let parameters = endpoint.allParameters
        if parameters.isEmpty {
            lines.append("  query:    none")
        } else {
            lines.append("  query:")
            var table = TextTable(headers: ["NAME", "TYPE", "DEFAULT", "ABOUT"])
            for parameter in parameters {
                table.add([parameter.name, parameter.type.rawValue, parameter.default ?? (parameter.required ? "(required)" : "-"), parameter.summary])
            }
            lines += table.render(style: style, indent: "    ")
        }
        return lines.joined(separator: "\n")
    }

    private static func pagingText(_ paging: EndpointSpec.Paging) -> String {
        switch paging {
        case .none: "none"
        case .underscore, .plain: paging.parameters.prefix(2).map(\.name).joined(separator: ", ")
        }
    }
}

/// The commands of this file, in the order `help` lists them.
extension NexudusCommands {
    static let catalogue: [any ShellCommand] = [EndpointsCommand()]
}

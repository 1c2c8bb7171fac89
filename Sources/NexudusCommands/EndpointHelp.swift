import Foundation
import HTTPValues
import NexudusAPI
import ShellCore

/// A typed command that is one catalogue endpoint's call (`bookings` is GET
/// /api/public/bookings/my). It declares the client's own request (``Endpoint``), so the path is
/// written once, where the client sends it: the summary names it from there, and `help` finds
/// the endpoint's parameters in the catalogue by it (a test checks each one is there).
protocol CatalogueCommand: ShellCommand {
    /// The request the command sends when given no options.
    static var request: Endpoint { get }
}

extension CatalogueCommand {
    /// `what`, then the request it is: `The location (GET /api/public/businesses/current).`
    func summary(_ what: String) -> String { "\(what) (\(Self.request.requestLine))." }

    var catalogueEntry: EndpointSpec? { EndpointCatalogue.builtIn.endpoint(Self.request.method, path: Self.request.path) }
}

/// What `help` says beyond the commands: endpoints of the catalogue, shown as `endpoints
/// --detail` shows them. Put in the command table by ``NexudusCommands/table(adding:)``.
struct EndpointHelpTopics: HelpTopics {
    /// The built-in catalogue, decoded when help is first asked for, not when the table is made.
    var catalogue: EndpointCatalogue { .builtIn }

    /// `METHOD /path` or `/path` (every method that has it); a path may hold ids where the
    /// template has placeholders.
    func help(for words: [String], style: TextStyle) -> String? {
        let endpoints: [EndpointSpec]
        switch words.count {
        case 1 where words[0].hasPrefix("/"): endpoints = catalogue.endpoints(path: words[0])
        case 2: endpoints = catalogue.endpoint(HTTPMethod(rawValue: words[0]), path: words[1]).map { [$0] } ?? []
        default: endpoints = []
        }
        guard !endpoints.isEmpty else { return nil }
        return endpoints.map { EndpointsCommand.detail($0, style: style) }.joined(separator: "\n\n")
    }

    func help(following command: any ShellCommand, style: TextStyle) -> String? {
        guard let entry = (command as? any CatalogueCommand)?.catalogueEntry else { return nil }
        return "endpoint:\n" + EndpointsCommand.detail(entry, style: style)
    }

    /// For a word: whether `endpoints WORD` finds any; for a path: that no endpoint has it.
    func hint(for words: [String]) -> String? {
        guard words.count == 1 else { return "the catalogue has no such endpoint: endpoints lists them" }
        if words[0].hasPrefix("/") { return "no endpoint has that path either: endpoints lists them" }
        let count = catalogue.filtered(by: words[0]).count
        return count == 0
            ? "no endpoint mentions it either: endpoints lists them all"
            : "endpoints \(words[0]) lists the \(count == 1 ? "endpoint" : "\(count) endpoints") mentioning it"
    }
}

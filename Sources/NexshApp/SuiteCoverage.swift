import Foundation
import HTTPCassette
import HTTPValues
import JSONValues
import NexudusAPI
import ShellCore

/// What a run's scripts exercised (`nexsh run --coverage`): each endpoint requested, with its
/// statuses, the fields its responses held and the fields an `expect` or `capture` read of them.
///
/// A line that reads a response reads the last one before it, so its query counts for that
/// exchange's endpoint. Fields are JSON paths with array indexes as `[*]` (``JSONPath/asField``);
/// the whole body is `.`. `expect status` asserts the status only, `expect header` a header.
/// Counts add up and sets unite, so the coverage of several runs (shards) is their sum.
struct SuiteCoverage: Sendable {
    struct Endpoint: Sendable {
        let method: String
        /// The catalogue's template, or for a path not in it the path with each all-digit
        /// segment as `{id}`.
        let template: String
        let inCatalogue: Bool
        var requests = 0
        /// Requests by status.
        var statuses: [Int: Int] = [:]
        var statusAsserted = false
        /// Header names read, in lower case.
        var headersAsserted: Set<String> = []
        /// Every field of every response.
        var fieldsHeld: Set<String> = []
        /// Every field a line read, held or not (`expect .X missing` reads one no response holds).
        var fieldsRead: Set<String> = []

        var fieldsAsserted: Set<String> { fieldsRead.intersection(fieldsHeld) }
        /// Asserted of held; nil when the responses held no JSON.
        var ratio: Double? { fieldsHeld.isEmpty ? nil : Double(fieldsAsserted.count) / Double(fieldsHeld.count) }
        var name: String { "\(method) \(template)" }
    }

    /// Catalogue entries first, in the catalogue's order; then the others by method and path.
    private(set) var endpoints: [Endpoint] = []
    /// The catalogue's entries no script requested.
    let notRequested: [EndpointSpec]
    let catalogueSize: Int

    init(_ results: [JobResult], catalogue: EndpointCatalogue = .builtIn) {
        var found: [String: Endpoint] = [:]
        for result in results {
            let keys = result.exchanges.map { item in
                let endpoint = Self.endpoint(of: item.entry.request, in: catalogue)
                found[endpoint.name, default: endpoint].record(item.entry.response)
                return endpoint.name
            }
            for step in result.outcome.steps {
                // The exchange the line read: the last one before it.
                guard let query = step.reads, step.exchanges.lowerBound > 0, step.exchanges.lowerBound <= keys.count else { continue }
                found[keys[step.exchanges.lowerBound - 1]]?.record(query)
            }
        }
        let order = Dictionary(catalogue.endpoints.enumerated().map { ("\($0.element.method) \($0.element.path)", $0.offset) }) { first, _ in first }
        endpoints = found.values.sorted { left, right in
            (order[left.name] ?? .max, left.name) < (order[right.name] ?? .max, right.name)
        }
        notRequested = catalogue.endpoints.filter { found["\($0.method) \($0.path)"] == nil }
        catalogueSize = catalogue.endpoints.count
    }

    var catalogueRequested: Int { endpoints.filter(\.inCatalogue).count }
    var requests: Int { endpoints.reduce(0) { $0 + $1.requests } }
    var fieldsHeld: Int { endpoints.reduce(0) { $0 + $1.fieldsHeld.count } }
    var fieldsAsserted: Int { endpoints.reduce(0) { $0 + $1.fieldsAsserted.count } }
    var ratio: Double? { fieldsHeld == 0 ? nil : Double(fieldsAsserted) / Double(fieldsHeld) }

    /// The catalogue entry the request's path matches, else its own path with ids as `{id}`.
    static func endpoint(of request: HAR.Request, in catalogue: EndpointCatalogue) -> Endpoint {
        let method = HTTPMethod(rawValue: request.method)
        let path = URLComponents(string: request.url)?.percentEncodedPath ?? request.url
        if let spec = catalogue.endpoint(method, path: path) {
            return Endpoint(method: method.rawValue, template: spec.path, inCatalogue: true)
        }
        let template = path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            !segment.isEmpty && segment.allSatisfy(\.isASCII) && segment.allSatisfy(\.isNumber) ? "{id}" : String(segment)
        }.joined(separator: "/")
        return Endpoint(method: method.rawValue, template: template.isEmpty ? "/" : template, inCatalogue: false)
    }
}

extension SuiteCoverage.Endpoint {
    mutating func record(_ response: HAR.Response) {
        requests += 1
        statuses[response.status, default: 0] += 1
        // A body kept as text is the one to read; binary (base64) bodies hold no fields.
        guard response.content.encoding == nil, let text = response.content.text,
            let json = try? JSONValue.parse(Array(text.utf8))
        else { return }
        fieldsHeld.formUnion(JSONPath.fields(of: json).map(\.text))
    }

    mutating func record(_ query: ResponseQuery) {
        switch query {
        case .status: statusAsserted = true
        case .header(let name): headersAsserted.insert(name.lowercased())
        case .body: fieldsRead.insert(JSONPath(segments: []).text)
        case .path(let path), .count(let path): fieldsRead.insert(path.asField.text)
        }
    }
}

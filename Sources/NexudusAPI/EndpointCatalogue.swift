import Foundation
import HTTPValues

/// The documented member endpoints, from `Catalogue/endpoints.json`. The file is embedded in
/// the program when it is built (the CatalogueGenerator plugin), so a binary linked on its own
/// carries it: there is no resource file to find at run time.
public struct EndpointCatalogue: Sendable {
    public let endpoints: [EndpointSpec]

    /// The catalogue built into the program. The file is checked by the tests, so a failure here
    /// is a programming error.
    public static let builtIn: EndpointCatalogue = {
        do {
            return try EndpointCatalogue(json: Data(embeddedJSON.utf8))
        } catch {
            preconditionFailure("Catalogue/endpoints.json: \(error)")
        }
    }()

    /// Decodes a catalogue and checks it: placeholders well formed, no method and path twice.
    public init(json: Data) throws {
        let file = try JSONDecoder().decode(CatalogueFile.self, from: json)
        var seen = Set<String>()
        var endpoints: [EndpointSpec] = []
        for var endpoint in file.endpoints {
            try endpoint.checkPath()
            guard seen.insert("\(endpoint.method) \(endpoint.path)").inserted else {
                throw CatalogueError("\(endpoint.method) \(endpoint.path) is in the catalogue twice")
            }
            if endpoint.method == .get { endpoint.query += file.readQuery ?? [] }
            endpoints.append(endpoint)
        }
        self.endpoints = endpoints
    }

    /// The entry whose template matches `path` (its query, if any, ignored): a placeholder
    /// stands for any one segment.
    public func endpoint(_ method: HTTPMethod, path: String) -> EndpointSpec? {
        let segments = EndpointSpec.segments(of: String(path.prefix { $0 != "?" }))
        return endpoints.first { $0.method == method && $0.matches(segments) }
    }

    /// Every entry whose template matches `path`, whatever its method (`help /api/public/teams/55/profile`).
    public func endpoints(path: String) -> [EndpointSpec] {
        let segments = EndpointSpec.segments(of: String(path.prefix { $0 != "?" }))
        return endpoints.filter { $0.matches(segments) }
    }

    /// The entries whose path or summary holds `word` (any case); all of them for none.
    public func filtered(by word: String?) -> [EndpointSpec] {
        guard let word, !word.isEmpty else { return endpoints }
        return endpoints.filter { $0.path.localizedCaseInsensitiveContains(word) || $0.summary.localizedCaseInsensitiveContains(word) }
    }
}

/// What a catalogue file's check found wrong.
public struct CatalogueError: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The file's layout: `readQuery` holds the parameters every GET takes.
private struct CatalogueFile: Decodable {
    let readQuery: [EndpointSpec.Parameter]?
    let endpoints: [EndpointSpec]
}

extension EndpointCatalogue {
    /// Where a typed path can go next, for completion: the path up to the next placeholder (or
    /// its end, `isWhole`). Typed segments match a placeholder with any value.
    public struct PathContinuation: Sendable, Equatable {
        public let path: String
        public let isWhole: Bool
        /// The endpoint's summary, for a whole path.
        public let summary: String?
    }

    /// The continuations of `typed` among the `method` entries, each once, in catalogue order.
    /// A placeholder next is left alone (the ids to offer there come from responses, not here).
    public func continuations(of typed: String, method: HTTPMethod) -> [PathContinuation] {
        var typedSegments = EndpointSpec.segments(of: typed.isEmpty ? "/" : typed)
        guard typed.isEmpty || typed.hasPrefix("/"), let partial = typedSegments.popLast() else { return [] }
        var found: [PathContinuation] = []
        for endpoint in endpoints where endpoint.method == method {
            let template = EndpointSpec.segments(of: endpoint.path)
            guard template.count > typedSegments.count,
                  zip(template, typedSegments).allSatisfy({ EndpointSpec.accepts($0, $1) }) else { continue }
            var end = typedSegments.count
            guard !template[end].hasPrefix("{"), template[end].hasPrefix(partial) else { continue }
            while end < template.count, !template[end].hasPrefix("{") { end += 1 }
            let isWhole = end == template.count
            let path = "/" + (typedSegments + template[typedSegments.count..<end]).joined(separator: "/") + (isWhole ? "" : "/")
            if !found.contains(where: { $0.path == path }) {
                found.append(PathContinuation(path: path, isWhole: isWhole, summary: isWhole ? endpoint.summary : nil))
            }
        }
        return found
    }

    /// A `{placeholder}` that comes next after a typed path, for completion with ids: its name,
    /// the template up to it (`/api/public/teams/published`, which says what kind of id it
    /// is when the name alone does not), and whether the template ends with it.
    public struct PlaceholderSlot: Sendable, Equatable {
        public let name: String
        public let templatePrefix: String
        public let isLast: Bool
    }

    /// The placeholders that the last segment of `typed` (after its last `/`) stands in, among
    /// the `method` entries, each once.
    public func placeholders(at typed: String, method: HTTPMethod) -> [PlaceholderSlot] {
        var typedSegments = EndpointSpec.segments(of: typed)
        guard typed.hasPrefix("/"), typedSegments.popLast() != nil else { return [] }
        var found: [PlaceholderSlot] = []
        for endpoint in endpoints where endpoint.method == method {
            let template = EndpointSpec.segments(of: endpoint.path)
            let position = typedSegments.count
            guard template.count > position, template[position].hasPrefix("{"),
                  zip(template, typedSegments).allSatisfy({ EndpointSpec.accepts($0, $1) }) else { continue }
            let slot = PlaceholderSlot(
                name: String(template[position].dropFirst().dropLast()),
                templatePrefix: "/" + template[..<position].joined(separator: "/"), isLast: position == template.count - 1
            )
            if !found.contains(slot) { found.append(slot) }
        }
        return found
    }
}

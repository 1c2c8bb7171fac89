/// The `_shape` query parameter: comma-separated dot paths naming the fields to keep.
///
/// A path applies inside nested objects and to every element of an array (a top-level array
/// included), so `Team.Name` on `/en/team/profiles` keeps each element's team name. A leading
/// or embedded `[]` segment (`[].Team.Name`, `Profiles[].Id`), as the documentation writes
/// array paths, means the same thing. Keys match case-insensitively, as on the ASP.NET servers.
/// Unknown paths select nothing and are otherwise ignored; a path that ends on an object or
/// array keeps it whole.
struct Shape: Sendable {
    private struct Node: Sendable {
        var children: [String: Node] = [:]
        var isTerminal = false

        mutating func insert<Path: Collection<String>>(_ path: Path) {
            guard let first = path.first else {
                isTerminal = true
                return
            }
            children[first, default: Node()].insert(path.dropFirst())
        }
    }

    private var root = Node()

    init?(_ parameter: String?) {
        guard let parameter else { return nil }
        let paths = parameter.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !paths.isEmpty else { return nil }
        for path in paths {
            let segments = path
                .replacingOccurrences(of: "[]", with: ".")
                .split(separator: ".")
                .map { $0.lowercased() }
            if !segments.isEmpty { root.insert(segments) }
        }
    }

    func apply(to value: JSON) -> JSON {
        if let shaped = Shape.apply(root, to: value) { return shaped }
        if case .array = value { return .array([]) }
        return .object([])
    }

    /// nil when nothing in `value` was selected.
    private static func apply(_ node: Node, to value: JSON) -> JSON? {
        if node.isTerminal { return value }
        switch value {
        case .array(let elements):
            // Every element stays (as `{}` when nothing in it matched), so positions keep meaning.
            return .array(elements.map { apply(node, to: $0) ?? .object([]) })
        case .object(let members):
            let kept = members.compactMap { key, member -> (String, JSON)? in
                guard let child = node.children[key.lowercased()], let shaped = apply(child, to: member) else {
                    return nil
                }
                return (key, shaped)
            }
            return kept.isEmpty ? nil : .object(kept)
        default:
            return nil
        }
    }
}

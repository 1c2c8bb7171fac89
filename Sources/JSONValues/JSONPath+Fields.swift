/// Paths as fields: what a response holds and what a script reads of it, with every array
/// index taken as `[*]`, so that `.Profiles[0].Id`, `.Profiles[1].Id` and `.Profiles[*].Id` are
/// one field (`nexsh run --coverage` compares the two sets).
extension JSONPath {
    /// The path with every array index as `[*]`.
    public var asField: JSONPath {
        JSONPath(segments: segments.map { segment in
            if case .index = segment { .wildcard } else { segment }
        })
    }

    /// Every path to a value in `root`, the root itself (`.`) included: members by key,
    /// elements of arrays as `[*]`.
    public static func fields(of root: JSONValue) -> Set<JSONPath> {
        var found: Set<JSONPath> = []
        func visit(_ value: JSONValue, at path: [Segment]) {
            found.insert(JSONPath(segments: path))
            switch value {
            case .object(let object):
                for member in object.members { visit(member.value, at: path + [.key(member.key)]) }
            case .array(let elements):
                for element in elements { visit(element, at: path + [.wildcard]) }
            default:
                break
            }
        }
        visit(root, at: [])
        return found
    }
}

/// One place where two JSON values differ. A nil side means the member or element is absent.
public struct JSONDifference: Sendable, Equatable {
    /// `.Profiles[0].FullName`, or `.` for the whole value.
    public let path: String
    public let left: JSONValue?
    public let right: JSONValue?

    public init(path: String, left: JSONValue?, right: JSONValue?) {
        self.path = path
        self.left = left
        self.right = right
    }
}

extension JSONValue {
    /// Where `self` (left) and `other` (right) differ, member by member and element by
    /// element, in document order. `equivalent` may declare two leaves equal (a redacted
    /// placeholder matching anything, say).
    public func differences(
        from other: JSONValue,
        equivalent: (JSONValue, JSONValue) -> Bool = { $0 == $1 }
    ) -> [JSONDifference] {
        var found: [JSONDifference] = []
        Self.collect(self, other, path: "", equivalent: equivalent, into: &found)
        return found
    }

    private static func collect(
        _ left: JSONValue, _ right: JSONValue, path: String,
        equivalent: (JSONValue, JSONValue) -> Bool, into found: inout [JSONDifference]
    ) {
        switch (left, right) {
        case (.object(let a), .object(let b)):
            // Looked up in dictionaries (the last member of a name, as `JSONObject` does):
            // linear in the number of members, where `a[key]` in the loop would be quadratic.
            let left = Dictionary(a.members, uniquingKeysWith: { $1 })
            let right = Dictionary(b.members, uniquingKeysWith: { $1 })
            var keys: [String] = []
            var seen = Set<String>()
            for key in a.keys + b.keys where seen.insert(key).inserted { keys.append(key) }
            for key in keys {
                let child = path + JSONPath(segments: [.key(key)]).text
                switch (left[key], right[key]) {
                case (let x?, let y?): collect(x, y, path: child, equivalent: equivalent, into: &found)
                case (let x, let y): found.append(JSONDifference(path: child, left: x, right: y))
                }
            }
        case (.array(let a), .array(let b)):
            for index in 0..<max(a.count, b.count) {
                let child = "\(path)[\(index)]"
                // `.none`, not `nil`: JSONValue takes nil literals itself (as null).
                let x: JSONValue? = index < a.count ? a[index] : .none
                let y: JSONValue? = index < b.count ? b[index] : .none
                switch (x, y) {
                case (let x?, let y?): collect(x, y, path: child, equivalent: equivalent, into: &found)
                case (let x, let y): found.append(JSONDifference(path: child, left: x, right: y))
                }
            }
        default:
            if !equivalent(left, right) {
                found.append(JSONDifference(path: path.isEmpty ? "." : path, left: left, right: right))
            }
        }
    }
}

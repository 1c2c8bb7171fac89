/// A path into a JSON value: `.Profiles[1].Id`, `.Profiles[*].FullName`, `.[0].Team.Name`,
/// `User.AccessToken` (the leading dot and a leading `$` are optional), `.["odd key"]`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Segment: Sendable, Hashable {
        case key(String)
        case index(Int)
        /// Every element of an array, or every member of an object.
        case wildcard
    }

    public let segments: [Segment]
    public let text: String

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        /// 1-based column in the path text.
        public let column: Int
        public var description: String { "column \(column): \(message)" }
    }

    public init(segments: [Segment]) {
        self.segments = segments
        text = segments.isEmpty ? "." : segments.map { segment in
            switch segment {
            case .key(let key):
                key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" } && !key.isEmpty
                    ? ".\(key)" : "[\(JSONValue.quoted(key))]"
            case .index(let index): "[\(index)]"
            case .wildcard: "[*]"
            }
        }.joined()
    }

    public init(_ text: String) throws(ParseError) {
        let characters = Array(text)
        var position = 0
        var segments: [Segment] = []
        func fail(_ message: String) -> ParseError { ParseError(message: message, column: position + 1) }

        if position < characters.count, characters[position] == "$" { position += 1 }
        var first = true
        while position < characters.count {
            let character = characters[position]
            if character == "." {
                position += 1
                if position < characters.count, characters[position] == "[" { continue }
                if position == characters.count {
                    if segments.isEmpty { break }
                    throw ParseError(message: "a path cannot end with '.'", column: position)
                }
            } else if character == "[" {
                position += 1
                guard position < characters.count else { throw fail("unterminated '['") }
                if characters[position] == "*" {
                    position += 1
                    segments.append(.wildcard)
                } else if characters[position] == "\"" {
                    position += 1
                    var key = ""
                    while position < characters.count, characters[position] != "\"" {
                        if characters[position] == "\\", position + 1 < characters.count { position += 1 }
                        key.append(characters[position])
                        position += 1
                    }
                    guard position < characters.count else { throw fail("unterminated quoted key") }
                    position += 1
                    segments.append(.key(key))
                } else {
                    var digits = ""
                    if characters[position] == "-" {
                        digits.append("-")
                        position += 1
                    }
                    while position < characters.count, characters[position].isASCII, characters[position].isNumber {
                        digits.append(characters[position])
                        position += 1
                    }
                    guard let index = Int(digits) else { throw fail("expected an index, '*' or a quoted key after '['") }
                    segments.append(.index(index))
                }
                guard position < characters.count, characters[position] == "]" else { throw fail("expected ']'") }
                position += 1
                first = false
                continue
            } else if !first {
                throw fail("expected '.' or '[' before '\(character)'")
            }
            var key = ""
            while position < characters.count, characters[position] != ".", characters[position] != "[" {
                if characters[position] == " " { throw fail("a space in a key: write it as [\"…\"]") }
                key.append(characters[position])
                position += 1
            }
            guard !key.isEmpty else { throw fail("empty key") }
            segments.append(key == "*" ? .wildcard : .key(key))
            first = false
        }
        self.segments = segments
        self.text = text
    }

    public var description: String { text }

    /// Every value the path reaches, in document order.
    public func values(in root: JSONValue) -> [JSONValue] {
        var current = [root]
        for segment in segments {
            current = current.flatMap { value -> [JSONValue] in
                switch (segment, value) {
                case (.key(let key), .object(let object)):
                    return object[key].map { [$0] } ?? []
                case (.index(let index), .array(let elements)):
                    let resolved = index < 0 ? elements.count + index : index
                    return elements.indices.contains(resolved) ? [elements[resolved]] : []
                case (.wildcard, .array(let elements)):
                    return elements
                case (.wildcard, .object(let object)):
                    return object.members.map(\.value)
                default:
                    return []
                }
            }
        }
        return current
    }

    /// The value with every place the path reaches replaced by `transform` of what was there.
    public func replacing(in root: JSONValue, _ transform: (JSONValue) -> JSONValue) -> JSONValue {
        Self.replace(segments[...], in: root, transform)
    }

    private static func replace(_ segments: ArraySlice<Segment>, in value: JSONValue, _ transform: (JSONValue) -> JSONValue) -> JSONValue {
        guard let segment = segments.first else { return transform(value) }
        let rest = segments.dropFirst()
        switch (segment, value) {
        case (.key(let key), .object(var object)):
            guard let member = object[key] else { return value }
            object[key] = replace(rest, in: member, transform)
            return .object(object)
        case (.index(let index), .array(var elements)):
            let resolved = index < 0 ? elements.count + index : index
            guard elements.indices.contains(resolved) else { return value }
            elements[resolved] = replace(rest, in: elements[resolved], transform)
            return .array(elements)
        case (.wildcard, .array(let elements)):
            return .array(elements.map { replace(rest, in: $0, transform) })
        case (.wildcard, .object(let object)):
            return .object(JSONObject(object.members.map { (key: $0.key, value: replace(rest, in: $0.value, transform)) }))
        default:
            return value
        }
    }
}

/// One header line exactly as it was sent or received: the name keeps its case.
public struct HTTPHeader: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// `Name: Value` as a person writes a header (`--header`): split at the first colon, name
    /// and value trimmed of white space (any Unicode space, so that a secret scan reads the name
    /// the server would be told of); nil without a colon.
    public init?(written text: Substring) {
        guard let colon = text.utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        // Trimmed by the standard library: Foundation's trimming bridges through NSString, and
        // its first use costs a one-line script more than the rest of reading it.
        func trimmed(_ part: Substring) -> String {
            let start = part.firstIndex { !$0.isWhitespace } ?? part.endIndex
            let end = part[start...].lastIndex { !$0.isWhitespace }.map(part.index(after:)) ?? start
            return String(part[start..<end])
        }
        self.init(name: trimmed(text[..<colon]), value: trimmed(text[text.index(after: colon)...]))
    }
}

/// Headers as an ordered list. Order, duplicates and the case of names are preserved because
/// cassettes must reproduce exchanges faithfully; lookups compare names case-insensitively, as
/// HTTP does.
public struct HTTPHeaders: Sendable, Hashable, Codable {
    public private(set) var fields: [HTTPHeader]

    public init(_ fields: [HTTPHeader] = []) {
        self.fields = fields
    }

    public init(_ pairs: [(String, String)]) {
        self.fields = pairs.map { HTTPHeader(name: $0.0, value: $0.1) }
    }

    public init(from decoder: any Decoder) throws {
        fields = try [HTTPHeader](from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try fields.encode(to: encoder)
    }

    public var isEmpty: Bool { fields.isEmpty }
    public var count: Int { fields.count }

    /// The first value for `name`, compared case-insensitively.
    public subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Every value for `name`, in order.
    public func values(for name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool {
        fields.contains { $0.name.caseInsensitiveEquals(name) }
    }

    /// Appends a line, keeping any existing lines of the same name.
    public mutating func add(name: String, value: String) {
        fields.append(HTTPHeader(name: name, value: value))
    }

    /// Replaces every line of `name` by one line, at the position of the first one (or at the end).
    public mutating func set(name: String, value: String) {
        if let index = fields.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) {
            fields[index] = HTTPHeader(name: name, value: value)
            var seenFirst = false
            fields.removeAll { header in
                guard header.name.caseInsensitiveEquals(name) else { return false }
                defer { seenFirst = true }
                return seenFirst
            }
        } else {
            add(name: name, value: value)
        }
    }

    public mutating func remove(name: String) {
        fields.removeAll { $0.name.caseInsensitiveEquals(name) }
    }
}

extension HTTPHeaders: Sequence {
    public func makeIterator() -> IndexingIterator<[HTTPHeader]> {
        fields.makeIterator()
    }
}

extension HTTPHeaders: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: (String, String)...) {
        self.init(elements)
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && lowercased() == other.lowercased()
    }
}

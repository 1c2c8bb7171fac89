/// A JSON value that keeps what a server sent: object members in their order and numbers as
/// written (`250.0` stays `250.0`), so that showing a body never reformats its facts.
///
/// Equality is semantic: objects compare without regard to member order and numbers by value,
/// which is what matching a request or diffing two answers needs.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// A number as written in the source text, compared by value.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal, as it appeared (`250.0`, `1e3`, `-7`).
    public let text: String

    public init(text: String) { self.text = text }
    public init(_ value: Int) { text = String(value) }
    public init(_ value: Double) { text = JSONNumber.format(value) }

    public var doubleValue: Double { Double(text) ?? .nan }

    /// The value as an Int when it is a whole number that fits.
    public var intValue: Int? {
        if let exact = Int(text) { return exact }
        let value = doubleValue
        guard value.rounded() == value, abs(value) < 9.2e18 else { return nil }
        return Int(value)
    }

    public var description: String { text }

    /// The shortest text for the value: `1` for `1.0` and `1e0`, so equal numbers look equal.
    public var canonicalText: String {
        if let exact = Int(text) { return String(exact) }
        return JSONNumber.format(doubleValue)
    }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        lhs.text == rhs.text || lhs.canonicalText == rhs.canonicalText
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(canonicalText) }

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// Object members in source order. Lookups take the last member of a name, as most parsers do.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var members: [(key: String, value: JSONValue)]

    public init(_ members: [(key: String, value: JSONValue)] = []) {
        self.members = members
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { (key: $0.0, value: $0.1) }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    public subscript(key: String) -> JSONValue? {
        get { members.last { $0.key == key }?.value }
        set {
            if let index = members.lastIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.removeAll { $0.key == key } }
            } else if let newValue {
                members.append((key: key, value: newValue))
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
        members.makeIterator()
    }

    /// One member per name (the last), sorted by name: the basis of semantic comparison.
    var canonicalMembers: [(key: String, value: JSONValue)] {
        var seen = Set<String>()
        var unique: [(key: String, value: JSONValue)] = []
        for member in members.reversed() where seen.insert(member.key).inserted {
            unique.append(member)
        }
        return unique.sorted { $0.key < $1.key }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        let left = lhs.canonicalMembers
        let right = rhs.canonicalMembers
        return left.count == right.count && zip(left, right).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for member in canonicalMembers {
            hasher.combine(member.key)
            hasher.combine(member.value)
        }
    }
}

extension JSONValue: Hashable {
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a == b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .number(let value): hasher.combine(value)
        case .string(let value): hasher.combine(value)
        case .array(let value): hasher.combine(value)
        case .object(let value): hasher.combine(value)
        }
    }
}

extension JSONValue {
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The member `key` of an object; nil for anything else.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// Every ``kindName``, in the order messages list them.
    public static let kindNames = ["string", "number", "boolean", "null", "array", "object"]

    /// `null`, `boolean`, `number`, `string`, `array`, `object`: for messages, and the types
    /// `expect … is TYPE` names.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
    }
}

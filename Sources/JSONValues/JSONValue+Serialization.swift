import Foundation

extension JSONValue {
    public struct WritingOptions: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Two-space indentation, one member or element per line.
        public static let pretty = WritingOptions(rawValue: 1 << 0)
        /// Object members in name order.
        public static let sortedKeys = WritingOptions(rawValue: 1 << 1)
        /// Numbers in their shortest form and one member per name: equal values, equal text.
        public static let canonicalNumbers = WritingOptions(rawValue: 1 << 2)

        /// The text two semantically equal values share.
        public static let canonical: WritingOptions = [.sortedKeys, .canonicalNumbers]
    }

    /// JSON text. Non-ASCII characters and `/` are written as they are; control characters are
    /// escaped.
    public func serialized(_ options: WritingOptions = []) -> String {
        serialized(options, indentLevel: 0)
    }

    /// Pretty text to be embedded `indentLevel` levels deep in a larger document: nested lines
    /// are indented as they would be there (the first line is not).
    public func serialized(_ options: WritingOptions, indentLevel: Int) -> String {
        var output = JSONOutput()
        write(to: &output, options: options, indent: indentLevel)
        return output.text
    }

    /// The canonical text: compact, sorted, normalized numbers.
    public var canonicalText: String { serialized(.canonical) }

    private func write(to output: inout JSONOutput, options: WritingOptions, indent: Int) {
        switch self {
        case .null: output.append("null")
        case .bool(let value): output.append(value ? "true" : "false")
        case .number(let value): output.append(options.contains(.canonicalNumbers) ? value.canonicalText : value.text)
        case .string(let value): output.appendQuoted(value)
        case .array(let elements):
            guard !elements.isEmpty else {
                output.append("[]")
                return
            }
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                output.newline(options.contains(.pretty), indent + 1)
                element.write(to: &output, options: options, indent: indent + 1)
            }
            output.newline(options.contains(.pretty), indent)
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            let members = options.contains(.canonicalNumbers)
                ? object.canonicalMembers
                : options.contains(.sortedKeys) ? object.members.sorted { $0.key < $1.key } : object.members
            guard !members.isEmpty else {
                output.append("{}")
                return
            }
            output.append(UInt8(ascii: "{"))
            for (position, member) in members.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                output.newline(options.contains(.pretty), indent + 1)
                output.appendQuoted(member.key)
                output.append(options.contains(.pretty) ? ": " : ":")
                member.value.write(to: &output, options: options, indent: indent + 1)
            }
            output.newline(options.contains(.pretty), indent)
            output.append(UInt8(ascii: "}"))
        }
    }

    /// The JSON text in `bytes` pretty-printed: what `parse(bytes).serialized(.pretty)` gives,
    /// and the same error for text that is not JSON, read and written in one pass without
    /// building the value. A replay shows every body it serves this way.
    public static func prettyText(of bytes: some Collection<UInt8>, maxDepth: Int = 512) throws(JSONParseError) -> String {
        try inBuffer(bytes) { buffer throws(JSONParseError) in
            var cursor = JSONCursor(buffer, maxDepth: maxDepth)
            var output = JSONOutput()
            try cursor.beginDocument()
            try writePretty(from: &cursor, to: &output, indent: 0)
            try cursor.endDocument()
            return output.text
        }
    }

    /// The value at the cursor, written as ``write(to:options:indent:)`` writes it with
    /// `.pretty`: containers member by member as they are read, anything else as it is built.
    private static func writePretty(from cursor: inout JSONCursor, to output: inout JSONOutput, indent: Int) throws(JSONParseError) {
        let kind = cursor.peek()
        guard kind == .object || kind == .array else {
            try cursor.value().write(to: &output, options: .pretty, indent: indent)
            return
        }
        var empty = true
        func element(named name: String?, _ cursor: inout JSONCursor) throws(JSONParseError) {
            if !empty { output.append(UInt8(ascii: ",")) }
            empty = false
            output.newline(true, indent + 1)
            if let name {
                output.appendQuoted(name)
                output.append(": ")
            }
            try writePretty(from: &cursor, to: &output, indent: indent + 1)
        }
        output.append(kind == .object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        if kind == .object {
            try cursor.readObject { name, cursor throws(JSONParseError) in try element(named: name, &cursor) }
        } else {
            try cursor.readArray { _, cursor throws(JSONParseError) in try element(named: nil, &cursor) }
        }
        if !empty { output.newline(true, indent) }
        output.append(kind == .object ? UInt8(ascii: "}") : UInt8(ascii: "]"))
    }

    /// The JSON text of a string, quotes included.
    public static func quoted(_ value: String) -> String {
        var output = JSONOutput()
        output.appendQuoted(value)
        return output.text
    }
}

/// JSON text built as UTF-8 bytes, made a String once at the end: appending to a String
/// piece by piece, and escaping scalar by scalar, cost more than the rest of serializing.
struct JSONOutput {
    private(set) var bytes: [UInt8] = []

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func newline(_ pretty: Bool, _ indent: Int) {
        guard pretty else { return }
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
    }

    /// `value` in quotes. Non-ASCII characters and `/` are written as they are; quotes,
    /// backslashes and control characters are escaped. Runs of bytes that need no escape are
    /// copied whole (bytes of multi-byte UTF-8 sequences are all 0x80 or above, so none is
    /// mistaken for one that does).
    mutating func appendQuoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { source in
            var runStart = 0
            var position = 0
            while position < source.count {
                let byte = source[position]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F else {
                    position += 1
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<position]))
                position += 1
                runStart = position
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case 0x22: bytes.append(UInt8(ascii: "\""))
                case 0x5C: bytes.append(UInt8(ascii: "\\"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: "u00".utf8)
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0x0F)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.singleValueContainer() {
            if container.decodeNil() {
                self = .null
                return
            }
            if let value = try? container.decode(Bool.self) {
                self = .bool(value)
                return
            }
            if let value = try? container.decode(Int.self) {
                self = .number(JSONNumber(value))
                return
            }
            if let value = try? container.decode(Double.self) {
                self = .number(JSONNumber(value))
                return
            }
            if let value = try? container.decode(String.self) {
                self = .string(value)
                return
            }
        }
        if var elements = try? decoder.unkeyedContainer() {
            var values: [JSONValue] = []
            while !elements.isAtEnd { values.append(try elements.decode(JSONValue.self)) }
            self = .array(values)
            return
        }
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        let members = try container.allKeys.sorted { $0.stringValue < $1.stringValue }.map { key in
            (key: key.stringValue, value: try container.decode(JSONValue.self, forKey: key))
        }
        self = .object(JSONObject(members))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .number(let value):
            var container = encoder.singleValueContainer()
            if let whole = Int(value.text) { try container.encode(whole) } else { try container.encode(value.doubleValue) }
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .object(let object):
            var container = encoder.container(keyedBy: AnyCodingKey.self)
            for member in object.canonicalMembers {
                try container.encode(member.value, forKey: AnyCodingKey(member.key))
            }
        }
    }
}

/// A coding key for names known only at run time.
public struct AnyCodingKey: CodingKey, Hashable, Sendable {
    public let stringValue: String
    public let intValue: Int?

    public init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    public init?(stringValue: String) { self.init(stringValue) }

    public init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

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
        var output = ""
        write(to: &output, options: options, indent: indentLevel)
        return output
    }

    /// The canonical text: compact, sorted, normalized numbers.
    public var canonicalText: String { serialized(.canonical) }

    private func write(to output: inout String, options: WritingOptions, indent: Int) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let value): output += options.contains(.canonicalNumbers) ? value.canonicalText : value.text
        case .string(let value): JSONValue.writeString(value, to: &output)
        case .array(let elements):
            guard !elements.isEmpty else {
                output += "[]"
                return
            }
            output += "["
            for (position, element) in elements.enumerated() {
                if position > 0 { output += "," }
                newline(&output, options, indent + 1)
                element.write(to: &output, options: options, indent: indent + 1)
            }
            newline(&output, options, indent)
            output += "]"
        case .object(let object):
            let members = options.contains(.canonicalNumbers)
                ? object.canonicalMembers
                : options.contains(.sortedKeys) ? object.members.sorted { $0.key < $1.key } : object.members
            guard !members.isEmpty else {
                output += "{}"
                return
            }
            output += "{"
            for (position, member) in members.enumerated() {
                if position > 0 { output += "," }
                newline(&output, options, indent + 1)
                JSONValue.writeString(member.key, to: &output)
                output += options.contains(.pretty) ? ": " : ":"
                member.value.write(to: &output, options: options, indent: indent + 1)
            }
            newline(&output, options, indent)
            output += "}"
        }
    }

    private func newline(_ output: inout String, _ options: WritingOptions, _ indent: Int) {
        guard options.contains(.pretty) else { return }
        output += "\n"
        output += String(repeating: "  ", count: indent)
    }

    static func writeString(_ value: String, to output: inout String) {
        output += "\""
        // Most strings need no escape: copy them whole rather than scalar by scalar. (Bytes of
        // multi-byte UTF-8 sequences are all 0x80 or above, so none is mistaken for these.)
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F }) {
            output += value
            output += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                output += String(format: "\\u%04x", scalar.value)
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    /// The JSON text of a string, quotes included.
    public static func quoted(_ value: String) -> String {
        var output = ""
        writeString(value, to: &output)
        return output
    }
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

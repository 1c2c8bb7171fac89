/// A JSON value as YAML block text, members in their order and numbers as written.
///
/// Every JSON value is YAML already; the block form is for reading. A string stays plain only
/// when no YAML reader (1.1 or 1.2) can take it for anything else: no number, date, boolean,
/// null, indicator, `:` or `#`; otherwise it is written in double quotes with JSON's escapes,
/// which YAML reads the same way.
extension JSONValue {
    public func yaml() -> String {
        Self.block(self, indent: 0).joined(separator: "\n")
    }

    /// The lines of `value` as a block node whose lines start `indent` spaces in.
    private static func block(_ value: JSONValue, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let object) where !object.isEmpty:
            return object.flatMap { key, member -> [String] in
                let head = pad + scalar(key) + ":"
                return isNested(member) ? [head] + block(member, indent: indent + 2) : [head + " " + inline(member)]
            }
        case .array(let elements) where !elements.isEmpty:
            return elements.flatMap { element -> [String] in
                switch element {
                case .object(let object) where !object.isEmpty:
                    // `- Id: 1` then the other members under the first.
                    var lines = block(element, indent: indent + 2)
                    lines[0] = pad + "- " + lines[0].dropFirst(indent + 2)
                    return lines
                case .array(let inner) where !inner.isEmpty:
                    return [pad + "-"] + block(element, indent: indent + 2)
                default:
                    return [pad + "- " + inline(element)]
                }
            }
        default:
            return [pad + inline(value)]
        }
    }

    private static func isNested(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object): !object.isEmpty
        case .array(let elements): !elements.isEmpty
        default: false
        }
    }

    /// A value on one line: a scalar, `[]` or `{}`.
    private static func inline(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): number.text
        case .string(let text): scalar(text)
        case .array: "[]"
        case .object: "{}"
        }
    }

    /// `Jane Doe` as it is; `"101"`, `"true"`, `"a: b"`, `""` quoted.
    static func scalar(_ text: String) -> String {
        isPlainSafe(text) ? text : quoted(text)
    }

    private static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        let reserved: Set<String> = ["null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE", "yes", "no", "on", "off", "y", "n"]
        guard !reserved.contains(text), Double(text) == nil, !text.hasPrefix("0x"), !text.hasPrefix("0o"), !text.hasPrefix(".") else { return false }
        // Indicators that start something else at the start of a plain scalar; and a leading
        // digit or sign, which YAML 1.1 readers take for a date, a time or a number.
        guard !"-?:,[]{}#&*!|>'\"%@`=<+".unicodeScalars.contains(first), !("0"..."9").contains(first), first != " ", last != " " else { return false }
        for scalar in text.unicodeScalars {
            // Letters, digits, spaces and printable ASCII are fine; controls, `:` and `#` are not.
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar.properties.isWhitespace && scalar != " " { return false }
            if scalar == ":" || scalar == "#" { return false }
            if scalar.value >= 0x80, !(scalar.properties.isAlphabetic || scalar.properties.numericType != nil) { return false }
        }
        return true
    }
}

// One job, one file (about 420 lines): the recursive-descent reader of JSON over a byte buffer,
// as a cursor that builds values, reads past them or goes into them. JSONValue.parse is the
// cursor building one whole value; a cassette index is the same cursor reading a few values and
// the byte ranges of the rest. Splitting it would spread one state machine (position, depth)
// across files that must change together.

/// Where and why a text is not JSON.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// 1-based.
    public let line: Int
    /// 1-based, in characters of the line.
    public let column: Int
    /// 0-based byte offset.
    public let offset: Int

    public var description: String { "line \(line), column \(column): \(message)" }
}

extension JSONValue {
    /// Parses UTF-8 JSON text (RFC 8259). Nesting is limited to `maxDepth` levels so that hostile
    /// input cannot exhaust the stack.
    public static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes, maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        try inBuffer(bytes) { buffer throws(JSONParseError) in
            var cursor = JSONCursor(buffer, maxDepth: maxDepth)
            try cursor.beginDocument()
            let value = try cursor.value()
            try cursor.endDocument()
            return value
        }
    }

    /// Contiguous bytes (Data, arrays) are read in place: a 200 MB cassette is not copied.
    static func inBuffer<Result>(
        _ bytes: some Collection<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> Result
    ) throws(JSONParseError) -> Result {
        let inPlace = bytes.withContiguousStorageIfAvailable { buffer in Swift.Result { () throws(JSONParseError) in try body(buffer) } }
        if let inPlace { return try inPlace.get() }
        return try Array(bytes).withUnsafeBufferPointer { buffer throws(JSONParseError) in try body(buffer) }
    }

    public static func parse(_ text: String, maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }
}

/// Reads a JSON text in place, one value at a time. A reader that wants a few values and where
/// the rest lie, rather than the whole tree (a cassette index reads each entry's request line
/// and notes where its response is), says what to do with each value it meets: build it
/// (``value()``), read past it (``skip()``, which checks brackets and string ends, not every
/// rule of JSON), or go into it (``readObject(_:)``, ``readArray(_:)``).
public struct JSONCursor {
    public enum Kind: Equatable, Sendable {
        case object, array, string, number, bool, null
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0
    var depth = 0

    /// `bytes` must outlive the cursor.
    public init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = 512) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// The byte offset of the next value, or of what follows the last one read.
    public var offset: Int { index }

    /// The kind of the next value; nil at the end of the text, or before a byte no value starts with.
    public mutating func peek() -> Kind? {
        skipWhitespace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: return nil
        }
    }

    /// Before the document's one value: a byte-order mark (many writers emit one) and white
    /// space are passed over.
    public mutating func beginDocument() throws(JSONParseError) {
        if index == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        guard index < bytes.count else { throw error("the text is empty; expected a JSON value") }
    }

    /// After the document's one value: nothing but white space may follow.
    public mutating func endDocument() throws(JSONParseError) {
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected \(describeCurrent()) after the JSON value") }
    }

    /// Builds the next value.
    public mutating func value() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of text; expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected \(describeCurrent()); expected a value")
        }
    }

    /// Reads past the next value without building it, and says where it lay. Strings are
    /// scanned for their closing quote and brackets counted: a text skipped is checked for
    /// balance, not for every rule of JSON.
    @discardableResult
    public mutating func skip() throws(JSONParseError) -> Range<Int> {
        skipWhitespace()
        let start = index
        guard index < bytes.count else { throw error("unexpected end of text; expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipContainer()
        case UInt8(ascii: "\""):
            skipToClosingQuote()
            guard index < bytes.count else {
                index = start
                throw error("unterminated string")
            }
            index += 1
        case UInt8(ascii: "t"): try expectWord("true")
        case UInt8(ascii: "f"): try expectWord("false")
        case UInt8(ascii: "n"): try expectWord("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            index += 1
            while index < bytes.count, isNumberByte(bytes[index]) { index += 1 }
        default: throw error("unexpected \(describeCurrent()); expected a value")
        }
        return start..<index
    }

    /// Goes through the object that comes next, handing each member's name to `member`, which
    /// reads the member's value (by any of the cursor's methods) before it returns.
    public mutating func readObject(_ member: (_ name: String, _ cursor: inout JSONCursor) throws(JSONParseError) -> Void) throws(JSONParseError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else {
            throw error("unexpected \(describeCurrent()); expected an object")
        }
        try enter()
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error(index < bytes.count ? "unexpected \(describeCurrent()); expected a member name in quotes" : "unexpected end of text inside an object")
            }
            let name = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error(index < bytes.count ? "unexpected \(describeCurrent()); expected ':' after the member name" : "unexpected end of text inside an object")
            }
            index += 1
            try member(name, &self)
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of text; expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw error("unexpected \(describeCurrent()); expected ',' or '}'") }
            index += 1
            depth -= 1
            return
        }
    }

    /// Goes through the array that comes next, handing each element's position to `element`,
    /// which reads the element before it returns.
    public mutating func readArray(_ element: (_ position: Int, _ cursor: inout JSONCursor) throws(JSONParseError) -> Void) throws(JSONParseError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else {
            throw error("unexpected \(describeCurrent()); expected an array")
        }
        try enter()
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return
        }
        var count = 0
        while true {
            try element(count, &self)
            count += 1
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of text; expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { throw error("unexpected \(describeCurrent()); expected ',' or ']'") }
            index += 1
            depth -= 1
            return
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        try readObject { name, cursor throws(JSONParseError) in members.append((key: name, value: try cursor.value())) }
        return .object(JSONObject(members))
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        var elements: [JSONValue] = []
        try readArray { _, cursor throws(JSONParseError) in elements.append(try cursor.value()) }
        return .array(elements)
    }

    /// Reads past an array or object without building it: strings are scanned for their
    /// closing quote, brackets are counted.
    private mutating func skipContainer() throws(JSONParseError) {
        let start = index
        var nesting = 0
        repeat {
            guard index < bytes.count else {
                index = start
                throw error("unexpected end of text; the \(bytes[start] == UInt8(ascii: "[") ? "array" : "object") here is never closed")
            }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                skipToClosingQuote()
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                nesting += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                nesting -= 1
            default:
                break
            }
            index += 1
        } while nesting > 0
    }

    /// From a string's opening quote to its closing one (or the end of the text), over escapes.
    private mutating func skipToClosingQuote() {
        index += 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
        }
    }

    private func isNumberByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        let start = index
        index += 1
        // Most strings have no escape: find the closing quote and decode the bytes once.
        let contentStart = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            index += 1
        }
        // A body stored as a string escapes every quote in it: copy the runs between escapes
        // whole rather than byte by byte.
        var utf8: [UInt8] = []
        utf8.reserveCapacity(index - contentStart + 64)
        var runStart = contentStart
        while index < bytes.count {
            let byte = bytes[index]
            if byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte >= 0x20 {
                index += 1
                continue
            }
            utf8.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                let escapeStart = index
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): utf8.append(contentsOf: String(try parseUnicodeEscape()).utf8)
                default:
                    index = escapeStart + 1
                    throw error("invalid escape '\\\(Character(UnicodeScalar(escape)))' in a string")
                }
                runStart = index
                continue
            }
            throw error("control character U+\(String(byte, radix: 16, uppercase: true)) inside a string; it must be escaped")
        }
        index = start
        throw error("unterminated string")
    }

    private mutating func parseUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let high = try parseHex4()
        if (0xD800..<0xDC00).contains(high) {
            // A surrogate pair: \uD83D\uDE00.
            if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                index += 2
                let low = try parseHex4()
                if (0xDC00..<0xE000).contains(low) {
                    return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
                }
            }
            return "\u{FFFD}"
        }
        return Unicode.Scalar(high) ?? "\u{FFFD}"
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("incomplete \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid hexadecimal digit in a \\u escape")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("a number needs a digit after '-'") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw error("numbers cannot have leading zeros") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("a number needs a digit after '.'") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("a number needs a digit in its exponent") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        return JSONNumber(text: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }

    private mutating func expectWord(_ word: StaticString) throws(JSONParseError) {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count,
            word.withUTF8Buffer({ expected in (0..<length).allSatisfy { bytes[index + $0] == expected[$0] } })
        else {
            throw error("unexpected \(describeCurrent()); expected a value")
        }
        index += length
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func describeCurrent() -> String {
        guard index < bytes.count else { return "end of text" }
        let byte = bytes[index]
        if byte >= 0x20, byte < 0x7F { return "'\(Character(UnicodeScalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    private func error(_ message: String) -> JSONParseError {
        var line = 1
        var lineStart = 0
        let end = min(index, bytes.count)
        for position in 0..<end where bytes[position] == 0x0A {
            line += 1
            lineStart = position + 1
        }
        let column = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<end]), as: UTF8.self).count + 1
        return JSONParseError(message: message, line: line, column: column, offset: index)
    }
}

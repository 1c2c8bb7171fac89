// One job, one file (about 380 lines): the recursive-descent parser over a byte buffer, with the
// streaming of one large array built into the same descent. Splitting it would spread one state
// machine (position, depth, the streamed path) across files that must change together.

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
            var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
            return try parser.parseDocument()
        }
    }

    /// Parses a document with one large array at `path` (member names from the top): its
    /// elements go to `visit` one at a time, in order, and are not kept (the result has an
    /// empty array there), so that the document is never held whole as a tree. `visit` returns
    /// false to stop; the result is then nil.
    public static func parse(
        _ bytes: some Collection<UInt8>, streamingArrayAt path: [String], maxDepth: Int = 512,
        visit: (_ index: Int, _ element: JSONValue) -> Bool
    ) throws(JSONParseError) -> JSONValue? {
        try withoutActuallyEscaping(visit) { visit throws(JSONParseError) in
            try inBuffer(bytes) { buffer throws(JSONParseError) -> JSONValue? in
                var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
                parser.stream = (path, visit)
                do throws(JSONParseError) {
                    return try parser.parseDocument()
                } catch where parser.stopped {
                    return nil
                }
            }
        }
    }

    /// Parses a document but reads past the array at `path` without building its elements (the
    /// result has an empty array there): the settings around a large array, cheaply. The array
    /// is checked for balance, not for every rule of JSON.
    public static func parse(_ bytes: some Collection<UInt8>, skippingArrayAt path: [String], maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        try inBuffer(bytes) { buffer throws(JSONParseError) in
            var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
            parser.stream = (path, nil)
            return try parser.parseDocument()
        }
    }

    /// Contiguous bytes (Data, arrays) are read in place: a 200 MB cassette is not copied.
    private static func inBuffer<Result>(
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

private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0
    var depth = 0
    /// The array whose elements are handed over rather than kept, and to what (nil: skipped).
    var stream: (path: [String], visit: ((Int, JSONValue) -> Bool)?)?
    /// Names of the objects being read, while they lead towards the streamed array.
    var streamPrefix: [String] = []
    var stopped = false

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        // A byte-order mark is tolerated, as many writers emit one.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        guard index < bytes.count else { throw error("the text is empty; expected a JSON value") }
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected \(describeCurrent()) after the JSON value") }
        return value
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
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

    mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(JSONObject(members))
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error(index < bytes.count ? "unexpected \(describeCurrent()); expected a member name in quotes" : "unexpected end of text inside an object")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error(index < bytes.count ? "unexpected \(describeCurrent()); expected ':' after the member name" : "unexpected end of text inside an object")
            }
            index += 1
            skipWhitespace()
            if let stream, streamPrefix.count == depth - 1, streamPrefix.count < stream.path.count, stream.path[streamPrefix.count] == key {
                streamPrefix.append(key)
                defer { streamPrefix.removeLast() }
                if streamPrefix.count == stream.path.count, index < bytes.count, bytes[index] == UInt8(ascii: "[") {
                    if let visit = stream.visit {
                        members.append((key: key, value: try parseArray(handingElementsTo: visit)))
                    } else {
                        try skipContainer()
                        members.append((key: key, value: .array([])))
                    }
                } else {
                    members.append((key: key, value: try parseValue()))
                }
            } else {
                members.append((key: key, value: try parseValue()))
            }
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of text; expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw error("unexpected \(describeCurrent()); expected ',' or '}'") }
            index += 1
            depth -= 1
            return .object(JSONObject(members))
        }
    }

    /// With `visit`, each element goes there as it is read, and the array comes back empty.
    mutating func parseArray(handingElementsTo visit: ((Int, JSONValue) -> Bool)? = nil) throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        var count = 0
        while true {
            skipWhitespace()
            let element = try parseValue()
            if let visit {
                guard visit(count, element) else {
                    stopped = true
                    throw error("stopped")
                }
            } else {
                elements.append(element)
            }
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
            return .array(elements)
        }
    }

    /// Reads past an array or object without building it: strings are scanned for their
    /// closing quote, brackets are counted.
    mutating func skipContainer() throws(JSONParseError) {
        let start = index
        var nesting = 0
        repeat {
            guard index < bytes.count else {
                index = start
                throw error("unexpected end of text; the array here is never closed")
            }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
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

    mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
    }

    mutating func parseString() throws(JSONParseError) -> String {
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
        var utf8: [UInt8] = Array(bytes[contentStart..<index])
        while index < bytes.count {
            let byte = bytes[index]
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
                continue
            }
            if byte < 0x20 {
                throw error("control character U+\(String(byte, radix: 16, uppercase: true)) inside a string; it must be escaped")
            }
            utf8.append(byte)
            index += 1
        }
        index = start
        throw error("unterminated string")
    }

    mutating func parseUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
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

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
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

    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
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

    mutating func expectWord(_ word: StaticString) throws(JSONParseError) {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count,
            word.withUTF8Buffer({ expected in (0..<length).allSatisfy { bytes[index + $0] == expected[$0] } })
        else {
            throw error("unexpected \(describeCurrent()); expected a value")
        }
        index += length
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    func describeCurrent() -> String {
        guard index < bytes.count else { return "end of text" }
        let byte = bytes[index]
        if byte >= 0x20, byte < 0x7F { return "'\(Character(UnicodeScalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    func error(_ message: String) -> JSONParseError {
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

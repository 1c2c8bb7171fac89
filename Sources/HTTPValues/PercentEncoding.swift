import Foundation

/// Percent-decoding on bytes: matching decodes every query parameter of every request, and
/// Foundation's `removingPercentEncoding` is too slow for that.
public enum PercentEncoding {
    // Inlinable: generic over the kind of text, these run for every URL a replay compares, and
    // unspecialized (called across modules) they cost more than the rest of the comparison.

    /// `a%20b` → `a b` (and `+` → space in form bodies). Invalid escapes stay as written.
    @inlinable
    public static func decode<Text: StringProtocol>(_ text: Text, plusIsSpace: Bool = false) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if let decoded = escapedByte(in: utf8, at: index) {
                bytes.append(decoded)
                index = utf8.index(index, offsetBy: 3)
                continue
            }
            bytes.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index = utf8.index(after: index)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The byte that a `%XX` escape starting at `index` stands for; nil when none starts there.
    @inlinable
    public static func escapedByte<Bytes: Collection<UInt8>>(in bytes: Bytes, at index: Bytes.Index) -> UInt8? {
        guard bytes[index] == UInt8(ascii: "%") else { return nil }
        let first = bytes.index(after: index)
        guard first != bytes.endIndex else { return nil }
        let second = bytes.index(after: first)
        guard second != bytes.endIndex, let high = HexDigit.value(bytes[first]), let low = HexDigit.value(bytes[second]) else {
            return nil
        }
        return high << 4 | low
    }

    /// `%2f` → `%2F`: the same byte, written one way.
    @inlinable
    public static func normalize<Text: StringProtocol>(_ text: Text) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        var bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count {
                for offset in 1...2 where (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(bytes[index + offset]) {
                    bytes[index + offset] -= 32
                }
                index += 3
            } else {
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Percent-encoding with a set of characters that go through as they are.
public struct PercentEncoder: Sendable {
    /// Only the RFC 3986 unreserved characters go through: for a name or value of a form body
    /// (a space is `%20`, never `+`, so that no server has to guess) and for placeholders
    /// written into URLs.
    public static let unreserved = PercentEncoder(CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"))
    /// A name or value added to a query: as a form value, and `,` too, so that `_shape` lists
    /// stay readable.
    public static let queryValue = PercentEncoder(unreserved.allowed.union(CharacterSet(charactersIn: ",")))
    /// A path or a query as typed: what a URL cannot hold is encoded, `%` stays as it is (the
    /// user may have encoded already).
    public static let path = PercentEncoder(CharacterSet.urlPathAllowed.union(CharacterSet(charactersIn: "%")))
    public static let query = PercentEncoder(CharacterSet.urlQueryAllowed.union(CharacterSet(charactersIn: "%")))

    private let allowed: CharacterSet
    /// The ASCII bytes `allowed` holds: most texts are all of them and need no encoding, which
    /// is far cheaper to see byte by byte than through Foundation.
    private let asciiAllowed: [Bool]

    private init(_ allowed: CharacterSet) {
        self.allowed = allowed
        asciiAllowed = (0..<128).map { allowed.contains(Unicode.Scalar(UInt8($0))) }
    }

    public func encode(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 128 && asciiAllowed[Int($0)] }) { return text }
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// The value of a hexadecimal digit in either case, for percent-encoding and `\u` escapes.
public enum HexDigit {
    @inlinable
    public static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

import Foundation
import HTTPValues

/// Finds known secret values in text however they were written: as they are, JSON-escaped
/// (`\/`, `\uXXXX`, in any mix), percent-encoded (either case, `+` for a space), both, or inside
/// base64. The redactor replaces what it finds and the checkers report it, so the two can
/// never disagree about what a secret looks like.
public struct SecretFinder: Sendable {
    public struct Secret: Sendable {
        public let value: String
        /// Names the placeholder that replaces it.
        public let name: String
        let bytes: [UInt8]
        /// The part of its base64 encoding that does not depend on the bytes around it, at
        /// each of the three alignments, in both alphabets.
        let base64Cores: [[UInt8]]
    }

    /// How a match was written, which decides the spelling of what replaces it.
    public enum Spelling: Sendable, Equatable {
        case raw
        case jsonEscaped
        case percentEncoded
        case base64
    }

    public struct Match: Sendable, Equatable {
        /// Byte offsets in the searched text.
        public let range: Range<Int>
        /// Index into ``secrets``.
        public let secret: Int
        public let spelling: Spelling
    }

    /// Longest first, so that a secret holding another is replaced whole.
    public private(set) var secrets: [Secret] = []
    private var hasSpace = false

    /// Shorter values are not searched for: replacing every "abc" in every body would corrupt
    /// unrelated text. A rule that knows where a short secret is still takes it out.
    public static let minimumLength = 6
    /// A shorter base64 core could turn up by chance.
    static let minimumCoreLength = 8

    public init() {}

    public var isEmpty: Bool { secrets.isEmpty }

    /// Adds a value to look for; false when it is too short or known already.
    @discardableResult
    public mutating func add(_ value: String, name: String) -> Bool {
        guard value.utf8.count >= Self.minimumLength, !secrets.contains(where: { $0.value == value }) else { return false }
        let bytes = Array(value.utf8)
        secrets.append(Secret(value: value, name: name, bytes: bytes, base64Cores: Self.base64Cores(of: bytes)))
        secrets.sort { $0.bytes.count > $1.bytes.count }
        hasSpace = hasSpace || bytes.contains(UInt8(ascii: " "))
        return true
    }

    public func contains(value: String) -> Bool {
        secrets.contains { $0.value == value }
    }

    // MARK: Searching

    /// Every place a secret is written in `text`, in order, none overlapping.
    public func matches(in text: UnsafeBufferPointer<UInt8>) -> [Match] {
        guard !secrets.isEmpty, !text.isEmpty else { return [] }
        var found: [Match] = []
        for (index, secret) in secrets.enumerated() {
            Self.occurrences(of: secret.bytes, in: text) { found.append(Match(range: $0, secret: index, spelling: .raw)) }
            for core in secret.base64Cores {
                Self.occurrences(of: core, in: text) { found.append(Match(range: $0, secret: index, spelling: .base64)) }
            }
        }
        // Decoded views only for a text that has something to decode.
        let hasEscape = text.contains(UInt8(ascii: "\\"))
        let hasPercent = text.contains(UInt8(ascii: "%"))
        // `+` for a space only matters to a secret with a space, and a `+` may be itself.
        let hasPlus = hasSpace && text.contains(UInt8(ascii: "+"))
        var views: [(DecodedView, Spelling)] = []
        if hasEscape { views.append((DecodedView(text, json: true, percent: false, plusIsSpace: false), .jsonEscaped)) }
        if hasPercent { views.append((DecodedView(text, json: false, percent: true, plusIsSpace: false), .percentEncoded)) }
        if hasPlus { views.append((DecodedView(text, json: false, percent: true, plusIsSpace: true), .percentEncoded)) }
        if hasEscape, hasPercent { views.append((DecodedView(text, json: true, percent: true, plusIsSpace: false), .jsonEscaped)) }
        for (view, spelling) in views where view.changed {
            view.bytes.withUnsafeBufferPointer { decoded in
                for (index, secret) in secrets.enumerated() {
                    Self.occurrences(of: secret.bytes, in: decoded) { range in
                        found.append(Match(range: view.original(range), secret: index, spelling: spelling))
                    }
                }
            }
        }
        return Self.merged(found)
    }

    public func matches(in text: String) -> [Match] {
        var text = text
        return text.withUTF8 { matches(in: $0) }
    }

    public func matches(in bytes: [UInt8]) -> [Match] {
        bytes.withUnsafeBufferPointer { matches(in: $0) }
    }

    /// `text` with each of `matches` (found in it, in order) replaced by what `replacement` says.
    public static func replacing(_ matches: [Match], in text: [UInt8], _ replacement: (Match) -> String) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        var copied = 0
        for match in matches {
            result += text[copied..<match.range.lowerBound]
            result += replacement(match).utf8
            copied = match.range.upperBound
        }
        result += text[copied...]
        return result
    }

    private static func occurrences(of needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        var start = 0
        while let offset = ByteSearch.firstOffset(of: needle, in: text, from: start) {
            body(offset..<(offset + needle.count))
            start = offset + needle.count
        }
    }

    /// Sorted by start; overlapping matches become one, with the first one's secret.
    private static func merged(_ matches: [Match]) -> [Match] {
        guard matches.count > 1 else { return matches }
        let sorted = matches.sorted { $0.range.lowerBound != $1.range.lowerBound ? $0.range.lowerBound < $1.range.lowerBound : $0.range.count > $1.range.count }
        var result = [sorted[0]]
        for match in sorted.dropFirst() {
            let last = result[result.count - 1]
            if match.range.lowerBound < last.range.upperBound {
                let upper = max(last.range.upperBound, match.range.upperBound)
                result[result.count - 1] = Match(range: last.range.lowerBound..<upper, secret: last.secret, spelling: last.spelling)
            } else {
                result.append(match)
            }
        }
        return result
    }

    // MARK: base64

    /// Base64 turns three bytes into four characters, so a value inside a longer encoded text
    /// is written one of three ways, depending on where it starts; only the characters made
    /// from its own bits alone are the same whatever surrounds it.
    static func base64Cores(of bytes: [UInt8]) -> [[UInt8]] {
        var cores: [[UInt8]] = []
        for shift in 0..<3 {
            let encoded = Array((Data(repeating: 0, count: shift) + Data(bytes)).base64EncodedString().utf8)
            let first = (8 * shift + 5) / 6
            let end = (8 * (shift + bytes.count)) / 6
            guard end - first >= minimumCoreLength else { continue }
            let core = Array(encoded[first..<end])
            let urlSafe = core.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: "-") : $0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0 }
            cores.append(core)
            if urlSafe != core { cores.append(urlSafe) }
        }
        return cores
    }
}

/// A text with its escapes undone, and for each decoded byte where it came from.
private struct DecodedView {
    var bytes: [UInt8] = []
    /// For decoded byte `i`, the original bytes `starts[i]..<ends[i]`.
    private var starts: [Int32] = []
    private var ends: [Int32] = []
    private(set) var changed = false

    init(_ text: UnsafeBufferPointer<UInt8>, json: Bool, percent: Bool, plusIsSpace: Bool) {
        bytes.reserveCapacity(text.count)
        starts.reserveCapacity(text.count)
        ends.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            let byte = text[index]
            if json, byte == UInt8(ascii: "\\"), let (decoded, length) = Self.jsonEscape(text, at: index) {
                append(decoded, from: index, to: index + length)
                index += length
            } else if percent, let decoded = PercentEncoding.escapedByte(in: text, at: index) {
                append([decoded], from: index, to: index + 3)
                index += 3
            } else if plusIsSpace, byte == UInt8(ascii: "+") {
                append([UInt8(ascii: " ")], from: index, to: index + 1)
                index += 1
            } else {
                bytes.append(byte)
                starts.append(Int32(index))
                ends.append(Int32(index + 1))
                index += 1
            }
        }
    }

    private mutating func append(_ decoded: [UInt8], from start: Int, to end: Int) {
        changed = true
        for byte in decoded {
            bytes.append(byte)
            starts.append(Int32(start))
            ends.append(Int32(end))
        }
    }

    /// The original bytes that a decoded range came from.
    func original(_ range: Range<Int>) -> Range<Int> {
        Int(starts[range.lowerBound])..<Int(ends[range.upperBound - 1])
    }

    /// The bytes a JSON escape at `index` stands for, and its length; nil for a backslash that
    /// starts no escape.
    private static func jsonEscape(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> ([UInt8], Int)? {
        guard index + 1 < text.count else { return nil }
        switch text[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return ([text[index + 1]], 2)
        case UInt8(ascii: "n"): return ([0x0A], 2)
        case UInt8(ascii: "t"): return ([0x09], 2)
        case UInt8(ascii: "r"): return ([0x0D], 2)
        case UInt8(ascii: "b"): return ([0x08], 2)
        case UInt8(ascii: "f"): return ([0x0C], 2)
        case UInt8(ascii: "u"):
            guard let high = hexQuad(text, at: index + 2) else { return nil }
            var scalar = high
            var length = 6
            if (0xD800...0xDBFF).contains(high), index + 12 <= text.count, text[index + 6] == UInt8(ascii: "\\"), text[index + 7] == UInt8(ascii: "u"),
                let low = hexQuad(text, at: index + 8), (0xDC00...0xDFFF).contains(low)
            {
                scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                length = 12
            }
            guard let value = Unicode.Scalar(scalar) else { return nil }
            return (Array(String(Character(value)).utf8), length)
        default:
            return nil
        }
    }

    private static func hexQuad(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32? {
        guard index + 4 <= text.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = HexDigit.value(text[index + offset]) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

}

import Foundation

/// What the security tests check after an attack, written independently of nexsh's own
/// redaction and safe-text code: an oracle that shared that code would share its gaps.

/// Finds secret values in bytes however they were written: raw, with JSON escapes (`\/`,
/// `\uXXXX`, in any mix), percent-encoded (either case, `+` as a space), or inside base64.
public enum SecretOracle {
    /// The spellings under which each of `secrets` occurs in `data`, as "SECRET (how)".
    public static func leaks(of secrets: [String], in data: Data) -> [String] {
        let views: [(String, [UInt8])] = [
            ("raw", Array(data)),
            ("JSON-escaped", jsonUnescaped(Array(data))),
            ("percent-encoded", percentDecoded(Array(data))),
            ("JSON-escaped then percent-encoded", percentDecoded(jsonUnescaped(Array(data)))),
        ] + base64Runs(in: Array(data)).map { ("base64", $0) }
        var found: [String] = []
        for secret in secrets where !secret.isEmpty {
            let needle = Array(secret.utf8)
            for (how, bytes) in views where contains(bytes, needle) {
                found.append("\(secret) (\(how))")
                break
            }
        }
        return found
    }

    /// Every regular file under `directory` (and the files given) that holds one of `secrets`.
    public static func leaks(of secrets: [String], inFilesUnder directory: URL) -> [String] {
        var found: [String] = []
        for file in FileTree.regularFiles(under: directory) {
            guard let data = try? Data(contentsOf: file) else { continue }
            for leak in leaks(of: secrets, in: data) {
                found.append("\(file.lastPathComponent): \(leak)")
            }
        }
        return found
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], Array(haystack[index..<(index + needle.count)]) == needle { return true }
            index += 1
        }
        return false
    }

    static func jsonUnescaped(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                output.append(bytes[index])
                index += 1
                continue
            }
            let next = bytes[index + 1]
            switch next {
            case UInt8(ascii: "u"):
                var value: UInt32 = 0
                var digits = 0
                while digits < 4, index + 2 + digits < bytes.count, let digit = hexValue(bytes[index + 2 + digits]) {
                    value = value * 16 + UInt32(digit)
                    digits += 1
                }
                guard digits == 4 else {
                    output.append(bytes[index])
                    index += 1
                    continue
                }
                index += 6
                // A surrogate pair: the low half follows as another escape.
                if (0xD800...0xDBFF).contains(value), index + 5 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                    let low = UInt32(String(decoding: bytes[(index + 2)..<(index + 6)], as: UTF8.self), radix: 16), (0xDC00...0xDFFF).contains(low)
                {
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                output.append(contentsOf: Array(String(Unicode.Scalar(value).map(Character.init) ?? "\u{FFFD}").utf8))
            case UInt8(ascii: "n"): output.append(0x0A); index += 2
            case UInt8(ascii: "t"): output.append(0x09); index += 2
            case UInt8(ascii: "r"): output.append(0x0D); index += 2
            case UInt8(ascii: "b"): output.append(0x08); index += 2
            case UInt8(ascii: "f"): output.append(0x0C); index += 2
            default: output.append(next); index += 2
            }
        }
        return output
    }

    static func percentDecoded(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(bytes[index] == UInt8(ascii: "+") ? UInt8(ascii: " ") : bytes[index])
                index += 1
            }
        }
        return output
    }

    /// Every run of base64 (standard or URL-safe) of at least 8 characters, decoded at each of
    /// its four alignments, so a secret inside a longer encoded text is found too.
    static func base64Runs(in bytes: [UInt8]) -> [[UInt8]] {
        func isBase64(_ byte: UInt8) -> Bool {
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        var runs: [[UInt8]] = []
        var index = 0
        while index < bytes.count {
            guard isBase64(bytes[index]) else {
                index += 1
                continue
            }
            var end = index
            // Line breaks inside base64 (vcrpy wraps at 76) belong to the run.
            while end < bytes.count, isBase64(bytes[end]) || bytes[end] == 0x0A || bytes[end] == 0x0D { end += 1 }
            let run = bytes[index..<end].filter { $0 != 0x0A && $0 != 0x0D }
                .map { $0 == UInt8(ascii: "-") ? UInt8(ascii: "+") : $0 == UInt8(ascii: "_") ? UInt8(ascii: "/") : $0 }
            if run.count >= 8 {
                for shift in 0..<4 where run.count - shift >= 8 {
                    var text = String(decoding: run[shift...], as: UTF8.self)
                    // A run ends where its padding starts; a lone last character is no byte.
                    if text.count % 4 == 1 { text.removeLast() }
                    text += String(repeating: "=", count: (4 - text.count % 4) % 4)
                    if let decoded = Data(base64Encoded: text) { runs.append(Array(decoded)) }
                }
            }
            index = end
        }
        return runs
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Finds characters that must never reach a terminal or a report raw: C0 controls (but line
/// feed and tab), DEL, C1 controls, and the bidirectional controls that reorder what is shown.
public enum ControlOracle {
    public static func isHostile(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value == 0x0A || value == 0x09 { return false }
        return value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x061C || value == 0x200E || value == 0x200F
            || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }

    /// Each hostile character of `text`, as `U+001B at 12`.
    public static func hostile(in text: String) -> [String] {
        text.unicodeScalars.enumerated().filter { isHostile($0.element) }
            .map { String(format: "U+%04X at %d", $0.element.value, $0.offset) }
    }

    /// Like ``hostile(in:)`` for bytes that may not be UTF-8: a lone 0x9B byte counts too.
    public static func hostile(in data: Data) -> [String] {
        hostile(in: String(decoding: data, as: UTF8.self))
    }
}

/// The files under a folder and their contents, to show that an attack changed nothing it
/// was not meant to.
public struct FileTree: Equatable, CustomStringConvertible {
    /// Relative path → a description: "file 0600 <hash>", "link -> target", "fifo", "dir".
    public let items: [String: String]

    public init(_ directory: URL) {
        var items: [String: String] = [:]
        let base = directory.resolvingSymlinksInPath().path
        func visit(_ path: String) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            for name in names {
                let full = path + "/" + name
                let relative = String(full.dropFirst(base.count + 1))
                var info = stat()
                guard lstat(full, &info) == 0 else { continue }
                let mode = String(format: "%04o", info.st_mode & 0o7777)
                switch info.st_mode & S_IFMT {
                case S_IFREG:
                    let data = (try? Data(contentsOf: URL(fileURLWithPath: full))) ?? Data()
                    items[relative] = "file \(mode) \(data.count) bytes #\(data.hashValue)"
                case S_IFLNK:
                    items[relative] = "link -> " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "?")
                case S_IFDIR:
                    items[relative] = "dir \(mode)"
                    visit(full)
                case S_IFIFO:
                    items[relative] = "fifo \(mode)"
                default:
                    items[relative] = "special \(mode)"
                }
            }
        }
        visit(base)
        self.items = items
    }

    public var description: String {
        items.keys.sorted().map { "\($0): \(items[$0]!)" }.joined(separator: "\n")
    }

    /// Paths added, removed or changed between `self` and `later`.
    public func changes(to later: FileTree) -> [String] {
        Set(items.keys).union(later.items.keys).sorted().filter { items[$0] != later.items[$0] }
    }

    public static func regularFiles(under directory: URL) -> [URL] {
        let base = directory.resolvingSymlinksInPath()
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        return enumerator.compactMap { $0 as? URL }.filter { url in
            var info = stat()
            return lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        }
    }
}

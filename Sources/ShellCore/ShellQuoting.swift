import Foundation

/// Words for a POSIX shell (`sh`, `dash`, `bash`, `zsh`), written so that the text is safe to
/// show on a terminal too: the one quoting function of the project.
///
/// A word is a run of single-quoted text (`'it'\''s'` for a quote), in which every byte but NUL
/// stands for itself. Bytes that must not reach a terminal as they are (control characters
/// other than a newline or tab, DEL, C1 and bidirectional controls, and bytes that are not
/// UTF-8) are written as `"$(printf '\033')"`: POSIX `printf` octal escapes in a command
/// substitution, which every POSIX shell reads the same way (`$'…'` is not in every `sh`).
/// A command substitution drops trailing newlines and cannot carry NUL, so newlines stay
/// literal inside the quotes, and NUL, which no argument of a program can hold, is refused.
public enum ShellQuoting {
    public struct UnquotableByte: Error, CustomStringConvertible {
        public let description = "a NUL byte cannot be passed to a command as an argument"
    }

    /// One shell word that the shell turns back into exactly `bytes`.
    public static func quote<Bytes: Collection>(bytes: Bytes) throws(UnquotableByte) -> String where Bytes.Element == UInt8 {
        if bytes.contains(0) { throw UnquotableByte() }
        var word = ""
        var literal: [UInt8] = []
        var escapes: [UInt8] = []
        func flushLiteral() {
            guard !literal.isEmpty else { return }
            word += "'" + String(decoding: literal, as: UTF8.self).replacingOccurrences(of: "'", with: #"'\''"#) + "'"
            literal = []
        }
        func flushEscapes() {
            guard !escapes.isEmpty else { return }
            word += #""$(printf '"# + escapes.map { "\\" + String($0, radix: 8) }.joined() + #"')""#
            escapes = []
        }
        for piece in pieces(of: Array(bytes)) {
            if piece.isShowable {
                flushEscapes()
                literal += piece.bytes
            } else {
                flushLiteral()
                escapes += piece.bytes
            }
        }
        flushLiteral()
        flushEscapes()
        return word.isEmpty ? "''" : word
    }

    public static func quote(_ text: String) throws(UnquotableByte) -> String {
        try quote(bytes: Array(text.utf8))
    }

    /// The bytes cut into UTF-8 characters, each marked with whether a terminal may show it as
    /// it is; a byte that starts no valid character is a piece of its own, not showable.
    private static func pieces(of bytes: [UInt8]) -> [(bytes: [UInt8], isShowable: Bool)] {
        var pieces: [(bytes: [UInt8], isShowable: Bool)] = []
        var index = 0
        while index < bytes.count {
            let length = characterLength(startingWith: bytes[index])
            let end = index + length
            if length > 0, end <= bytes.count, let text = String(validating: bytes[index..<end], as: UTF8.self),
               let scalar = text.unicodeScalars.first {
                let showable = scalar == "\n" || scalar == "\t" || !Terminal.mustBeEscaped(scalar)
                pieces.append((Array(bytes[index..<end]), showable))
                index = end
            } else {
                pieces.append(([bytes[index]], false))
                index += 1
            }
        }
        return pieces
    }

    private static func characterLength(startingWith byte: UInt8) -> Int {
        switch byte {
        case 0x00..<0x80: 1
        case 0xC2..<0xE0: 2
        case 0xE0..<0xF0: 3
        case 0xF0..<0xF5: 4
        default: 0
        }
    }
}

/// Splits script text into command lines and words.
///
/// One command per line, or several separated by `; ` (`profiles; whoami`); `#` at the start of a word begins a comment; `"…"` and `'…'` quote
/// (double quotes expand `${…}` and understand `\"`, `\\`, `\n`, `\t`, `\r`, `\$`; single
/// quotes take everything literally but `\'` and `\\`); outside quotes a backslash takes the next
/// character literally (`\;` is a `;` in a word); a backslash at the end of a line continues the command on the next one.
///
/// A line that does not read is a mistake of its own: reading goes on at the next physical
/// line, so that one reading finds every mistake of a script (and the scrubber still reads the
/// lines around one).
public enum Tokenizer {
    /// What reading a text came to: the commands that read, and a mistake for each that did not.
    public struct Reading: Sendable {
        public var lines: [ScriptLine] = []
        public var mistakes: [Mistake] = []
    }

    /// A command that does not read: why, and where it is.
    public struct Mistake: Sendable {
        public let error: ShellError
        /// Its UTF-8 bytes in the text (lines joined with `\n`): from the start of its first
        /// physical line to the end of the one where reading stopped.
        public let range: Range<Int>
        /// The line it starts on.
        public let line: Int
    }

    /// Every command of `text`, and every mistake; `firstLine` numbers the text's first line.
    public static func read(_ text: String, file: String, firstLine: Int = 1) -> Reading {
        var scanner = Scanner(text: text, file: file, firstLine: firstLine)
        return scanner.scanAll()
    }

    /// The text as it is read: line breaks written `\r\n` are `\n`. Places the tokenizer gives
    /// (``Word/sourceRange``, ``Mistake/range``) are in this text's UTF-8 bytes.
    public static func normalized(_ text: String) -> String {
        text.utf8.contains(UInt8(ascii: "\r")) ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
    }

    /// The commands of a typed line as their own texts (`profiles; whoami` → `profiles`,
    /// `whoami`), each from its first word to its last; a line that does not read is one text,
    /// so that running it reports its mistake.
    public static func statements(_ text: String) -> [String] {
        let normalized = normalized(text)
        let reading = read(normalized, file: "<input>")
        guard reading.mistakes.isEmpty, reading.lines.count > 1 else { return [text] }
        let bytes = Array(normalized.utf8)
        return reading.lines.compactMap { line in
            guard let start = line.words.first?.sourceRange?.lowerBound, let end = line.words.last?.sourceRange?.upperBound else { return nil }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
    }

    /// A single typed line (no continuation needed): its first command.
    public static func line(_ text: String, file: String = "<input>", line: Int = 1) throws(ShellError) -> ScriptLine? {
        let reading = read(text, file: file, firstLine: line)
        if let mistake = reading.mistakes.first { throw mistake.error }
        return reading.lines.first
    }

    /// Reads UTF-8 bytes: every character with a meaning here is ASCII, and a script of ten
    /// thousand lines was slow to split into Characters. Columns count Unicode scalars.
    private struct Scanner {
        let bytes: [UInt8]
        let file: String
        /// Source text of each physical line, for error displays.
        let physicalLines: [String]
        var index = 0
        var line: Int
        var column = 1
        let firstLine: Int

        init(text: String, file: String, firstLine: Int = 1) {
            bytes = Array(Tokenizer.normalized(text).utf8)
            self.file = file
            line = firstLine
            physicalLines = bytes.split(separator: Self.newline, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            self.firstLine = firstLine
        }

        static let newline = UInt8(ascii: "\n")
        static let semicolon = UInt8(ascii: ";")

        var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

        func sourceLine(_ number: Int) -> String {
            let index = number - firstLine
            return physicalLines.indices.contains(index) ? physicalLines[index] : ""
        }

        mutating func advance() {
            let byte = bytes[index]
            if byte == Self.newline {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                // Not a continuation byte: the start of the next scalar.
                column += 1
            }
            index += 1
        }

        /// Moves past the byte at the cursor and the rest of its scalar's bytes.
        mutating func advanceScalar() {
            advance()
            while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
        }

        func peek(_ offset: Int = 0) -> UInt8? {
            index + offset < bytes.count ? bytes[index + offset] : nil
        }

        /// The character that starts at the cursor, for messages.
        func scalarText() -> String {
            var end = index + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            return String(decoding: bytes[index..<end], as: UTF8.self)
        }

        func error(_ message: String, at location: SourceLocation) -> ShellError {
            .syntax(message, location, sourceLine: sourceLine(location.line))
        }

        mutating func scanAll() -> Reading {
            var reading = Reading()
            while index < bytes.count {
                let start = index
                let startLine = line
                do {
                    if let scanned = try scanCommand() { reading.lines.append(scanned) }
                } catch {
                    while index < bytes.count, bytes[index] != Self.newline { advance() }
                    reading.mistakes.append(Mistake(error: error, range: start..<index, line: startLine))
                    if index < bytes.count { advance() }
                }
            }
            return reading
        }

        /// One logical line: words up to an unescaped newline or the end.
        mutating func scanCommand() throws(ShellError) -> ScriptLine? {
            let startLine = line
            var words: [Word] = []
            var start: SourceLocation?
            scanning: while index < bytes.count {
                switch bytes[index] {
                case Self.newline:
                    advance()
                    break scanning
                case Self.semicolon where endsCommand():
                    advance()
                    break scanning
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    advance()
                case UInt8(ascii: "\\") where peek(1) == Self.newline:
                    advance()
                    advance()
                case UInt8(ascii: "#"):
                    while index < bytes.count, bytes[index] != Self.newline { advance() }
                default:
                    if start == nil { start = location }
                    words.append(try scanWord())
                }
            }
            guard let start, !words.isEmpty else { return nil }
            // Most commands are one line: its text is shared, not joined anew.
            let lastLine = max(startLine, line - 1)
            let text = lastLine == startLine ? sourceLine(startLine) : (startLine...lastLine).map(sourceLine).joined(separator: "\n")
            return ScriptLine(words: words, location: start, text: text)
        }

        /// A byte that ends a run of plain word bytes: white space, a quote, an escape, `$` or
        /// `;` (each looked at on its own by ``scanWord()``).
        static func endsPlainRun(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), newline, UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"), UInt8(ascii: "$"), semicolon:
                true
            default:
                false
            }
        }

        /// Moves past the run of plain word bytes at the cursor, if any.
        mutating func skipPlainRun() {
            while index < bytes.count, !Self.endsPlainRun(bytes[index]) { advance() }
        }

        /// `profiles; whoami`: a `;` outside quotes, followed by a space, a tab, the end of the
        /// line or of the text, ends a command. Elsewhere it is part of a word (`/x;v=1`, an
        /// escape sequence's `ESC ] 0 ; title`), as scripts written before it meant anything have it.
        func endsCommand() -> Bool {
            guard peek() == Self.semicolon else { return false }
            guard let next = peek(1) else { return true }
            return next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") || next == Self.newline
        }

        /// Whether the cursor is where a word ends: white space, a line's end (or its
        /// continuation), a `;` that ends the command, or the end of the text.
        func atWordEnd() -> Bool {
            guard let byte = peek() else { return true }
            return byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == Self.newline
                || (byte == UInt8(ascii: "\\") && peek(1) == Self.newline) || endsCommand()
        }

        mutating func scanWord() throws(ShellError) -> Word {
            let start = location
            let startIndex = index
            // Most words are one run of plain bytes: their text is their source, made once.
            skipPlainRun()
            if index > startIndex, atWordEnd() {
                let text = String(decoding: bytes[startIndex..<index], as: UTF8.self)
                return Word(parts: [.literal(text)], location: start, source: text, isQuoted: false, sourceRange: startIndex..<index)
            }
            var parts: [Word.Part] = []
            var literal = Array(bytes[startIndex..<index])
            var quotedPieces = 0
            var unquotedPieces = index > startIndex ? 1 : 0
            func flush() {
                if !literal.isEmpty {
                    parts.append(.literal(String(decoding: literal, as: UTF8.self)))
                    literal = []
                }
            }
            while index < bytes.count, !atWordEnd() {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    quotedPieces += 1
                    let quoteStart = location
                    advance()
                    while true {
                        guard let next = peek(), next != Self.newline else {
                            throw error("unterminated double quote", at: quoteStart)
                        }
                        if next == UInt8(ascii: "\"") {
                            advance()
                            break
                        }
                        if next == UInt8(ascii: "\\") {
                            let escapeStart = location
                            advance()
                            guard let escaped = peek(), escaped != Self.newline else {
                                throw error("unterminated double quote", at: quoteStart)
                            }
                            switch escaped {
                            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "$"), UInt8(ascii: "'"): literal.append(escaped)
                            case UInt8(ascii: "n"): literal.append(Self.newline)
                            case UInt8(ascii: "t"): literal.append(UInt8(ascii: "\t"))
                            case UInt8(ascii: "r"): literal.append(UInt8(ascii: "\r"))
                            default: throw error("unknown escape '\\\(scalarText())' in double quotes", at: escapeStart)
                            }
                            advance()
                            continue
                        }
                        if next == UInt8(ascii: "$"), peek(1) == UInt8(ascii: "{") {
                            flush()
                            parts.append(try scanVariable())
                            continue
                        }
                        literal.append(next)
                        advance()
                    }
                case UInt8(ascii: "'"):
                    quotedPieces += 1
                    let quoteStart = location
                    advance()
                    while true {
                        guard let next = peek(), next != Self.newline else {
                            throw error("unterminated single quote", at: quoteStart)
                        }
                        if next == UInt8(ascii: "'") {
                            advance()
                            break
                        }
                        if next == UInt8(ascii: "\\"), let escaped = peek(1), escaped == UInt8(ascii: "'") || escaped == UInt8(ascii: "\\") {
                            literal.append(escaped)
                            advance()
                            advance()
                            continue
                        }
                        literal.append(next)
                        advance()
                    }
                case UInt8(ascii: "\\"):
                    unquotedPieces += 1
                    advance()
                    if let escaped = peek(), escaped != Self.newline {
                        // The whole character is taken literally, however many bytes it has.
                        let scalarStart = index
                        advanceScalar()
                        literal.append(contentsOf: bytes[scalarStart..<index])
                    }
                case UInt8(ascii: "$") where peek(1) == UInt8(ascii: "{"):
                    unquotedPieces += 1
                    flush()
                    parts.append(try scanVariable())
                default:
                    unquotedPieces += 1
                    // The run of plain bytes up to the next one with a meaning, at once.
                    let runStart = index
                    advance()
                    skipPlainRun()
                    literal.append(contentsOf: bytes[runStart..<index])
                }
            }
            flush()
            let source = String(decoding: bytes[startIndex..<index], as: UTF8.self)
            return Word(parts: parts.isEmpty ? [.literal("")] : parts, location: start, source: source,
                        isQuoted: quotedPieces > 0 && unquotedPieces == 0, sourceRange: startIndex..<index)
        }

        /// `${name}` or `${env.NAME}`, the cursor on `$`.
        mutating func scanVariable() throws(ShellError) -> Word.Part {
            let start = location
            advance()
            advance()
            var name: [UInt8] = []
            while let next = peek(), next != UInt8(ascii: "}") {
                guard next != Self.newline, next != UInt8(ascii: " "), next != UInt8(ascii: "\""), next != UInt8(ascii: "'") else {
                    throw error("unterminated ${…}: expected '}'", at: start)
                }
                name.append(next)
                advance()
            }
            guard peek() == UInt8(ascii: "}") else { throw error("unterminated ${…}: expected '}'", at: start) }
            advance()
            let text = String(decoding: name, as: UTF8.self)
            guard Variables.isValidReference(text) else {
                throw error(text.isEmpty ? "empty variable name in ${}" : "invalid variable name '\(text)'", at: start)
            }
            return .variable(text, start)
        }
    }
}

/// Splits script text into command lines and words.
///
/// One command per line; `#` at the start of a word begins a comment; `"…"` and `'…'` quote
/// (double quotes expand `${…}` and understand `\"`, `\\`, `\n`, `\t`, `\r`, `\$`; single
/// quotes take everything literally but `\'` and `\\`); outside quotes a backslash takes the next
/// character literally; a backslash at the end of a line continues the command on the next one.
public enum Tokenizer {
    public static func lines(_ text: String, file: String) throws(ShellError) -> [ScriptLine] {
        var scanner = Scanner(text: text, file: file)
        return try scanner.scanAll()
    }

    /// A single typed line (no continuation needed).
    public static func line(_ text: String, file: String = "<input>", line: Int = 1) throws(ShellError) -> ScriptLine? {
        var scanner = Scanner(text: text, file: file, firstLine: line)
        return try scanner.scanAll().first
    }

    private struct Scanner {
        let characters: [Character]
        let file: String
        /// Source text of each physical line, for error displays.
        let physicalLines: [String]
        var index = 0
        var line: Int
        var column = 1

        init(text: String, file: String, firstLine: Int = 1) {
            let normalized = text.utf8.contains(UInt8(ascii: "\r")) ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
            characters = Array(normalized)
            self.file = file
            line = firstLine
            physicalLines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            self.firstLine = firstLine
        }

        let firstLine: Int

        var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

        func sourceLine(_ number: Int) -> String {
            let index = number - firstLine
            return physicalLines.indices.contains(index) ? physicalLines[index] : ""
        }

        mutating func advance() {
            if characters[index] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }

        func peek(_ offset: Int = 0) -> Character? {
            index + offset < characters.count ? characters[index + offset] : nil
        }

        func error(_ message: String, at location: SourceLocation) -> ShellError {
            .syntax(message, location, sourceLine: sourceLine(location.line))
        }

        mutating func scanAll() throws(ShellError) -> [ScriptLine] {
            var lines: [ScriptLine] = []
            while index < characters.count {
                if let scanned = try scanCommand() { lines.append(scanned) }
            }
            return lines
        }

        /// One logical line: words up to an unescaped newline or the end.
        mutating func scanCommand() throws(ShellError) -> ScriptLine? {
            let startLine = line
            var words: [Word] = []
            var start: SourceLocation?
            while index < characters.count {
                let character = characters[index]
                if character == "\n" {
                    advance()
                    break
                }
                if character == " " || character == "\t" {
                    advance()
                    continue
                }
                if character == "\\", peek(1) == "\n" {
                    advance()
                    advance()
                    continue
                }
                if character == "\\", peek(1) == "\r", peek(2) == "\n" {
                    advance(); advance(); advance()
                    continue
                }
                if character == "#" {
                    while index < characters.count, characters[index] != "\n" { advance() }
                    continue
                }
                if start == nil { start = location }
                words.append(try scanWord())
            }
            guard let start, !words.isEmpty else { return nil }
            let text = (startLine...max(startLine, line - 1)).map(sourceLine).joined(separator: "\n")
            return ScriptLine(words: words, location: start, text: text)
        }

        mutating func scanWord() throws(ShellError) -> Word {
            let start = location
            let startIndex = index
            var parts: [Word.Part] = []
            var literal = ""
            var quotedPieces = 0
            var unquotedPieces = 0
            func flush() {
                if !literal.isEmpty {
                    parts.append(.literal(literal))
                    literal = ""
                }
            }
            while index < characters.count {
                let character = characters[index]
                if character == " " || character == "\t" || character == "\n" { break }
                if character == "\\", peek(1) == "\n" { break }
                switch character {
                case "\"":
                    quotedPieces += 1
                    let quoteStart = location
                    advance()
                    while true {
                        guard let next = peek(), next != "\n" else {
                            throw error("unterminated double quote", at: quoteStart)
                        }
                        if next == "\"" {
                            advance()
                            break
                        }
                        if next == "\\" {
                            let escapeStart = location
                            advance()
                            guard let escaped = peek(), escaped != "\n" else {
                                throw error("unterminated double quote", at: quoteStart)
                            }
                            switch escaped {
                            case "\"", "\\", "$", "'": literal.append(escaped)
                            case "n": literal.append("\n")
                            case "t": literal.append("\t")
                            case "r": literal.append("\r")
                            default: throw error("unknown escape '\\\(escaped)' in double quotes", at: escapeStart)
                            }
                            advance()
                            continue
                        }
                        if next == "$", peek(1) == "{" {
                            flush()
                            parts.append(try scanVariable())
                            continue
                        }
                        literal.append(next)
                        advance()
                    }
                case "'":
                    quotedPieces += 1
                    let quoteStart = location
                    advance()
                    while true {
                        guard let next = peek(), next != "\n" else {
                            throw error("unterminated single quote", at: quoteStart)
                        }
                        if next == "'" {
                            advance()
                            break
                        }
                        if next == "\\", let escaped = peek(1), escaped == "'" || escaped == "\\" {
                            literal.append(escaped)
                            advance()
                            advance()
                            continue
                        }
                        literal.append(next)
                        advance()
                    }
                case "\\":
                    unquotedPieces += 1
                    advance()
                    if let escaped = peek(), escaped != "\n" {
                        literal.append(escaped)
                        advance()
                    }
                case "$" where peek(1) == "{":
                    unquotedPieces += 1
                    flush()
                    parts.append(try scanVariable())
                default:
                    unquotedPieces += 1
                    literal.append(character)
                    advance()
                }
            }
            flush()
            let source = String(characters[startIndex..<index])
            return Word(parts: parts.isEmpty ? [.literal("")] : parts, location: start, source: source,
                        isQuoted: quotedPieces > 0 && unquotedPieces == 0)
        }

        /// `${name}` or `${env.NAME}`, the cursor on `$`.
        mutating func scanVariable() throws(ShellError) -> Word.Part {
            let start = location
            advance()
            advance()
            var name = ""
            while let next = peek(), next != "}" {
                guard next != "\n", next != " ", next != "\"", next != "'" else {
                    throw error("unterminated ${…}: expected '}'", at: start)
                }
                name.append(next)
                advance()
            }
            guard peek() == "}" else { throw error("unterminated ${…}: expected '}'", at: start) }
            advance()
            guard Variables.isValidReference(name) else {
                throw error(name.isEmpty ? "empty variable name in ${}" : "invalid variable name '\(name)'", at: start)
            }
            return .variable(name, start)
        }
    }
}

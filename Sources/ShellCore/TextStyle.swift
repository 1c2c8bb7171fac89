import Foundation

/// Colour for a terminal, plain text for everything else. Whoever writes decides once, from
/// ``TextStyle/forStandardOutput()``; commands only say what a piece of text is.
public struct TextStyle: Sendable {
    public let color: Bool
    /// The width to fit tables and help into; nil for no limit (a pipe, a file).
    public let columns: Int?

    public init(color: Bool, columns: Int? = nil) {
        self.color = color
        self.columns = columns
    }

    /// Colour only when standard output is a terminal and `NO_COLOR` is not set; the
    /// terminal's width when it is one. (A run in-process says whether its output is one.)
    public static func forStandardOutput(
        environment: [String: String] = ProcessEnvironment.variables, isTerminal: Bool = isatty(STDOUT_FILENO) == 1
    ) -> TextStyle {
        TextStyle(color: isTerminal && (environment["NO_COLOR"] ?? "").isEmpty, columns: isTerminal ? Terminal.outputColumns : nil)
    }

    public static let plain = TextStyle(color: false)

    /// Styles are marks, not escape sequences: the writer turns them into colour (see
    /// ``Terminal/display(_:)``), and escapes every control character it meets, so that no text
    /// from a server can send one to the terminal, whether or not it was made safe first.
    private func paint(_ text: String, _ mark: Terminal.Mark) -> String {
        color && !text.isEmpty ? "\(mark.character)\(text)\(Terminal.Mark.reset.character)" : text
    }

    public func bold(_ text: String) -> String { paint(text, .bold) }
    public func dim(_ text: String) -> String { paint(text, .dim) }
    public func error(_ text: String) -> String { paint(text, .red) }
    public func success(_ text: String) -> String { paint(text, .green) }
    public func warning(_ text: String) -> String { paint(text, .yellow) }
    public func accent(_ text: String) -> String { paint(text, .cyan) }

    /// Green for 2xx, yellow for 3xx and 4xx, red for 5xx and failures.
    public func status(_ code: Int, _ text: String) -> String {
        switch code {
        case 200..<300: success(text)
        case 300..<500: warning(text)
        default: error(text)
        }
    }
}

/// Making text from the outside world safe to print: the one function every byte from a file
/// or a server goes through before it reaches a terminal, a report or a log.
public enum Terminal {
    /// Control characters (C0, DEL, C1, and so escape sequences), the bidirectional controls
    /// that reorder what is shown (U+202E and its kin), and style marks, escaped as visible text
    /// (`\u{1B}`), so that a server's answer cannot move the cursor, change colours, retitle the
    /// window, set the clipboard or disguise what it says.
    public static func safe(_ text: String, keepingNewlines: Bool = false) -> String {
        // Pretty-printed bodies are full of newlines that stay as they are: only a character
        // that would change sends the text through the (slower) rebuilding loop below.
        guard mayHoldHostile(text, keepingNewlines: keepingNewlines), text.unicodeScalars.contains(where: {
            mustBeEscaped($0) && !(keepingNewlines && isLineBreak($0))
        }) else {
            return text
        }
        var output = ""
        for scalar in text.unicodeScalars {
            if mustBeEscaped(scalar) {
                switch scalar {
                case "\n": output += keepingNewlines ? "\n" : "\\n"
                case "\t": output += keepingNewlines ? "\t" : "\\t"
                default: output += escaped(scalar)
                }
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// Text as it is written to standard output or standard error: every hostile character
    /// escaped (line breaks and tabs kept), and the style marks of ``TextStyle`` turned into
    /// colour sequences. Text a caller forgot to make safe cannot reach the terminal raw.
    public static func display(_ text: String) -> String {
        guard mayHoldHostile(text, keepingNewlines: true) else { return text }
        var output = ""
        for scalar in text.unicodeScalars {
            if let mark = Mark(rawValue: scalar.value) {
                output += "\u{1B}[\(mark.code)m"
            } else if isHostile(scalar), !isLineBreak(scalar) {
                output += escaped(scalar)
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// The styles ``TextStyle`` marks text with: Unicode noncharacters, which no text from
    /// outside may hold (``safe(_:keepingNewlines:)`` escapes them).
    public enum Mark: UInt32, CaseIterable, Sendable {
        case reset = 0xFDD0, bold, dim, red, green, yellow, cyan

        public var character: Character { Character(Unicode.Scalar(rawValue)!) }

        /// The SGR parameter.
        var code: String {
            switch self {
            case .reset: "0"
            case .bold: "1"
            case .dim: "2"
            case .red: "31"
            case .green: "32"
            case .yellow: "33"
            case .cyan: "36"
            }
        }
    }

    /// What ``safe(_:keepingNewlines:)`` escapes: a hostile character, or one of the style
    /// marks only nexsh may write. Writers of other formats (shell words, Hurl) ask this too.
    public static func mustBeEscaped(_ scalar: Unicode.Scalar) -> Bool {
        isHostile(scalar) || Mark(rawValue: scalar.value) != nil
    }

    /// A character that must never reach a terminal or a report as it is.
    public static func isHostile(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x061C || value == 0x200E || value == 0x200F
            || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }

    private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\n" || scalar == "\t"
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        scalar == "\r" ? "\\r" : String(format: "\\u{%02X}", scalar.value)
    }

    /// A byte scan that clears almost every text at once: hostile characters and marks are
    /// all below 0x20, 0x7F, or start with one of four lead bytes in UTF-8.
    private static func mayHoldHostile(_ text: String, keepingNewlines: Bool) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes {
                if byte < 0x20 {
                    if !(keepingNewlines && (byte == 0x0A || byte == 0x09)) { return true }
                } else if byte == 0x7F || byte == 0xC2 || byte == 0xD8 || byte == 0xE2 || byte == 0xEF {
                    return true
                }
            }
            return false
        }
    }

    /// Columns of the terminal standard output is on, or nil when it is not a terminal.
    public static var outputColumns: Int? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return ProcessEnvironment.variables["COLUMNS"].flatMap(Int.init) ?? 100
    }

    /// Display width of text, counting East Asian wide characters and emoji as two columns.
    public static func width(_ text: String) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    private static func width(of character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first, Mark(rawValue: scalar.value) == nil else { return 0 }
        let value = scalar.value
        let wide = (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value)
            || (0xAC00...0xD7A3).contains(value) || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value)
            || (0xFF00...0xFF60).contains(value) || (0xFFE0...0xFFE6).contains(value) || (0x1F300...0x1FAFF).contains(value)
            || (0x20000...0x3FFFD).contains(value)
        return wide ? 2 : 1
    }

    /// `text` cut to `width` columns, its last one an ellipsis when anything was cut.
    public static func truncated(_ text: String, toWidth width: Int) -> String {
        guard Self.width(text) > width else { return text }
        guard width > 1 else { return width == 1 ? "…" : "" }
        var kept = ""
        var used = 0
        for character in text {
            let next = Self.width(of: character)
            guard used + next <= width - 1 else { break }
            kept.append(character)
            used += next
        }
        return kept + "…"
    }

    /// `text` broken into lines of at most `width` columns at spaces (a word longer than a line
    /// keeps a line of its own); lines after the first start with `indent`. Existing line breaks
    /// stay. Without a width, the text as it is.
    public static func wrapped(_ text: String, width: Int?, indent: String = "") -> String {
        guard let width, width > Self.width(indent) + 10 else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { paragraph -> String in
            // A paragraph's own indentation stays; breaks happen between its words.
            let leading = String(paragraph.prefix { $0 == " " })
            var lines: [String] = []
            var line = leading
            var hasWord = false
            for word in paragraph.dropFirst(leading.count).split(separator: " ", omittingEmptySubsequences: false) {
                let candidate = hasWord ? line + " " + word : line + word
                if hasWord, Self.width(candidate) > width {
                    lines.append(line)
                    line = indent + word
                } else {
                    line = candidate
                }
                hasWord = true
            }
            lines.append(line)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}

/// A plain text table: a header row and aligned columns, cells made safe to print.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public var headers: [String]
    public var alignments: [Alignment]
    public var rows: [[String]] = []
    /// The column that gives way first when the table is too wide, down to
    /// ``yieldingColumnMinimum`` (a summary beside the paths it describes); then the widest.
    public var yieldingColumn: Int?
    static let yieldingColumnMinimum = 12

    public init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
    }

    public mutating func add(_ row: [String]) {
        rows.append(row.map { Terminal.safe($0) })
    }

    /// Lines without trailing spaces; `decorate` styles a cell after padding (colours do not
    /// count towards width). Within `style.columns`, when set: the ``yieldingColumn``, then the
    /// widest column, gives up columns until the table fits, and its cells end in `…`.
    public func render(style: TextStyle, indent: String = "", decorate: (Int, Int, String) -> String = { _, _, text in text }) -> [String] {
        let columns = headers.count
        var widths = headers.map { Terminal.width($0) }
        for row in rows {
            for column in 0..<min(columns, row.count) { widths[column] = max(widths[column], Terminal.width(row[column])) }
        }
        if let available = style.columns {
            let separators = Terminal.width(indent) + 2 * max(0, columns - 1)
            while widths.reduce(separators, +) > available {
                if let yielding = yieldingColumn, widths.indices.contains(yielding), widths[yielding] > Self.yieldingColumnMinimum {
                    widths[yielding] -= 1
                } else if let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 3 {
                    widths[widest] -= 1
                } else {
                    break
                }
            }
        }
        func line(_ cells: [String], rowIndex: Int?) -> String {
            var parts: [String] = []
            for column in 0..<columns {
                let cell = Terminal.truncated(column < cells.count ? cells[column] : "", toWidth: widths[column])
                let padding = String(repeating: " ", count: widths[column] - Terminal.width(cell))
                let aligned = alignments[column] == .right ? padding + cell : (column == columns - 1 ? cell : cell + padding)
                parts.append(rowIndex.map { decorate($0, column, aligned) } ?? style.dim(aligned))
            }
            var text = indent + parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        return [line(headers, rowIndex: nil)] + rows.enumerated().map { line($0.element, rowIndex: $0.offset) }
    }
}

import Foundation

/// Colour for a terminal, plain text for everything else. Whoever writes decides once, from
/// ``TextStyle/forStandardOutput()``; commands only say what a piece of text is.
public struct TextStyle: Sendable {
    public let color: Bool

    public init(color: Bool) {
        self.color = color
    }

    /// Colour only when standard output is a terminal and `NO_COLOR` is not set.
    public static func forStandardOutput(environment: [String: String] = ProcessInfo.processInfo.environment) -> TextStyle {
        TextStyle(color: isatty(STDOUT_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty)
    }

    public static let plain = TextStyle(color: false)

    private func paint(_ text: String, _ code: String) -> String {
        color && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    public func bold(_ text: String) -> String { paint(text, "1") }
    public func dim(_ text: String) -> String { paint(text, "2") }
    public func error(_ text: String) -> String { paint(text, "31") }
    public func success(_ text: String) -> String { paint(text, "32") }
    public func warning(_ text: String) -> String { paint(text, "33") }
    public func accent(_ text: String) -> String { paint(text, "36") }

    /// Green for 2xx, yellow for 3xx and 4xx, red for 5xx and failures.
    public func status(_ code: Int, _ text: String) -> String {
        switch code {
        case 200..<300: success(text)
        case 300..<500: warning(text)
        default: error(text)
        }
    }
}

/// Making text from the outside world safe to print.
public enum Terminal {
    /// Control characters (C0, DEL, C1, and so escape sequences) escaped, so that a server's
    /// answer cannot move the cursor, change colours or retitle the window.
    public static func safe(_ text: String, keepingNewlines: Bool = false) -> String {
        // Pretty-printed bodies are full of newlines that stay as they are: only a character
        // that would change sends the text through the (slower) rebuilding loop below.
        guard text.unicodeScalars.contains(where: { isControl($0) && !(keepingNewlines && ($0 == "\n" || $0 == "\t")) }) else {
            return text
        }
        var output = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                switch scalar {
                case "\n": output += keepingNewlines ? "\n" : "\\n"
                case "\t": output += keepingNewlines ? "\t" : "\\t"
                case "\r": output += "\\r"
                default: output += String(format: "\\u{%02X}", scalar.value)
                }
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Columns of the terminal standard output is on, or nil when it is not a terminal.
    public static var outputColumns: Int? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 100
    }

    /// Display width of text, counting East Asian wide characters and emoji as two columns.
    public static func width(_ text: String) -> Int {
        text.reduce(0) { total, character in
            guard let scalar = character.unicodeScalars.first else { return total }
            let value = scalar.value
            let wide = (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value)
                || (0xAC00...0xD7A3).contains(value) || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value)
                || (0xFF00...0xFF60).contains(value) || (0xFFE0...0xFFE6).contains(value) || (0x1F300...0x1FAFF).contains(value)
                || (0x20000...0x3FFFD).contains(value)
            return total + (wide ? 2 : 1)
        }
    }
}

/// A plain text table: a header row and aligned columns, cells made safe to print.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public var headers: [String]
    public var alignments: [Alignment]
    public var rows: [[String]] = []

    public init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
    }

    public mutating func add(_ row: [String]) {
        rows.append(row.map { Terminal.safe($0) })
    }

    /// Lines without trailing spaces; `decorate` styles a cell after padding (colours do not
    /// count towards width).
    public func render(style: TextStyle, indent: String = "", decorate: (Int, Int, String) -> String = { _, _, text in text }) -> [String] {
        let columns = headers.count
        var widths = headers.map { Terminal.width($0) }
        for row in rows {
            for column in 0..<min(columns, row.count) { widths[column] = max(widths[column], Terminal.width(row[column])) }
        }
        func line(_ cells: [String], rowIndex: Int?) -> String {
            var parts: [String] = []
            for column in 0..<columns {
                let cell = column < cells.count ? cells[column] : ""
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

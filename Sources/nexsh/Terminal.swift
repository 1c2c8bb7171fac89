import Foundation

/// What standard output is connected to, and how to write for it: colours only on a terminal
/// and never with `NO_COLOR`, and no control characters from recorded data.
enum Terminal {
    static var outputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    static var colorsEnabled: Bool {
        outputIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
    }

    /// Columns of the terminal, or nil when output is not a terminal.
    static var width: Int? {
        guard outputIsTerminal else { return nil }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 100
    }

    enum Color: String {
        case green = "32"
        case yellow = "33"
        case red = "31"
        case dim = "2"
        case bold = "1"
    }

    static func paint(_ text: String, _ color: Color) -> String {
        colorsEnabled ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// Green for 2xx, yellow for 3xx and 4xx, red for 5xx.
    static func status(_ code: Int, _ text: String) -> String {
        switch code {
        case 200..<300: paint(text, .green)
        case 300..<500: paint(text, .yellow)
        default: paint(text, .red)
        }
    }

    /// Control characters escaped, so that data from a server cannot drive the terminal.
    static func safe(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                output += scalar == "\n" ? "\\n" : scalar == "\t" ? "\\t" : String(format: "\\x%02X", scalar.value)
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}

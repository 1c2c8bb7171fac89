import ArgumentParser
import Foundation
import HTTPCassette
import JSONValues
import ShellCore

struct CassetteInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List a cassette's exchanges: method, request, status, body size and time."
    )

    @Argument(help: "The HAR file.")
    var file: String

    func run() throws {
        Self.list(try failOnBadInput("inspect") { try Cassette.load(from: TypedPath.fileURL(file)) }, file: file)
    }

    /// The table of exchanges (`nexsh bundle show` prints it too).
    static func list(_ cassette: Cassette, file: String) {
        let log = cassette.log
        let creator = [log.creator.name, log.creator.version].filter { !$0.isEmpty }.joined(separator: " ")
        let style = AppEnvironment.current.outputStyle
        Console.output("\(Terminal.safe(file)): HAR \(Terminal.safe(log.version)) by \(Terminal.safe(creator)), \(entriesText(cassette.entries.count))")
        guard !cassette.entries.isEmpty else { return }

        let rows = cassette.entries.enumerated().map { index, entry -> [String] in
            [
                "\(index + 1)", Terminal.safe(entry.request.method), Terminal.safe(entry.request.target),
                "\(entry.response.status) \(Terminal.safe(entry.response.statusText))".trimmingCharacters(in: .whitespaces),
                Self.size(entry.response.content.size), Self.milliseconds(entry.time),
            ]
        }
        let headers = ["#", "METHOD", "REQUEST", "STATUS", "SIZE", "TIME"]
        var widths = headers.indices.map { column in max(headers[column].count, rows.map { $0[column].count }.max() ?? 0) }
        if let width = style.columns {
            // Shorten the request column to fit the terminal; full text when piped.
            let others = widths.enumerated().filter { $0.offset != 2 }.map(\.element).reduce(0, +) + 2 * (headers.count - 1)
            widths[2] = max(20, min(widths[2], width - others))
        }
        func line(_ cells: [String], status: Int? = nil) -> String {
            cells.enumerated().map { column, cell in
                let fitted = cell.count > widths[column] ? String(cell.prefix(widths[column] - 1)) + "…" : cell
                let padded = column == 0 || column >= 4
                    ? String(repeating: " ", count: widths[column] - fitted.count) + fitted
                    : fitted + String(repeating: " ", count: widths[column] - fitted.count)
                return column == 3 && status != nil ? style.status(status!, padded) : padded
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        Console.output(style.dim(line(headers)))
        for (row, entry) in zip(rows, cassette.entries) {
            Console.output(line(row, status: entry.response.status))
        }
    }

    static func size(_ bytes: Int) -> String {
        switch bytes {
        case ..<1024: "\(max(bytes, 0)) B"
        case ..<(1024 * 1024): String(format: "%.1f KiB", Double(bytes) / 1024)
        default: String(format: "%.1f MiB", Double(bytes) / 1_048_576)
        }
    }

    static func milliseconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.1f ms", value) : String(format: "%.0f ms", value)
    }
}

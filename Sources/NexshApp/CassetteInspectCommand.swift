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
        // An entry at a time, keeping its row: a 200 MB cassette is neither held nor decoded whole.
        let (log, rows) = try failOnBadInput("inspect") { try Cassette.load(from: TypedPath.fileURL(file), keeping: Row.init) }
        Self.list(log: log, rows: rows, file: file)
    }

    /// What the table shows of an entry.
    struct Row {
        let method: String
        let target: String
        let status: Int
        let statusText: String
        let size: Int
        let time: Double

        init(_ entry: HAR.Entry) {
            method = entry.request.method
            target = entry.request.target
            status = entry.response.status
            statusText = entry.response.statusText
            size = entry.response.content.size
            time = entry.time
        }
    }

    /// The table of a cassette's exchanges (`nexsh bundle show` prints it too).
    static func list(_ cassette: Cassette, file: String) {
        list(log: cassette.log, rows: cassette.entries.map(Row.init), file: file)
    }

    private static func list(log: HAR.Log, rows entries: [Row], file: String) {
        let creator = [log.creator.name, log.creator.version].filter { !$0.isEmpty }.joined(separator: " ")
        let style = AppEnvironment.current.outputStyle
        Console.output("\(Terminal.safe(file)): HAR \(Terminal.safe(log.version)) by \(Terminal.safe(creator)), \(entriesText(entries.count))")
        guard !entries.isEmpty else { return }

        let rows = entries.enumerated().map { index, entry -> [String] in
            [
                "\(index + 1)", Terminal.safe(entry.method), Terminal.safe(entry.target),
                "\(entry.status) \(Terminal.safe(entry.statusText))".trimmingCharacters(in: .whitespaces),
                Self.size(entry.size), Self.milliseconds(entry.time),
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
            var text = cells.enumerated().map { column, cell in
                let fitted = cell.count > widths[column] ? String(cell.prefix(widths[column] - 1)) + "…" : cell
                let padded = column == 0 || column >= 4
                    ? String(repeating: " ", count: widths[column] - fitted.count) + fitted
                    : fitted + String(repeating: " ", count: widths[column] - fitted.count)
                return column == 3 && status != nil ? style.status(status!, padded) : padded
            }.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        Console.output(style.dim(line(headers)))
        for (row, entry) in zip(rows, entries) {
            Console.output(line(row, status: entry.status))
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

import ArgumentParser
import CassetteTools
import Foundation
import HTTPCassette
import JSONValues
import ShellCore

struct CassetteDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two cassettes entry by entry, by meaning: statuses, headers, JSON values.",
        discussion: """
            Dates, timings, hosts and volatile headers (Date, ETag, Content-Length, request ids…) \
            are ignored. Exit status 1 when the cassettes differ.
            """
    )

    @Argument(help: "The first HAR file (before).")
    var first: String

    @Argument(help: "The second HAR file (after).")
    var second: String

    @Option(name: .customLong("ignore-header"), help: ArgumentHelp("Also ignore this header.", valueName: "name"))
    var ignoredHeaders: [String] = []

    @Option(name: .customLong("compare-header"), help: ArgumentHelp("Compare this header although it is volatile.", valueName: "name"))
    var comparedHeaders: [String] = []

    @Flag(help: "Compare scheme, host and port too.")
    var compareHost = false

    func run() throws {
        let left = try failOnBadInput("diff") { try Cassette.load(from: TypedPath.fileURL(first)) }
        let right = try failOnBadInput("diff") { try Cassette.load(from: TypedPath.fileURL(second)) }
        let ignored = CassetteDiff.Options.volatileHeaders
            .union(ignoredHeaders.map { $0.lowercased() })
            .subtracting(comparedHeaders.map { $0.lowercased() })
        let options = CassetteDiff.Options(ignoredHeaders: ignored, compareHost: compareHost)
        let comparison = CassetteDiff.compare(left, right, options: options)
        let (differences, total) = (comparison.differences, comparison.alignedEntries)
        guard !differences.isEmpty else {
            Console.output("\(Terminal.safe(first)) and \(Terminal.safe(second)) are identical (\(entriesText(total)); dates, timings and volatile headers ignored)")
            return
        }
        for difference in differences {
            Console.output(AppEnvironment.current.outputStyle.bold("#\(difference.number) \(Terminal.safe(difference.request))"))
            for line in difference.lines {
                let named = line
                    .replacingOccurrences(of: "only in the first cassette", with: "only in \(first)")
                    .replacingOccurrences(of: "only in the second cassette", with: "only in \(second)")
                Console.output("    " + Terminal.safe(named))
            }
        }
        Console.output("\(differences.count) of \(total) entries differ")
        throw ExitCode(1)
    }
}

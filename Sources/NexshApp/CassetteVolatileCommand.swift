import ArgumentParser
import Foundation
import HTTPCassette
import JSONValues
import ShellCore

struct CassetteVolatileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volatile",
        abstract: "List, add or remove the JSON paths that drift checks (run --mode verify) leave out.",
        discussion: """
            Ids, dates and tokens change from answer to answer. Paths such as .Profiles[*].UpdatedOn \
            ([*]: any element or member; a path covers all below it) are kept in the cassette's \
            log._volatile, so that re-recording the cassette keeps them.
            """
    )

    @Argument(help: "The HAR file.")
    var file: String

    @Option(help: ArgumentHelp("A JSON path to leave out (repeatable).", valueName: "path"))
    var add: [String] = []

    @Option(help: ArgumentHelp("A JSON path to check again (repeatable).", valueName: "path"))
    var remove: [String] = []

    func run() throws {
        let url = TypedPath.fileURL(file)
        var cassette = try failOnBadInput("volatile") { try Cassette.load(from: url) }
        var paths = VolatilePaths(log: cassette.log)
        if !add.isEmpty || !remove.isEmpty {
            paths.add(try add.map(Self.path))
            paths.remove(try remove.map(Self.path))
            cassette.log.extensions[VolatilePaths.logField] = paths.isEmpty ? nil : paths.json
            try failOnBadInput("volatile") { try cassette.write(to: url) }
        }
        guard !paths.isEmpty else {
            Console.output("\(Terminal.safe(file)): no volatile paths; drift checks compare every value")
            return
        }
        Console.output("\(Terminal.safe(file)): drift checks leave out")
        for path in paths.paths { Console.output("  \(Terminal.safe(path.text))") }
    }

    private static func path(_ text: String) throws -> JSONPath {
        do {
            return try JSONPath(text)
        } catch {
            throw ValidationError("'\(text)' is not a JSON path: \(error)")
        }
    }
}

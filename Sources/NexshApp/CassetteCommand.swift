import ArgumentParser
import Foundation
import HTTPCassette
import JSONValues
import ShellCore

struct CassetteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cassette",
        abstract: "Inspect, check, compare, import, redact, anonymize, export and re-record HAR cassettes; set what drift checks leave out.",
        discussion: """
            Exit status: 0 when all is well, 1 when verify finds a problem or diff finds a \
            difference, 2 when a file cannot be read as a cassette.
            """,
        subcommands: [
            CassetteInspectCommand.self, CassetteVerifyCommand.self, CassetteDiffCommand.self,
            CassetteImportCommand.self, CassetteRedactCommand.self, CassetteAnonymizeCommand.self, CassetteVolatileCommand.self,
            CassetteExportCommand.self, CassetteRerecordCommand.self,
        ]
    )
}

/// Redaction rules added on the command line to the standard ones.
struct RedactionOptions: ParsableArguments {
    @Option(name: .customLong("redact-header"), help: ArgumentHelp("Also redact this header.", valueName: "name"))
    var headers: [String] = []

    @Option(name: .customLong("redact-field"), help: ArgumentHelp("Also redact this form field.", valueName: "name"))
    var formFields: [String] = []

    @Option(name: .customLong("redact-query"), help: ArgumentHelp("Also redact this query parameter.", valueName: "name"))
    var queryParameters: [String] = []

    @Option(name: .customLong("redact-json"), help: ArgumentHelp("Also redact the values at this JSON path (User.AccessToken).", valueName: "path"))
    var jsonPaths: [String] = []

    @Option(
        name: .customLong("redact-pattern"),
        help: ArgumentHelp("Also redact what this regular expression matches (its first group, if it has one).", valueName: "name=regex")
    )
    var patterns: [String] = []

    func validate() throws {
        _ = try rules()
    }

    func rules() throws -> RedactionRules {
        let paths = try jsonPaths.map { text in
            do {
                return try JSONPath(text)
            } catch {
                throw ValidationError("--redact-json '\(text)': \(error)")
            }
        }
        let compiled = try patterns.map { text -> RedactionRules.Pattern in
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--redact-pattern '\(text)': expected NAME=REGEX")
            }
            do {
                return try RedactionRules.Pattern(name: parts[0], expression: parts[1])
            } catch {
                throw ValidationError("--redact-pattern '\(text)': not a valid regular expression")
            }
        }
        return RedactionRules.standard.adding(RedactionRules(
            headers: headers, formFields: formFields, queryParameters: queryParameters, jsonPaths: paths, patterns: compiled
        ))
    }
}

/// Reports a cassette error the way every cassette tool does: one line, exit status 2 (what a
/// cassette error means).
func failOnBadInput<Result>(_ command: String, _ body: () throws -> Result) throws -> Result {
    do {
        return try body()
    } catch let error as CassetteError {
        let failure = Console.failure("cassette \(command)", error)
        if case .notJSON = error, command != "import" {
            Console.error("(a VCR, vcrpy, go-vcr or Betamax cassette converts to HAR with 'nexsh cassette import')")
        }
        throw failure
    }
}

/// `1 entry`, `5 entries`.
func entriesText(_ count: Int) -> String {
    "\(count) \(count == 1 ? "entry" : "entries")"
}

/// How many entries hold at least one redacted value.
func redactedEntryCount(_ cassette: Cassette) -> Int {
    cassette.entries.filter { entry in
        let text = entry.json.serialized()
        return text.contains("<redacted:") || text.contains("%3Credacted%3A")
    }.count
}

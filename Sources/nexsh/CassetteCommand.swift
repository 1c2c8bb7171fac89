import ArgumentParser
import Foundation
import HTTPCassette
import JSONValues

struct CassetteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cassette",
        abstract: "Inspect, check, compare, import and redact HAR cassettes.",
        discussion: """
            Exit status: 0 when all is well, 1 when verify finds a problem or diff finds a
            difference, 2 when a file cannot be read as a cassette.
            """,
        subcommands: [
            CassetteInspectCommand.self, CassetteVerifyCommand.self, CassetteDiffCommand.self,
            CassetteImportCommand.self, CassetteRedactCommand.self,
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

/// Reports a cassette error the way every cassette tool does: one line, exit status 2.
func failOnBadInput<Result>(_ command: String, _ body: () throws -> Result) throws -> Result {
    do {
        return try body()
    } catch let error as CassetteError {
        Console.error("nexsh cassette \(command): \(Terminal.safe(error.description))")
        if case .notJSON = error, command != "import" {
            Console.error("(a VCR, vcrpy, go-vcr or Betamax cassette converts to HAR with 'nexsh cassette import')")
        }
        throw ExitCode(2)
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

struct CassetteInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List a cassette's exchanges: method, request, status, body size and time."
    )

    @Argument(help: "The HAR file.")
    var file: String

    func run() throws {
        let cassette = try failOnBadInput("inspect") { try Cassette.load(from: URL(fileURLWithPath: file)) }
        let log = cassette.log
        let creator = [log.creator.name, log.creator.version].filter { !$0.isEmpty }.joined(separator: " ")
        Console.output("\(Terminal.safe(file)): HAR \(Terminal.safe(log.version)) by \(Terminal.safe(creator)), \(entriesText(cassette.entries.count))")
        guard !cassette.entries.isEmpty else { return }

        let rows = cassette.entries.enumerated().map { index, entry -> [String] in
            [
                "\(index + 1)", entry.request.method, Terminal.safe(entry.request.target),
                "\(entry.response.status) \(Terminal.safe(entry.response.statusText))".trimmingCharacters(in: .whitespaces),
                Self.size(entry.response.content.size), Self.milliseconds(entry.time),
            ]
        }
        let headers = ["#", "METHOD", "REQUEST", "STATUS", "SIZE", "TIME"]
        var widths = headers.indices.map { column in max(headers[column].count, rows.map { $0[column].count }.max() ?? 0) }
        if let width = Terminal.width {
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
                return column == 3 && status != nil ? Terminal.status(status!, padded) : padded
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        Console.output(Terminal.paint(line(headers), .dim))
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

struct CassetteVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that a cassette is valid HAR 1.2 and holds no unredacted secret.",
        discussion: "Exit status 1, with each finding, when it is not."
    )

    @Argument(help: "The HAR file.")
    var file: String

    @Option(
        name: .customLong("secret-env"),
        help: ArgumentHelp("Also fail if the value of this environment variable appears anywhere.", valueName: "variable")
    )
    var secretVariables: [String] = []

    func run() throws {
        let (document, cassette) = try failOnBadInput("verify") { try Cassette.read(from: URL(fileURLWithPath: file)) }
        let environment = ProcessInfo.processInfo.environment
        let secrets = secretVariables.compactMap { name in
            environment[name].map { KnownSecret(value: $0, description: "the value of $\(name)") }
        }
        let findings = CassetteVerifier.findings(document: document, cassette: cassette, knownSecrets: secrets)
        guard !findings.isEmpty else {
            Console.output("\(Terminal.safe(file)): valid HAR 1.2, \(entriesText(cassette.entries.count)), no unredacted secrets")
            return
        }
        Console.output("\(Terminal.safe(file)): \(findings.count) \(findings.count == 1 ? "problem" : "problems")")
        for finding in findings {
            Console.output("  " + Terminal.paint(Terminal.safe(finding.location), .bold) + ": " + Terminal.safe(finding.message))
        }
        throw ExitCode(1)
    }
}

struct CassetteDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two cassettes entry by entry, by meaning: statuses, headers, JSON values.",
        discussion: """
            Dates, timings, hosts and volatile headers (Date, ETag, Content-Length, request ids…)
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
        let left = try failOnBadInput("diff") { try Cassette.load(from: URL(fileURLWithPath: first)) }
        let right = try failOnBadInput("diff") { try Cassette.load(from: URL(fileURLWithPath: second)) }
        let ignored = CassetteDiff.Options.volatileHeaders
            .union(ignoredHeaders.map { $0.lowercased() })
            .subtracting(comparedHeaders.map { $0.lowercased() })
        let differences = CassetteDiff.compare(left, right, options: .init(ignoredHeaders: ignored, compareHost: compareHost))
        let total = max(left.entries.count, right.entries.count)
        guard !differences.isEmpty else {
            Console.output("\(Terminal.safe(first)) and \(Terminal.safe(second)) are identical (\(entriesText(total)); dates, timings and volatile headers ignored)")
            return
        }
        for difference in differences {
            Console.output(Terminal.paint("#\(difference.number) \(Terminal.safe(difference.request))", .bold))
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

struct CassetteImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a VCR, vcrpy, go-vcr or Betamax cassette (or another tool's HAR) into a redacted HAR cassette."
    )

    @Argument(help: "The cassette to convert (YAML or JSON).")
    var file: String

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The HAR file to write.", valueName: "out.har"))
    var output: String

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    @OptionGroup var redaction: RedactionOptions

    func run() throws {
        let destination = URL(fileURLWithPath: output)
        if !force, FileManager.default.fileExists(atPath: destination.path) {
            Console.error("nexsh cassette import: \(output) already exists; use --force to replace it")
            throw ExitCode(2)
        }
        let rules = try redaction.rules()
        let result = try failOnBadInput("import") {
            let result = try CassetteImporter.importFile(at: URL(fileURLWithPath: file), redaction: rules)
            try result.cassette.write(to: destination)
            return result
        }
        let count = result.cassette.entries.count
        let redacted = redactedEntryCount(result.cassette)
        Console.output("imported \(count) \(count == 1 ? "exchange" : "exchanges") from the \(result.format.rawValue) cassette "
            + "\(Terminal.safe(file)) into \(Terminal.safe(output))"
            + (redacted > 0 ? " (values redacted in \(redacted) of them)" : ""))
    }
}

struct CassetteRedactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redact",
        abstract: "Apply the redaction rules to an existing cassette, in place.",
        discussion: "The file is replaced in one step: a reader never sees it half written."
    )

    @Argument(help: "The HAR file.")
    var file: String

    @OptionGroup var redaction: RedactionOptions

    func run() throws {
        let url = URL(fileURLWithPath: file)
        let rules = try redaction.rules()
        let cassette = try failOnBadInput("redact") { try Cassette.load(from: url) }
        var redactor = Redactor(rules: rules)
        var redacted = cassette
        redacted.entries = cassette.entries.map { redactor.redact($0) }
        let changed = zip(cassette.entries, redacted.entries).filter { $0 != $1 }.count
        guard changed > 0 else {
            Console.output("\(Terminal.safe(file)): nothing to redact")
            return
        }
        try failOnBadInput("redact") { try redacted.write(to: url) }
        Console.output("\(Terminal.safe(file)): redacted values in \(changed) of \(cassette.entries.count) entries")
    }
}

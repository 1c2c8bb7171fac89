import ArgumentParser
import Bundles
import CassetteTools
import Foundation
import HTTPCassette
import JSONValues
import NexudusCommands
import ShellCore

struct CassetteVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that a cassette is valid HAR 1.2 and holds no unredacted secret.",
        discussion: """
            Exit status 1, with each finding, when it is not. A VCR, vcrpy, go-vcr or Betamax \
            cassette is checked for secrets too, as the HAR it would import to before redaction.
            """
    )

    @Argument(help: "The HAR file (or a VCR-family cassette).")
    var file: String

    @Option(
        name: .customLong("secret-env"),
        help: ArgumentHelp("Also fail if the value of this environment variable appears anywhere.", valueName: "variable")
    )
    var secretVariables: [String] = []

    @OptionGroup var redaction: RedactionOptions

    func run() throws {
        let (document, cassette) = try failOnBadInput("verify") { try Self.read(TypedPath.fileURL(file)) }
        let environment = AppEnvironment.current.variables
        let secrets = secretVariables.compactMap { name in
            environment[name].map { KnownSecret(value: $0, description: "the value of $\(name)", placeholderName: name) }
        }
        let findings = CassetteVerifier.findings(
            document: document, cassette: cassette, rules: try redaction.rules(), knownSecrets: secrets,
            logFields: ReproductionBundle.secretFindings(script: NexudusCommands.secretWords().findings)
        )
        guard !findings.isEmpty else {
            Console.output("\(Terminal.safe(file)): valid HAR 1.2, \(entriesText(cassette.entries.count)), no unredacted secrets")
            return
        }
        Console.output("\(Terminal.safe(file)): \(findings.count) \(findings.count == 1 ? "problem" : "problems")")
        for finding in findings {
            Console.output("  " + AppEnvironment.current.outputStyle.bold(Terminal.safe(finding.location)) + ": " + Terminal.safe(finding.message))
        }
        throw ExitCode(1)
    }

    /// A HAR as it is; another tool's cassette converted with no redaction, so that the
    /// secrets it holds are found rather than hidden by the conversion.
    static func read(_ url: URL) throws(CassetteError) -> (document: JSONValue, cassette: Cassette) {
        do {
            return try Cassette.read(from: url)
        } catch .notJSON(let path, let error) {
            guard let imported = try? CassetteImporter.importFile(at: url, redaction: .none) else { throw .notJSON(path: path, error) }
            return (imported.cassette.log.document, imported.cassette)
        }
    }
}

import ArgumentParser
import Foundation
import HTTPCassette
import JSONValues
import ShellCore

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
            Console.output("  " + TextStyle.forStandardOutput().bold(Terminal.safe(finding.location)) + ": " + Terminal.safe(finding.message))
        }
        throw ExitCode(1)
    }
}

import ArgumentParser
import Bundles
import CassetteTools
import Foundation
import HTTPCassette
import JSONValues
import NexudusCommands
import ShellCore

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
        let destination = TypedPath.fileURL(output)
        try Console.refuseToReplace(output, force: force, command: "cassette import")
        let rules = try redaction.rules()
        let result = try failOnBadInput("import") {
            let result = try CassetteImporter.importFile(at: TypedPath.fileURL(file), redaction: rules)
            var cassette = result.cassette
            // Another nexsh's bundle carries a script: its literal secrets become stand-ins.
            let secrets = NexudusCommands.secretWords()
            ReproductionBundle.rewriteScript(in: &cassette.log, secrets.scrub)
            // What cassette verify would flag is never written.
            if let finding = CassetteVerifier.secretFindings(
                in: cassette, rules: rules, logFields: ReproductionBundle.secretFindings(script: secrets.findings)
            ).first {
                throw CassetteError.secretWouldBeWritten(path: destination.path, what: finding.message, location: finding.location)
            }
            try cassette.write(to: destination)
            return (result.format, cassette)
        }
        let count = result.1.entries.count
        let redacted = redactedEntryCount(result.1)
        Console.output("imported \(count) \(count == 1 ? "exchange" : "exchanges") from the \(result.0.rawValue) cassette "
            + "\(Terminal.safe(file)) into \(Terminal.safe(output))"
            + (redacted > 0 ? " (values redacted in \(redacted) of them)" : ""))
    }
}

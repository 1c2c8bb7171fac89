import ArgumentParser
import Bundles
import Foundation
import HTTPCassette
import JSONValues
import NexudusCommands
import ShellCore

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
        let url = TypedPath.fileURL(file)
        let rules = try redaction.rules()
        let cassette = try failOnBadInput("redact") { try Cassette.load(from: url) }
        var redactor = Redactor(rules: rules)
        var redacted = cassette
        redacted.entries = cassette.entries.map { redactor.redact($0) }
        // A bundle's script and variables, as cassette verify reads them.
        ReproductionBundle.redactFields(of: &redacted.log, redactor: &redactor, script: NexudusCommands.secretWords().scrub)
        let changed = zip(cassette.entries, redacted.entries).filter { $0 != $1 }.count
        let fieldsChanged = redacted.log.extensions != cassette.log.extensions
        guard changed > 0 || fieldsChanged else {
            Console.output("\(Terminal.safe(file)): nothing to redact")
            return
        }
        try failOnBadInput("redact") { try redacted.write(to: url) }
        Console.output("\(Terminal.safe(file)): redacted values in \(changed) of \(cassette.entries.count) entries"
            + (fieldsChanged ? " and in the bundle's script or variables" : ""))
    }
}

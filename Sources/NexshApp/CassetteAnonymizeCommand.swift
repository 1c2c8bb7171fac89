import ArgumentParser
import Bundles
import CassetteTools
import Foundation
import HTTPCassette
import SecureFiles
import ShellCore

struct CassetteAnonymizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anonymize",
        abstract: "Replace the personal data of a cassette (and its script) with consistent pseudonyms.",
        discussion: """
            Emails, names, company names, phones, addresses and the ids of users, profiles, teams \
            and contracts get fakes that stay the same wherever the value appears (URLs, bodies, \
            headers, a bundle's script and variables), so the cassette still replays its script. \
            The fakes are drawn at random for each run and the mapping is never written: the file \
            alone does not lead back to the data. Like 'cassette redact', the file is rewritten in \
            place unless -o names another; a separate script likewise, unless --script-out names \
            another. --check lists what still looks personal and exits 1 if anything does.
            """
    )

    @Argument(help: "The HAR file (a cassette or a bundle).")
    var file: String

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write the anonymized cassette here instead.", valueName: "out.har"))
    var output: String?

    @Option(help: ArgumentHelp("A script that replays the cassette: its literals are mapped the same way.", valueName: "script.nexsh"))
    var script: String?

    @Option(help: ArgumentHelp("Write the anonymized script here instead of over --script.", valueName: "out.nexsh"))
    var scriptOut: String?

    @Option(
        name: .customLong("field"),
        help: ArgumentHelp("Also treat the values at this JSON path as personal (kind: email, name, company, phone, address, postcode, city, text, id).", valueName: "path[=kind]")
    )
    var fieldRules: [String] = []

    @Flag(help: "Replace the output files if they exist.")
    var force = false

    @Flag(help: "Change nothing: list what still looks personal, and exit 1 if anything does.")
    var check = false

    func validate() throws {
        _ = try fields()
        if scriptOut != nil, script == nil { throw ValidationError("--script-out needs --script") }
        if check, output != nil || scriptOut != nil { throw ValidationError("--check writes nothing: leave out -o and --script-out") }
    }

    private func fields() throws -> PersonalFields {
        PersonalFields(rules: try fieldRules.map { text in
            do {
                return try PersonalFields.Rule(text)
            } catch {
                throw ValidationError("--field '\(text)': \(error)")
            }
        })
    }

    func run() throws {
        let cassette = try failOnBadInput("anonymize") { try Cassette.load(from: TypedPath.fileURL(file)) }
        let bundle = try failOnBadInput("anonymize") { try ReproductionBundle(log: cassette.log, path: file) }
        let separateScript = try script.map(readScript)
        if check {
            try report(PersonalDataCheck.findings(
                in: cassette, script: [bundle?.script, separateScript].compactMap { $0 }.joined(separator: "\n"),
                variables: bundle?.variables ?? [], fields: try fields()
            ), entries: cassette.entries.count)
            return
        }
        var anonymizer = CassetteAnonymizer(fields: try fields())
        anonymizer.learn(from: cassette)
        for text in [bundle?.script, separateScript].compactMap({ $0 }) + (bundle?.variables.map(\.value) ?? []) {
            anonymizer.learn(text: text)
        }
        var anonymized = cassette
        anonymized.entries = cassette.entries.map { anonymizer.anonymize($0) }
        ReproductionBundle.rewriteScript(in: &anonymized.log) { anonymizer.anonymize(script: $0) }
        ReproductionBundle.rewriteVariables(in: &anonymized.log) { anonymizer.anonymize(variable: $0) }
        let scriptText = separateScript.map { anonymizer.anonymize(script: $0) }

        let destination = output ?? file
        if let output { try Console.refuseToReplace(output, force: force, command: "cassette anonymize") }
        if let scriptOut { try Console.refuseToReplace(scriptOut, force: force, command: "cassette anonymize") }
        try failOnBadInput("anonymize") { try anonymized.write(to: TypedPath.fileURL(destination)) }
        if let scriptText, let script {
            try write(scriptText, to: scriptOut ?? script)
        }
        let changed = zip(cassette.entries, anonymized.entries).filter { $0 != $1 }.count
        Console.output("\(Terminal.safe(destination)): anonymized \(changed) of \(entriesText(cassette.entries.count))"
            + (scriptText != nil ? " and \(Terminal.safe(scriptOut ?? script!))" : ""))
        Console.output("replaced " + Self.figures(anonymizer.pseudonyms))
    }

    /// `2 emails, 3 names, 4 ids (31 places)`.
    static func figures(_ pseudonyms: Pseudonyms) -> String {
        let counts = pseudonyms.replacedValues.sorted { $0.key < $1.key }
        guard !counts.isEmpty else { return "nothing: no personal data found" }
        let plurals: [PersonalKind: String] = [.address: "addresses", .city: "cities", .text: "other values"]
        let kinds = counts.map { "\($0.value) " + ($0.value == 1 ? $0.key.rawValue : plurals[$0.key] ?? $0.key.rawValue + "s") }
        return kinds.joined(separator: ", ") + " (\(pseudonyms.replacements) places)"
    }

    private func report(_ findings: [PersonalDataCheck.Finding], entries: Int) throws {
        for finding in findings {
            Console.output(Terminal.safe(finding.description))
        }
        guard findings.isEmpty else {
            Console.output("\(Terminal.safe(file)): \(findings.count) personal \(findings.count == 1 ? "value remains" : "values remain")")
            throw ExitCode(1)
        }
        Console.output("\(Terminal.safe(file)): no personal data found in \(entriesText(entries))")
    }

    private func readScript(_ path: String) throws -> String {
        do {
            let data = try BoundedRead.contents(of: TypedPath.fileURL(path).path, limit: Script.maximumSize, what: "a script")
            guard let text = String(data: data, encoding: .utf8) else {
                Console.error("nexsh cassette anonymize: \(Terminal.safe(path)) is not UTF-8 text")
                throw ExitCode(2)
            }
            return text
        } catch let error as SecureFileError {
            Console.error("nexsh cassette anonymize: cannot read \(Terminal.safe(path)): \(Terminal.safe(error.reason))")
            throw ExitCode(2)
        }
    }

    private func write(_ text: String, to path: String) throws {
        do throws(SecureFileError) {
            try AtomicFile.write(Data(text.utf8), to: TypedPath.fileURL(path).path, permissions: .private)
        } catch {
            Console.error("nexsh cassette anonymize: cannot write \(Terminal.safe(path)): \(Terminal.safe(error.reason))")
            throw ExitCode(2)
        }
    }
}

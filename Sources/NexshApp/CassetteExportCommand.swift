import ArgumentParser
import CassetteExport
import Foundation
import HTTPCassette
import NexudusCommands
import SecureFiles
import ShellCore

struct CassetteExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a cassette's exchanges as curl commands or as a Hurl file.",
        discussion: """
            Secrets stay out: the bearer token becomes "$NEXSH_TOKEN" in curl commands and \
            {{token}} in Hurl, other secrets Hurl variables named by their placeholders (the \
            file's first lines list them); curl commands keep those placeholders.
            """
    )

    enum Format: String, EnumerableFlag {
        case curl, hurl

        static func help(for value: Format) -> ArgumentHelp? {
            switch value {
            case .curl: "One curl command per entry, each after a '# N: METHOD URL → status' line."
            case .hurl: "A Hurl file: each entry's request and an assert on its status."
            }
        }
    }

    @Argument(help: "The HAR file.")
    var file: String

    @Flag var format: Format

    @Option(help: ArgumentHelp("Only this entry (counted from 1, as 'cassette inspect' counts).", valueName: "N"))
    var entry: Int?

    @Option(help: ArgumentHelp("With --hurl: assert on the status alone, or on the JSON body's top-level values too.", valueName: "status|body"))
    var asserts: HurlFile.Asserts?

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func validate() throws {
        if asserts != nil, format != .hurl { throw ValidationError("--asserts goes with --hurl") }
        if let entry, entry < 1 { throw ValidationError("--entry counts from 1") }
    }

    func run() throws {
        let cassette = try failOnBadInput("export") { try Cassette.load(from: TypedPath.fileURL(file)) }
        // The rules cassettes are recorded with, once more: a HAR from elsewhere may hold secrets.
        let redaction = RedactionRules.standard.adding(NexudusSession.redaction)
        let text: String
        do throws(CassetteExport.Failure) {
            text = try render(cassette, redaction: redaction)
        } catch {
            Console.error("nexsh cassette export: \(Terminal.safe(file)): \(Terminal.safe(error.description))")
            throw ExitCode(2)
        }
        guard let output else {
            Console.output(Terminal.safe(text, keepingNewlines: true))
            return
        }
        let destination = TypedPath.fileURL(output).path
        try Console.refuseToReplace(output, force: force, command: "cassette export")
        do throws(SecureFileError) {
            // What the cassette holds besides its secrets (names, e-mail addresses): private, as it is.
            try AtomicFile.write(Data((text + "\n").utf8), to: destination, permissions: .private)
        } catch {
            Console.error("nexsh cassette export: cannot write \(Terminal.safe(destination)): \(Terminal.safe(error.reason))")
            throw ExitCode(2)
        }
        Console.output("exported \(entriesText(entry == nil ? cassette.entries.count : 1)) of \(Terminal.safe(file)) to \(Terminal.safe(output))")
    }

    private func render(_ cassette: Cassette, redaction: RedactionRules) throws(CassetteExport.Failure) -> String {
        switch format {
        case .curl:
            return try CassetteExport.curl(cassette, entry: entry, redaction: redaction)
        case .hurl:
            let entries = try CassetteExport.entries(of: cassette, entry: entry, redaction: redaction)
            return try HurlFile.render(entries, source: (file as NSString).lastPathComponent, asserts: asserts ?? .status)
        }
    }
}

extension HurlFile.Asserts: ExpressibleByArgument {}

import ArgumentParser
import Foundation
import HTTPCassette
import HTTPValues
import NexudusCommands
import Sandbox
import ShellCore

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scripts of nexsh commands: against the sandbox, a server, or a cassette.",
        discussion: """
            The target is the built-in sandbox (a fresh one per script) unless --server or \
            NEXSH_SERVER names another. With --cassette in replay mode no server is contacted. \
            With several scripts, --cassette names a folder: each script gets <folder>/<name>.har. \
            A bundle (nexsh bundle create) is run by its .har file: its own script and cassette, \
            offline; with --mode verify, live against --server and compared with the recording.

            Exit status: 0 when every expectation held, 1 when an expectation or a request failed, \
            2 when a script or cassette could not be read, 3 when the command line is wrong.
            """
    )

    @Argument(help: ArgumentHelp("Script files (.nexsh), bundles (.har), folders of scripts, or - for standard input.", valueName: "script"))
    var scripts: [String]

    @Option(help: "The Nexudus portal to talk to (default: $NEXSH_SERVER, else the built-in sandbox).")
    var server: String?

    @Flag(help: "Use the built-in sandbox even when NEXSH_SERVER is set.")
    var sandbox = false

    @Option(help: ArgumentHelp("A HAR cassette (or, for several scripts, a folder of them).", valueName: "file"))
    var cassette: String?

    @Option(help: ArgumentHelp(
        "replay (default with --cassette), record, once, new, passthrough, or verify (live, each answer compared with the recording).",
        valueName: "mode"
    ))
    var mode: String?

    @Option(name: .customLong("var"), help: ArgumentHelp("Set a variable, as `set` does.", valueName: "name=value"))
    var variables: [String] = []

    @Option(help: ArgumentHelp("Write a report: html:FILE (one self-contained page), junit:FILE or tap:FILE (repeatable).", valueName: "kind:file"))
    var report: [String] = []

    @Flag(help: "Run every line of every script even after a failure.")
    var keepGoing = false

    @Option(help: "Scripts run at once (\(OptionRanges.jobs.help)), each with its own session, sandbox and cassette.", transform: OptionRanges.jobs.parse)
    var jobs = OptionRanges.jobs.standard

    @Option(help: ArgumentHelp("Run only the I-th of N stable slices of the scripts (for CI matrices).", valueName: "I/N"))
    var shard: String?

    @Flag(name: .customLong("allow-repeats"), help: "When a request's recorded answers are used up, replay the last one again.")
    var allowRepeats = false

    @Flag(help: "Fail when a cassette has entries no request asked for.")
    var strict = false

    @OptionGroup(title: "Connection")
    var connection: ConnectionOptions

    @Option(
        name: .customLong("sandbox-port"), help: ArgumentHelp("Port of the built-in sandbox (\(OptionRanges.sandboxPort.help): any free port).", valueName: "port"),
        transform: OptionRanges.sandboxPort.parse
    )
    var sandboxPort = OptionRanges.sandboxPort.standard

    @Option(
        name: .customLong("sandbox-token-ttl"), help: ArgumentHelp("Lifetime of the sandbox's access tokens (\(OptionRanges.tokenTTL.help)).", valueName: "seconds"),
        transform: OptionRanges.tokenTTL.parse
    )
    var sandboxTokenTTL = OptionRanges.tokenTTL.standard

    @Option(name: .customLong("sandbox-revision"), help: ArgumentHelp("The sandbox's data: documented, or revised (to see --mode verify find drift).", valueName: "revision"))
    var sandboxRevision: SandboxRevision = .documented

    func validate() throws {
        guard !scripts.isEmpty else { throw ValidationError("give at least one script") }
        if let mode, RecordMode(rawValue: mode) == nil {
            throw ValidationError("--mode must be replay, record, once, new, passthrough or verify, not '\(mode)'")
        }
        let bundles = scripts.allSatisfy { $0.hasSuffix(".har") }
        if mode != nil, mode != "passthrough", cassette == nil, !bundles {
            throw ValidationError("--mode \(mode!) needs --cassette")
        }
        if let shard, Self.parseShard(shard) == nil {
            throw ValidationError("--shard must be I/N with 1 ≤ I ≤ N, like 2/4, not '\(shard)'")
        }
        for variable in variables where !variable.contains("=") || !Variables.isValidName(String(variable.prefix { $0 != "=" })) {
            throw ValidationError("--var must be name=value, not '\(variable)'")
        }
        for item in report {
            let parts = item.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, ReportFormat(rawValue: String(parts[0])) != nil, !parts[1].isEmpty else {
                throw ValidationError("--report must be html:FILE, junit:FILE or tap:FILE, not '\(item)'")
            }
        }
        if let server, URL(string: server)?.host == nil {
            throw ValidationError("--server must be an http:// or https:// URL, not '\(server)'")
        }
    }

    func run() async throws {
        try await run(from: .runCommand)
    }

    /// Runs the scripts; `origin` says whose options the hints name.
    func run(from origin: ScriptPlan.Origin) async throws {
        connection.warnIfInsecure()
        let plan = try ScriptPlan(self, origin: origin)
        let status = await plan.execute()
        throw ExitCode(status)
    }

    static func parseShard(_ text: String) -> (index: Int, count: Int)? {
        let parts = text.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else { return nil }
        return (parts[0], parts[1])
    }
}

/// The reports `nexsh run --report` writes.
enum ReportFormat: String, Sendable, CaseIterable {
    case html
    case junit
    case tap
}

import ArgumentParser
import Foundation
import HTTPCassette
import Sandbox

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

    @Option(help: "The Nexudus portal to talk to: a URL, or a space name (coolspace: https://coolspace.spaces.nexudus.com). Default: $NEXSH_SERVER, else the built-in sandbox.")
    var server: String?

    @Flag(help: "Use the built-in sandbox even when NEXSH_SERVER is set.")
    var sandbox = false

    @Option(help: ArgumentHelp("A HAR cassette (or, for several scripts, a folder of them).", valueName: "file"))
    var cassette: String?

    @Option(help: ArgumentHelp(
        "replay (default with --cassette), record, once, new, passthrough, or verify (live, each answer compared with the recording).",
        valueName: "mode"
    ))
    var mode: UncheckedArgument<RecordMode>?

    @Option(name: .customLong("var"), help: ArgumentHelp("Set a variable, as `set` does.", valueName: "name=value"))
    var variables: [UncheckedArgument<VariableAssignment>] = []

    @Option(help: ArgumentHelp("Write a report: html:FILE (one self-contained page), junit:FILE or tap:FILE (repeatable).", valueName: "kind:file"))
    var report: [UncheckedArgument<ReportSpec>] = []

    @Option(help: ArgumentHelp(
        "Write which endpoints the scripts requested, with which statuses, and which response fields an expect or capture read, as JSON; a table of it ends the summary.",
        valueName: "file"
    ))
    var coverage: String?

    @Flag(help: "Run every line of every script even after a failure.")
    var keepGoing = false

    @Option(help: "Scripts run at once (\(OptionRanges.jobs.help)), each with its own session, sandbox and cassette.", transform: OptionRanges.jobs.parse)
    var jobs = OptionRanges.jobs.standard

    @Option(help: ArgumentHelp("Run only the I-th of N stable slices of the scripts (for CI matrices).", valueName: "I/N"))
    var shard: UncheckedArgument<Shard>?

    @Flag(name: .customLong("allow-repeats"), help: "When a request's recorded answers are used up, replay the last one again.")
    var allowRepeats = false

    @Flag(help: "Fail when a cassette has entries no request asked for.")
    var strict = false

    @Option(help: ArgumentHelp(
        "Where the ✔/✘ lines, the 'N passed, N failed' line, errors and notes go: stderr (the default, so that standard output holds only what the commands print) or stdout (every line there, in the order it came: the layout of earlier versions).",
        valueName: "stream"
    ))
    var summary: UncheckedArgument<SummaryStream>?

    @Flag(help: "Resume the session saved for the server (login --save), and keep sign-ins there; without it a run neither reads nor writes saved sessions.")
    var session = false

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

    @Option(
        name: .customLong("sandbox-throttle"),
        help: ArgumentHelp("Make the sandbox throttle beyond this many requests per s, min or h (409 with Retry-After, as Nexudus; it documents 120/min).", valueName: "rate"),
        transform: SandboxRate.argument
    )
    var sandboxThrottle: SandboxRate?

    @Option(name: .customLong("sandbox-revision"), help: ArgumentHelp("The sandbox's data: documented, or revised (to see --mode verify find drift).", valueName: "revision"))
    var sandboxRevision: SandboxRevision = .documented

    func validate() throws {
        _ = try runConfiguration()
    }

    func run() async throws {
        throw ExitCode(try await Self.run(try runConfiguration()))
    }

    /// Runs what `configuration` describes and returns the exit status.
    static func run(_ configuration: RunConfiguration) async throws -> Int32 {
        configuration.connection.warnIfInsecure()
        return try await ScriptPlan(configuration).execute()
    }

    /// The run the command line asks for. A usage error for what it cannot be, checked in this
    /// order whatever the order of the words (`validate()` refuses what `run()` would).
    func runConfiguration() throws -> RunConfiguration {
        guard !scripts.isEmpty else { throw ValidationError("give at least one script") }
        let mode = try mode?.checked()
        let bundles = scripts.allSatisfy { $0.hasSuffix(".har") }
        if let mode, mode != .passthrough, cassette == nil, !bundles {
            throw ValidationError("--mode \(mode.rawValue) needs --cassette")
        }
        let shard = try shard?.checked()
        let variables: [VariableAssignment] = try variables.checked()
        let reports: [ReportSpec] = try report.checked()
        let server = try server.map { try RunConfiguration.server($0) }
        var configuration = RunConfiguration(scripts: scripts, connection: connection.settings)
        configuration.server = server
        configuration.usesSandbox = sandbox
        configuration.sandbox = .init(port: sandboxPort, tokenLifetime: sandboxTokenTTL, revision: sandboxRevision, throttle: sandboxThrottle)
        configuration.cassette = cassette
        configuration.mode = mode
        configuration.variables = variables
        configuration.reports = reports
        configuration.coverage = coverage
        configuration.keepGoing = keepGoing
        configuration.jobs = jobs
        configuration.shard = shard
        configuration.allowRepeats = allowRepeats
        configuration.strict = strict
        configuration.usesSavedSession = session
        configuration.summary = try summary?.checked() ?? .standardError
        return configuration
    }
}

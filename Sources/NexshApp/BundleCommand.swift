import ArgumentParser
import Bundles
import CassetteTools
import Foundation
import HTTPCassette
import HTTPValues
import NexudusCommands
import ShellCore

struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Make and read bug reports as one HAR file: the script plus the exchanges it needs.",
        discussion: """
            A bundle is a standard HAR 1.2 file (browsers and HAR tools open it) whose log also \
            carries, in _-prefixed fields, the script, its variables (secret ones redacted), the \
            nexsh version, the server and the match rules. nexsh run BUNDLE.har replays it offline.

            Exit status: 0 when the bundle was written or shown, 1 when it would hold a secret, \
            2 when a script or cassette could not be read (or a bundle to shrink does not fail), \
            3 when the command line is wrong.
            """,
        subcommands: [BundleCreateCommand.self, BundleShowCommand.self, BundleShrinkCommand.self]
    )
}

struct BundleCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Write a bundle: run the script while recording (or take --cassette), then join the two.",
        discussion: """
            Without --cassette the script runs against --server ($NEXSH_SERVER; the built-in \
            sandbox by default) while every exchange is recorded. A script that fails still makes \
            a bundle: reproducing a failure is what a bug report is for.
            """
    )

    @Argument(help: ArgumentHelp("The bundle to write (.har).", valueName: "out.har"))
    var output: String

    @Option(help: ArgumentHelp("The script the bundle carries.", valueName: "file.nexsh"))
    var script: String

    @Option(help: ArgumentHelp("Take the exchanges from this cassette instead of running the script.", valueName: "file.har"))
    var cassette: String?

    @Option(name: .customLong("var"), help: ArgumentHelp("Set a variable, as `set` does (kept in the bundle unless it looks secret).", valueName: "name=value"))
    var variables: [UncheckedArgument<VariableAssignment>] = []

    @OptionGroup var target: RecordingTarget

    @OptionGroup(title: "Connection")
    var connection: ConnectionOptions

    func validate() throws {
        guard output.hasSuffix(".har") else { throw ValidationError("the bundle must be a .har file, not '\(output)'") }
        let _: [VariableAssignment] = try variables.checked()
        if cassette != nil, target.server != nil || target.sandbox {
            throw ValidationError("--cassette takes the exchanges from a file: --server and --sandbox do not apply")
        }
        _ = try target.serverURL()
    }

    func run() async throws {
        let scriptURL = TypedPath.fileURL(script)
        let text: String
        do {
            text = try String(contentsOf: scriptURL, encoding: .utf8)
        } catch {
            Console.error("nexsh bundle create: cannot read the script \(script): \((error as NSError).localizedDescription)")
            throw ExitCode(2)
        }
        let outputURL = TypedPath.fileURL(output)
        // The bundle's path is checked and locked before the script sends anything: a path
        // nexsh would not write (or a planted lock file) is refused now, not after the run.
        let lock: CassetteLock
        do throws(CassetteError) {
            try Cassette.checkWritable(at: outputURL)
            lock = try CassetteLock(cassette: outputURL)
        } catch {
            throw Console.failure("bundle create", error)
        }
        defer { withExtendedLifetime(lock) {} }
        if let cassette {
            try write(text: text, from: TypedPath.fileURL(cassette), to: outputURL)
            return
        }
        let recordingURL = outputURL.deletingLastPathComponent()
            .appendingPathComponent(".\(outputURL.lastPathComponent).\(getpid()).recording.har")
        defer { try? FileManager.default.removeItem(at: recordingURL) }
        let status = try await record(into: recordingURL)
        if status >= 2 { throw ExitCode(status) }
        if status == 1 {
            Console.output("note: the script failed; the bundle keeps the failure, so that replaying it reproduces the report")
        }
        try write(text: text, from: recordingURL, to: outputURL)
    }

    /// Runs the script as `nexsh run` would, recording every line; returns run's exit status.
    private func record(into recording: URL) async throws -> Int32 {
        let configuration = try target.recordingRun(of: script, into: recording, variables: try variables.checked(), connection: connection.settings)
        let plan = try ScriptPlan(configuration)
        return await plan.execute()
    }

    private func write(text: String, from recording: URL, to output: URL) throws {
        let recorded: Cassette
        do {
            recorded = try Cassette.load(from: recording)
        } catch {
            throw Console.failure("bundle create", error)
        }
        // A variable the script uses where a secret goes is kept out too (--var who=… with
        // --password ${who}); literal secrets in the script become stand-ins.
        let secrets = NexudusCommands.secretWords().learningVariables(from: Tokenizer.read(text, file: script).lines)
        let pairs = try variables.checked().map { (assignment: VariableAssignment) in
            (name: assignment.name, value: secrets.isSecretVariable(assignment.name) ? RedactionRules.placeholder(assignment.name) : assignment.value)
        }
        let origin = (try? target.serverURL()) ?? recorded.entries.first.flatMap { URL(string: $0.request.url) }
        let bundle = ReproductionBundle(
            scriptName: (script as NSString).lastPathComponent, script: secrets.scrub(text), variables: pairs,
            nexshVersion: NexshVersion.current, server: origin.flatMap(BundleFile.origin(of:))?.absoluteString ?? "",
            matchRules: .standard
        )
        try BundleFile.write(bundle.cassette(around: recorded.log), to: output, command: "bundle create")
        Console.output("wrote \(Terminal.safe(output.relativePath)): \(Terminal.safe(bundle.scriptName)) and \(entriesText(recorded.entries.count)) (replay it with: nexsh run \(Terminal.safe(output.relativePath)))")
    }
}

struct BundleShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a bundle's script, variables and origin, and list its exchanges."
    )

    @Argument(help: ArgumentHelp("The bundle.", valueName: "file.har"))
    var file: String

    func run() throws {
        let cassette: Cassette
        let found: ReproductionBundle?
        do {
            cassette = try Cassette.load(from: TypedPath.fileURL(file))
            found = try ReproductionBundle(log: cassette.log, path: file)
        } catch {
            throw Console.failure("bundle show", error)
        }
        guard let bundle = found else {
            Console.error("nexsh bundle show: \(Terminal.safe(file)) is a HAR file without a nexsh script (not a bundle); nexsh cassette inspect lists its exchanges")
            throw ExitCode(2)
        }
        let style = AppEnvironment.current.outputStyle
        Console.output(style.bold("bundle \(Terminal.safe(file))") + ": made by nexsh \(Terminal.safe(bundle.nexshVersion)) against \(Terminal.safe(bundle.server.isEmpty ? "an unknown server" : bundle.server))")
        Console.output("variables: " + (bundle.variables.isEmpty ? "none" : bundle.variables.map { Terminal.safe("\($0.name)=\($0.value)") }.joined(separator: ", ")))
        Console.output("matching: " + Terminal.safe(Self.describe(bundle.matchRules)))
        let lines = bundle.script.split(separator: "\n", omittingEmptySubsequences: false)
        let shown = lines.last == "" ? lines.dropLast() : lines[...]
        Console.output("")
        Console.output(style.bold("script \(Terminal.safe(bundle.scriptName))") + " (\(shown.count) \(shown.count == 1 ? "line" : "lines")):")
        let width = String(shown.count).count
        for (index, line) in shown.enumerated() {
            Console.output(style.dim(String(index + 1).leftPadded(to: width + 2)) + "  " + Terminal.safe(String(line)))
        }
        Console.output("")
        CassetteInspectCommand.list(cassette, file: file)
        Console.output("")
        Console.output("replay it with: nexsh run \(Terminal.safe(file))")
    }

    static func describe(_ rules: MatchRules) -> String {
        var parts = ["method", "path", "query"]
        if rules.matchBody { parts.append("body") }
        if rules.matchHost { parts.append("host") }
        if !rules.headers.isEmpty { parts.append("headers " + rules.headers.joined(separator: ", ")) }
        var text = parts.joined(separator: ", ")
        if !rules.ignoredQueryParameters.isEmpty { text += "; ignoring query " + rules.ignoredQueryParameters.joined(separator: ", ") }
        if !rules.ignoredBodyPaths.isEmpty { text += "; ignoring body " + rules.ignoredBodyPaths.map(\.text).joined(separator: ", ") }
        return text
    }
}

/// Writes bundles, from the command line and from the interactive shell alike.
enum BundleFile {
    /// Refuses (exit status 1) a bundle that `cassette verify` would fault, so that none with a
    /// secret in it is ever written.
    static func write(_ cassette: Cassette, to url: URL, command: String) throws {
        do {
            try check(cassette)
            try cassette.write(to: url)
        } catch let error as CassetteError {
            throw Console.failure(command, error)
        } catch let error as ShellError {
            Console.error("nexsh \(command): \(error.oneLine(color: false))")
            throw ExitCode(1)
        }
    }

    /// `scheme://host:port` of a URL: the server a bundle says it was made against.
    static func origin(of url: URL) -> URL? {
        guard let scheme = url.scheme, let host = url.host else { return nil }
        return URL(string: "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")")
    }

    /// Throws what `cassette verify` would find.
    static func check(_ cassette: Cassette) throws(ShellError) {
        let findings = CassetteVerifier.findings(
            in: cassette, logFields: ReproductionBundle.secretFindings(script: NexudusCommands.secretWords().findings)
        )
        guard findings.isEmpty else {
            throw .failed("not written: the bundle would not pass nexsh cassette verify: " + findings.prefix(5).map(\.description).joined(separator: "; "))
        }
    }
}

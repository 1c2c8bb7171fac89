import ArgumentParser
import Foundation
import HTTPCassette
import Sandbox
import ShellCore

struct CassetteRerecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerecord",
        abstract: "Record a script again and review each change against the old recording before any is written.",
        discussion: """
            The script runs as nexsh run would, recording into a temporary file beside the \
            cassette; each exchange is then set against the old recording's (paired as replay \
            pairs them) and classified as the drift check does: unchanged, value drift, schema \
            drift, new (not in the old recording) or gone (no longer requested). Kinds named by \
            --accept are taken without a question; on a terminal each other change is shown and \
            asked about (a accept, r reject, A accept every change of its kind, q quit keeping \
            the old file); elsewhere they are rejected. A rejected change keeps the old exchange \
            as it was written, byte for byte; a rejected gone one stays, a rejected new one is \
            left out. The built-in sandbox listens on the port the old recording was made on \
            (when that was loopback), so that an unchanged API changes only dates and timings.

            Exit status: 0 when the review ended (whatever it kept), 2 when a file cannot be read \
            or the recording failed, 3 when the command line is wrong.
            """
    )

    @Argument(help: ArgumentHelp("The HAR cassette to re-record.", valueName: "cassette.har"))
    var cassette: String

    @Option(help: ArgumentHelp("The script that made it.", valueName: "file.nexsh"))
    var script: String

    @Option(help: ArgumentHelp(
        "Kinds of change taken without asking: unchanged, value, schema, new, gone (comma-separated), all or none. Default: unchanged.",
        valueName: "kinds"
    ))
    var accept: UncheckedArgument<AcceptedKinds>?

    @Option(name: .customLong("var"), help: ArgumentHelp("Set a variable, as `set` does.", valueName: "name=value"))
    var variables: [UncheckedArgument<VariableAssignment>] = []

    @OptionGroup var target: RecordingTarget

    @Option(
        name: .customLong("sandbox-port"),
        help: ArgumentHelp("Port of the built-in sandbox (0 to 65535, 0: any free one). Default: the old recording's loopback port (pass 0 when another program holds it), else any.", valueName: "port"),
        transform: OptionRanges.sandboxPort.parse
    )
    var sandboxPort: Int?

    @Option(name: .customLong("sandbox-revision"), help: ArgumentHelp("The sandbox's data: documented, or revised (to see a review find drift).", valueName: "revision"))
    var sandboxRevision: SandboxRevision = .documented

    @OptionGroup(title: "Connection")
    var connection: ConnectionOptions

    func validate() throws {
        _ = try accept?.checked()
        let _: [VariableAssignment] = try variables.checked()
        _ = try target.serverURL()
    }

    func run() async throws {
        let url = TypedPath.fileURL(cassette)
        let original = try failOnBadInput("rerecord") { try Cassette.contents(of: url) }
        let old = try failOnBadInput("rerecord") { try Cassette.parse(original, path: url.path) }
        // Held until the review is written: no recording may change the file meanwhile.
        let lock: CassetteLock
        do throws(CassetteError) {
            try Cassette.checkWritable(at: url)
            lock = try CassetteLock(cassette: url)
        } catch {
            throw Console.failure("cassette rerecord", error)
        }
        defer { withExtendedLifetime(lock) {} }

        let recordingURL = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).rerecord.har")
        defer { try? FileManager.default.removeItem(at: recordingURL) }
        let status = try await record(into: recordingURL, port: sandboxPort ?? Self.loopbackPort(of: old) ?? OptionRanges.sandboxPort.standard)
        if status >= 2 { throw ExitCode(status) }
        if status == 1 { Console.error("note: the script failed; what it recorded is reviewed all the same") }
        let recorded = try failOnBadInput("rerecord") { try Cassette.load(from: recordingURL) }

        let review = RecordingReview(old: old, new: recorded)
        let environment = AppEnvironment.current
        let asking = environment.inputIsTerminal && environment.errorIsTerminal
        guard let decisions = await ReviewDecisions.decide(review, accepting: try accept?.checked() ?? .standard, asking: asking) else {
            Console.error("quit: \(Terminal.safe(cassette)) is as it was")
            return
        }
        let merge = review.merged(accepting: decisions)
        let written = merge.cassette.encoded()
        if !old.isInWrittenLayout(original) {
            Console.error("note: \(Terminal.safe(cassette)) is not laid out as nexsh writes it: kept exchanges are written in nexsh's layout (the same content)")
        }
        if written != original {
            try failOnBadInput("rerecord") { try merge.cassette.write(to: url) }
        }
        summarize(review, decisions, merge, before: original.count, after: written.count)
    }

    /// Runs the script as `nexsh run` would, recording every line; returns run's exit status.
    private func record(into recording: URL, port: Int) async throws -> Int32 {
        var configuration = try target.recordingRun(of: script, into: recording, variables: try variables.checked(), connection: connection.settings)
        configuration.sandbox.port = port
        configuration.sandbox.revision = sandboxRevision
        configuration.connection.warnIfInsecure()
        return try await ScriptPlan(configuration).execute()
    }

    /// The port of a recording made on loopback (the built-in sandbox, usually).
    static func loopbackPort(of cassette: Cassette) -> Int? {
        guard let first = cassette.entries.first, let url = URL(string: first.request.url),
            url.host == "127.0.0.1" || url.host == "localhost", let port = url.port
        else { return nil }
        return port
    }

    /// `review: 4 exchanges — 1 unchanged, 1 value drift, 2 schema drift` and what was taken.
    private func summarize(_ review: RecordingReview, _ decisions: [Bool], _ merge: RecordingReview.Merge, before: Int, after: Int) {
        func list(_ changes: [RecordingReview.Change]) -> String {
            let counts = Dictionary(grouping: changes, by: \.kind).mapValues(\.count)
            let parts = RecordingReview.Kind.allCases.compactMap { kind in counts[kind].map { "\($0) \(kind.name)" } }
            return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
        }
        let pairs = zip(review.changes, decisions)
        let accepted = pairs.filter(\.1).map(\.0)
        let rejected = pairs.filter { !$0.1 }.map(\.0)
        let kinds = RecordingReview.Kind.allCases.map { "\(review.counts[$0] ?? 0) \($0.name)" }.joined(separator: ", ")
        Console.error("review of \(Terminal.safe(cassette)): \(kinds)")
        Console.error("accepted \(accepted.count)\(list(accepted)), rejected \(rejected.count)\(list(rejected))")
        let changed = merge.linesRemoved + merge.linesAdded
        Console.error(changed == 0 && before == after
            ? "\(Terminal.safe(cassette)) is unchanged"
            : "wrote \(Terminal.safe(cassette)): \(merge.linesRemoved) lines removed, \(merge.linesAdded) added; \(before) → \(after) bytes")
    }
}

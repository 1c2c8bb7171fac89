import Foundation
import HTTPCassette
import NexudusCommands
import ShellCore
import Synchronization

/// The lines of an interactive session, how each went and which cassette it left in use, for
/// `save-script` and `bundle`.
final class SessionTranscript: Sendable {
    enum Outcome: Sendable {
        /// Ran; with the status of the last answer when it made a request.
        case succeeded(status: Int?)
        /// A request got this HTTP error status.
        case failedRequest(status: Int)
        case failed
    }

    /// A cassette the session used: the file, the mode asked for and the mode in effect.
    struct Cassette: Sendable, Equatable {
        let path: String
        let requestedMode: RecordMode
        let mode: RecordMode

        init(_ active: NexudusSession.ActiveCassette) {
            path = active.file.path
            requestedMode = active.transport.requestedMode
            mode = active.transport.mode
        }
    }

    struct Entry: Sendable {
        let line: String
        let outcome: Outcome
        /// The cassette in use once the line had run.
        let cassette: Cassette?
    }

    /// What a saved script does with the session's cassettes.
    enum CassetteLines {
        /// A replay is kept, with its eject; a recording (`record`, `--mode new`) becomes a
        /// comment, so that running the script never rewrites a cassette.
        case replaysKept
        /// Every cassette command becomes a comment: a bundle's own recording answers every
        /// request the session made, replayed or not.
        case noneKept
    }

    /// The language the session's lines are read in: which commands a saved script keeps.
    private let commands: CommandTable
    /// The cassette the session started with (`nexsh --replay F`, `--record F`).
    private let start: Cassette?
    private let entries = Mutex<[Entry]>([])

    init(commands: CommandTable, startingWith cassette: Cassette?) {
        self.commands = commands
        start = cassette
    }

    func append(_ line: String, _ outcome: Outcome, cassette: Cassette?) {
        entries.withLock { $0.append(Entry(line: line, outcome: outcome, cassette: cassette)) }
    }

    var all: [Entry] { entries.withLock { $0 } }

    /// Commands a saved script would hold.
    var commandCount: Int {
        all.filter { Self.commandName($0.line, read: try? Tokenizer.line($0.line)).map(isScriptable) ?? false }.count
    }

    /// Commands that only concern the terminal are left out of a saved script (so is `cassette`:
    /// `cassette eject` is written where the session's cassette changed, whatever changed it).
    /// A line whose command is unknown is kept as it failed.
    private func isScriptable(_ name: String) -> Bool {
        commands.command(named: name)?.scriptable ?? true
    }

    /// The command a line runs, as the tokenizer read it (`read`), or, for a line that does not
    /// read, its first word as completion reads a line still being typed.
    private static func commandName(_ line: String, read: ScriptLine?) -> String? {
        read?.commandName ?? Tokenizer.lineBeingTyped(line + " ").previousWords.first
    }

    /// The session as a runnable script: each command, then `expect status` for its answer
    /// (an HTTP error becomes the expected outcome, so the script reproduces it), and the
    /// cassettes as `cassettes` says. No secret is written (`secrets` takes them out, knowing
    /// the whole session); `login` reads its password from $NEXSH_PASSWORD.
    func script(server: String, secrets: SecretWords, cassettes: CassetteLines = .replaysKept) -> String {
        var lines: [String] = []
        let entries = all.map { (entry: $0, line: try? Tokenizer.line($0.line)) }
        let secrets = secrets.learningVariables(from: entries.compactMap(\.line))
        var writer = CassetteWriter(kept: cassettes)
        if let start { writer.started(start, by: Self.command(opening: start), into: &lines) }
        for (entry, parsed) in entries {
            guard let name = Self.commandName(entry.line, read: parsed) else { continue }
            var line = secrets.scrub(entry.line)
            let resolved = parsed.flatMap { try? commands.resolve($0, origin: .interactive) }
            // A `record` or `replay` that ran put its cassette in use: never written as it was typed.
            if resolved?.command is any CassetteOpening, case .succeeded = entry.outcome {
                if let cassette = entry.cassette { writer.started(cassette, by: line, into: &lines) }
                continue
            }
            if isScriptable(name) {
                if let resolved { line = resolved.command.savedLine(line, resolved.arguments) }
                switch entry.outcome {
                case .succeeded(let status):
                    lines.append(line)
                    if let status { lines.append("expect status \(status)") }
                case .failedRequest(let status):
                    lines.append(line)
                    lines.append("expect status \(status)")
                case .failed:
                    lines.append("# failed: \(line)")
                }
            }
            writer.continued(with: entry.cassette, into: &lines)
        }
        var header = [
            "# Saved from an interactive nexsh session against \(server).",
            "# Run it with: nexsh run <this file> (passwords come from $NEXSH_PASSWORD).",
        ]
        if writer.leftOutRecordings {
            header.append("# Recordings are comments, so that running it never rewrites a cassette: to record, run it with --cassette FILE --mode record.")
        }
        return (header + lines).joined(separator: "\n") + "\n"
    }

    /// The line that starts using `cassette`, as a person would type it in the shell.
    private static func command(opening cassette: Cassette) -> String {
        let file = Tokenizer.escaped(cassette.path)
        if cassette.requestedMode == .replay { return "replay \(file)" }
        return "record \(file)" + (cassette.requestedMode == .record ? "" : " --mode \(cassette.requestedMode.rawValue)")
    }
}

/// Follows the session's cassette through a saved script: which one the script has in use, and
/// the `cassette eject` lines that keep the two the same.
private struct CassetteWriter {
    let kept: SessionTranscript.CassetteLines
    /// The cassette the script has in use, as far as the lines written so far go.
    private var inScript: SessionTranscript.Cassette?
    /// The cassette the session had in use after the last line.
    private var inSession: SessionTranscript.Cassette?
    private(set) var leftOutRecordings = false

    init(kept: SessionTranscript.CassetteLines) {
        self.kept = kept
    }

    /// `line` started `cassette` (ending the one before, if any).
    mutating func started(_ cassette: SessionTranscript.Cassette, by line: String, into lines: inout [String]) {
        // `once` never rewrites a recording: when the file is there, it replays it.
        let keeps = kept == .replaysKept && [.replay, .once].contains(cassette.requestedMode)
        if keeps {
            lines.append(line)
            inScript = cassette
        } else {
            if inScript != nil { lines.append("cassette eject") }
            inScript = nil
            let reason = kept == .noneKept ? "the bundle's own recording answers every request" : "running this script must not rewrite that recording"
            lines.append("# \(line)  (left out: \(reason))")
            leftOutRecordings = leftOutRecordings || (kept == .replaysKept)
        }
        inSession = cassette
    }

    /// After any other line: when the session stopped using its cassette (`cassette eject`, or
    /// a `record` or `replay` that failed after ending it), the script stops too.
    mutating func continued(with cassette: SessionTranscript.Cassette?, into lines: inout [String]) {
        defer { inSession = cassette }
        guard cassette != inSession else { return }
        if inScript != nil {
            lines.append("cassette eject")
            inScript = nil
        } else if inSession != nil {
            lines.append("# cassette eject")
        }
    }
}

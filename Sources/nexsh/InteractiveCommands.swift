import Foundation
import HTTPCassette
import NexudusCommands
import SecureFiles
import ShellCore
import Synchronization

/// The lines of an interactive session and how each went, for `save-script`.
final class SessionTranscript: Sendable {
    enum Outcome: Sendable {
        /// Ran; with the status of the last answer when it made a request.
        case succeeded(status: Int?)
        /// A request got this HTTP error status.
        case failedRequest(status: Int)
        case failed
    }

    struct Entry: Sendable {
        let line: String
        let outcome: Outcome
    }

    private let entries = Mutex<[Entry]>([])

    func append(_ line: String, _ outcome: Outcome) {
        entries.withLock { $0.append(Entry(line: line, outcome: outcome)) }
    }

    var all: [Entry] { entries.withLock { $0 } }

    /// Commands a saved script would hold.
    var commandCount: Int {
        all.filter { Self.commandName($0.line).map { !Self.interactiveOnly.contains($0) } ?? false }.count
    }

    /// Commands that only concern the terminal are left out of a saved script.
    static let interactiveOnly: Set<String> = ["history", "save-script", "bundle", "help", "exit", "quit", "last", "cassette", "whoami"]

    /// The command a line runs, as the tokenizer reads it (or its first word, for a line that
    /// does not read).
    private static func commandName(_ line: String) -> String? {
        (try? Tokenizer.line(line))?.commandName ?? line.split(whereSeparator: \.isWhitespace).first.map(String.init)
    }

    /// The session as a runnable script: each command, then `expect status` for its answer
    /// (an HTTP error becomes the expected outcome, so the script reproduces it). No secret is
    /// written (`secrets` takes them out, knowing the whole session); `login` reads its
    /// password from $NEXSH_PASSWORD.
    func script(server: String, secrets: SecretWords) -> String {
        var lines = [
            "# Saved from an interactive nexsh session against \(server).",
            "# Run it with: nexsh run <this file> (passwords come from $NEXSH_PASSWORD).",
        ]
        let entries = all.map { (entry: $0, line: try? Tokenizer.line($0.line)) }
        let secrets = secrets.learningVariables(from: entries.compactMap(\.line))
        for (entry, parsed) in entries {
            guard let name = Self.commandName(entry.line), !Self.interactiveOnly.contains(name) else { continue }
            var line = secrets.scrub(entry.line)
            let readsPassword = parsed?.words.contains { $0.bareText?.hasPrefix("--password") == true } ?? false
            if name == "login", !readsPassword { line += " --password-env NEXSH_PASSWORD" }
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
        return lines.joined(separator: "\n") + "\n"
    }
}

struct HistoryCommand: ShellCommand {
    let entries: @Sendable () -> [String]
    let name = "history"
    let summary = "List the command history (kept in ~/.nexsh_history, or $XDG_STATE_HOME/nexsh/history)."
    let signature = CommandSignature()

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let all = entries()
        let width = String(all.count).count
        for (index, line) in all.enumerated() {
            context.print(String(index + 1).leftPadded(to: width) + "  " + Terminal.safe(line))
        }
    }
}

struct SaveScriptCommand: ShellCommand {
    let transcript: SessionTranscript
    let server: @Sendable () -> String
    let secrets: @Sendable () -> SecretWords
    let name = "save-script"
    let summary = "Write this session's commands as a script that nexsh run replays (passwords left out)."
    let signature = CommandSignature(positionals: [.init("file", help: "The .nexsh file to write.", completion: .files(extensions: ["nexsh"]))])

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let path = try invocation.file(0)!
        do throws(SecureFileError) {
            // A saved script holds no secret and is meant to be passed on: the umask decides.
            try AtomicFile.write(Data(transcript.script(server: server(), secrets: secrets()).utf8), to: path, permissions: .shared)
        } catch {
            throw ShellError.failed(path.isEmpty ? "save-script: \(error.reason)" : "cannot write \(path): \(error.reason)")
        }
        context.print("saved \(Terminal.safe(path)) (run it with: nexsh run \(Terminal.safe(path)))")
    }
}

struct BundleShellCommand: ShellCommand {
    let transcript: SessionTranscript
    let session: NexudusSession
    let secrets: @Sendable () -> SecretWords
    let name = "bundle"
    let summary = "Write this session as a bug report: its commands as a script plus every exchange, in one HAR file that nexsh run replays."
    let signature = CommandSignature(positionals: [.init("file", help: "The .har file to write.", completion: .files(extensions: ["har"]))])

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let path = try invocation.file(0)!
        guard path.hasSuffix(".har") else { throw ShellError.failed("bundle: the file must end in .har, not '\(path)'") }
        let server = ScriptPlan.origin(of: session.baseURL)?.absoluteString ?? session.baseURL.absoluteString
        let bundle = ReproductionBundle(
            scriptName: ((path as NSString).lastPathComponent as NSString).deletingPathExtension + ".nexsh",
            script: transcript.script(server: server, secrets: secrets()), variables: [], nexshVersion: NexshVersion.current, server: server
        )
        let entries = session.exchanges?.items.map(\.entry) ?? []
        let cassette = bundle.cassette(around: HAR.Log(creator: Cassette.defaultCreator, entries: entries))
        try BundleFile.check(cassette)
        do {
            try cassette.write(to: URL(fileURLWithPath: path))
        } catch {
            throw ShellError.failed("bundle: \(error)")
        }
        context.print("wrote \(Terminal.safe(path)): \(transcript.commandCount) commands and \(entriesText(entries.count)) (replay it with: nexsh run \(Terminal.safe(path)))")
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}

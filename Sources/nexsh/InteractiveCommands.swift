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
        all.filter { entry in entry.line.split(separator: " ").first.map { !Self.interactiveOnly.contains(String($0)) } ?? false }.count
    }

    /// Commands that only concern the terminal are left out of a saved script.
    static let interactiveOnly: Set<String> = ["history", "save-script", "bundle", "help", "exit", "quit", "last", "cassette", "whoami"]

    /// The session as a runnable script: each command, then `expect status` for its answer
    /// (an HTTP error becomes the expected outcome, so the script reproduces it). Passwords
    /// are never written: `login` reads them from $NEXSH_PASSWORD.
    func script(server: String) -> String {
        var lines = [
            "# Saved from an interactive nexsh session against \(server).",
            "# Run it with: nexsh run <this file> (passwords come from $NEXSH_PASSWORD).",
        ]
        for entry in all {
            guard let name = entry.line.split(separator: " ").first.map(String.init), !Self.interactiveOnly.contains(name) else { continue }
            let line = name == "login" ? Self.withoutPassword(entry.line) + " --password-env NEXSH_PASSWORD" : entry.line
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

    /// The line with `--password`, `--password-env` and their values removed.
    static func withoutPassword(_ line: String) -> String {
        var words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var index = 0
        while index < words.count {
            let word = words[index]
            if word == "--password" || word == "--password-env" {
                words.removeSubrange(index..<min(words.count, index + 2))
            } else if word.hasPrefix("--password=") || word.hasPrefix("--password-env=") {
                words.remove(at: index)
            } else {
                index += 1
            }
        }
        return words.joined(separator: " ")
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
    let name = "save-script"
    let summary = "Write this session's commands as a script that nexsh run replays (passwords left out)."
    let signature = CommandSignature(positionals: [.init("file", help: "The .nexsh file to write.", completion: .files(extensions: ["nexsh"]))])

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let path = try invocation.positional(0)!
        do throws(SecureFileError) {
            // A saved script holds no password and is meant to be passed on: the umask decides.
            try AtomicFile.write(Data(transcript.script(server: server()).utf8), to: path, permissions: .shared)
        } catch {
            throw ShellError.failed("cannot write \(path): \(error.reason)")
        }
        context.print("saved \(Terminal.safe(path)) (run it with: nexsh run \(Terminal.safe(path)))")
    }
}

struct BundleShellCommand: ShellCommand {
    let transcript: SessionTranscript
    let session: NexudusSession
    let name = "bundle"
    let summary = "Write this session as a bug report: its commands as a script plus every exchange, in one HAR file that nexsh run replays."
    let signature = CommandSignature(positionals: [.init("file", help: "The .har file to write.", completion: .files(extensions: ["har"]))])

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let path = try invocation.positional(0)!
        guard path.hasSuffix(".har") else { throw ShellError.failed("bundle: the file must end in .har, not '\(path)'") }
        let server = ScriptPlan.origin(of: session.baseURL)?.absoluteString ?? session.baseURL.absoluteString
        let bundle = ReproductionBundle(
            scriptName: ((path as NSString).lastPathComponent as NSString).deletingPathExtension + ".nexsh",
            script: transcript.script(server: server), variables: [], nexshVersion: NexshVersion.current, server: server
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

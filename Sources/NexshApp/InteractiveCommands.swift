import Bundles
import Foundation
import HTTPCassette
import NexudusCommands
import SecureFiles
import ShellCore
import Synchronization

/// The interactive shell's own commands: they find the editor, the transcript and the session
/// in the context (``ShellContext/service(_:)``), which the shell makes with them.
enum InteractiveCommands {
    static let all: [any ShellCommand] = [HistoryCommand(), SaveScriptCommand(), BundleShellCommand()]
}

struct HistoryCommand: ShellCommand {
    let name = "history"
    let examples = ["history"]
    let summary = "List the command history (kept in ~/.nexsh_history, or $XDG_STATE_HOME/nexsh/history)."
    static let signature = CommandSignature()
    let scriptable = false

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let all = context.service(EditorHost.self).historyEntries()
        let width = String(all.count).count
        for (index, line) in all.enumerated() {
            context.print(String(index + 1).leftPadded(to: width) + "  " + Terminal.safe(line))
        }
    }
}

struct SaveScriptCommand: ShellCommand {
    let name = "save-script"
    let examples = ["save-script session.nexsh"]
    let summary = "Write this session's commands as a script that nexsh run replays (passwords left out)."
    static let file = Positional<FilePath>("file", help: "The .nexsh file to write.", completion: .files(extensions: ["nexsh"]))
    static let signature = CommandSignature(file)
    let scriptable = false

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let path = try invocation[Self.file].path
        let session = context.service(NexudusSession.self)
        let script = context.service(SessionTranscript.self).script(server: session.baseURL.absoluteString, secrets: session.secretWords)
        do throws(SecureFileError) {
            // A saved script holds no secret and is meant to be passed on: the umask decides.
            try AtomicFile.write(Data(script.utf8), to: path, permissions: .shared)
        } catch {
            throw ShellError.failed(path.isEmpty ? "save-script: \(error.reason)" : "cannot write \(path): \(error.reason)")
        }
        context.print("saved \(Terminal.safe(path)) (run it with: nexsh run \(Terminal.safe(path)))")
    }
}

struct BundleShellCommand: ShellCommand {
    let name = "bundle"
    let examples = ["bundle bug.har"]
    let summary = "Write this session as a bug report: its commands as a script plus every exchange, in one HAR file that nexsh run replays."
    static let file = Positional<HARPath>("file", help: "The .har file to write.")
    static let signature = CommandSignature(file)
    let scriptable = false

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let path = try invocation[Self.file].path
        let session = context.service(NexudusSession.self)
        let transcript = context.service(SessionTranscript.self)
        let entries = session.exchanges?.items.map(\.entry) ?? []
        // A bug report of nothing reproduces nothing: refused, so no file is written (or replaced).
        guard transcript.commandCount > 0 || !entries.isEmpty else {
            throw ShellError.failed("bundle: nothing to bundle yet: no command has run in this session (run the steps that show the problem first)")
        }
        let server = BundleFile.origin(of: session.baseURL)?.absoluteString ?? session.baseURL.absoluteString
        let bundle = ReproductionBundle(
            scriptName: ((path as NSString).lastPathComponent as NSString).deletingPathExtension + ".nexsh",
            script: transcript.script(server: server, secrets: session.secretWords, cassettes: .noneKept), variables: [], nexshVersion: NexshVersion.current,
            server: server
        )
        let cassette = bundle.cassette(around: HAR.Log(creator: Cassette.defaultCreator, entries: entries))
        try BundleFile.check(cassette)
        do {
            try cassette.write(to: TypedPath.fileURL(path))
        } catch {
            throw ShellError.failed("bundle: \(error)")
        }
        let commands = "\(transcript.commandCount) \(transcript.commandCount == 1 ? "command" : "commands")"
        context.print("wrote \(Terminal.safe(path)): \(commands) and \(entriesText(entries.count)) (replay it with: nexsh run \(Terminal.safe(path)))")
    }
}

/// A file `bundle` writes: a path ending in `.har`.
struct HARPath: ArgumentValue {
    let path: String

    static func parse(_ text: String) throws(ArgumentError) -> HARPath {
        guard text.hasSuffix(".har") else { throw ArgumentError("the file must end in .har, not '\(text)'") }
        return HARPath(path: TypedPath.expandingHome(text))
    }

    static var completion: CompletionKind { .files(extensions: ["har"]) }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}

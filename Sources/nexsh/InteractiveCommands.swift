import Foundation
import HTTPCassette
import NexudusCommands
import SecureFiles
import ShellCore
import Synchronization

struct HistoryCommand: ShellCommand {
    let entries: @Sendable () -> [String]
    let name = "history"
    let examples = ["history"]
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
    let examples = ["save-script session.nexsh"]
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
    let examples = ["bundle bug.har"]
    let summary = "Write this session as a bug report: its commands as a script plus every exchange, in one HAR file that nexsh run replays."
    let signature = CommandSignature(positionals: [.init("file", help: "The .har file to write.", completion: .files(extensions: ["har"]))])

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        guard let word = arguments.positionals.first, let path = word.literal, !path.hasSuffix(".har") else { return }
        throw reading.usageError(self, Self.notHAR(path), at: word.location)
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let path = try invocation.file(0)!
        guard path.hasSuffix(".har") else { throw ShellError.failed("bundle: " + Self.notHAR(path)) }
        let entries = session.exchanges?.items.map(\.entry) ?? []
        // A bug report of nothing reproduces nothing: refused, so no file is written (or replaced).
        guard transcript.commandCount > 0 || !entries.isEmpty else {
            throw ShellError.failed("bundle: nothing to bundle yet: no command has run in this session (run the steps that show the problem first)")
        }
        let server = BundleFile.origin(of: session.baseURL)?.absoluteString ?? session.baseURL.absoluteString
        let bundle = ReproductionBundle(
            scriptName: ((path as NSString).lastPathComponent as NSString).deletingPathExtension + ".nexsh",
            script: transcript.script(server: server, secrets: secrets(), cassettes: .noneKept), variables: [], nexshVersion: NexshVersion.current,
            server: server
        )
        let cassette = bundle.cassette(around: HAR.Log(creator: Cassette.defaultCreator, entries: entries))
        try BundleFile.check(cassette)
        do {
            try cassette.write(to: URL(fileURLWithPath: path))
        } catch {
            throw ShellError.failed("bundle: \(error)")
        }
        let commands = "\(transcript.commandCount) \(transcript.commandCount == 1 ? "command" : "commands")"
        context.print("wrote \(Terminal.safe(path)): \(commands) and \(entriesText(entries.count)) (replay it with: nexsh run \(Terminal.safe(path)))")
    }

    private static func notHAR(_ path: String) -> String { "the file must end in .har, not '\(path)'" }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}

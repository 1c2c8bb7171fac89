import Foundation
import HTTPCassette
import HTTPValues
import LineEditor
import NexudusCommands
import Sandbox
import ShellCore
import Synchronization
import Transport

/// The interactive shell: libedit for input, the same dispatcher as scripts for commands, and
/// the built-in sandbox unless another server is named.
struct InteractiveShell {
    struct Options: Sendable {
        var connection: ConnectionSettings
        var server: URL?
        var cassette: (file: URL, mode: RecordMode)?
        var sandboxPort = 0
    }

    let options: Options

    /// What the session talks to when it starts.
    private enum Target {
        case server(URL)
        case sandbox(URL)
        /// A replay with no server named: the server the cassette was recorded from, which its
        /// answers stand for and which nothing is sent to while it plays.
        case recording
    }

    /// A session as the shell starts it, before the first line is read.
    struct Started: Sendable {
        let session: NexudusSession
        let context: ShellContext
        let transcript: SessionTranscript
        let host: EditorHost
    }

    /// Runs until `exit` or Ctrl-D; returns the exit status.
    func run() async -> Int32 {
        await withSession { started in await interact(started) }
    }

    /// Starts the session (on the server named, the built-in sandbox, or what a replayed
    /// cassette was recorded from), and hands it to `body` for as long as its network and
    /// sandbox last; returns what `body` returns, 2 when the cassette cannot be used, 1 when
    /// the sandbox cannot start. `open` makes the live transport, at the first request that
    /// needs one.
    func withSession(
        output: any ShellOutput = AppEnvironment.current.standardOutput, diagnostics: any ShellOutput = AppEnvironment.current.standardError,
        open: @escaping LiveNetwork.Opener = LiveNetwork.standardOpener,
        _ body: @Sendable (Started) async -> Int32
    ) async -> Int32 {
        do {
            return try await options.connection.withNetwork(showsSpinner: true, open: open) { live in
                if let server = options.server {
                    return await start(on: .server(server), live: live, output: output, diagnostics: diagnostics, body)
                }
                if options.cassette?.mode == .replay {
                    return await start(on: .recording, live: live, output: output, diagnostics: diagnostics, body)
                }
                let configuration = SandboxServer.Configuration(port: options.sandboxPort)
                return try await withSandbox(configuration) { sandbox in
                    await start(on: .sandbox(sandbox.baseURL), live: live, output: output, diagnostics: diagnostics, body)
                }
            }
        } catch {
            Console.error("nexsh: \(error)")
            return 1
        }
    }

    private func start(
        on target: Target, live: any HTTPTransport, output: any ShellOutput, diagnostics: any ShellOutput, _ body: @Sendable (Started) async -> Int32
    ) async -> Int32 {
        let baseURL: URL
        var sandboxPasswords: [String: String] = [:]
        switch target {
        case .server(let url):
            baseURL = url
        case .sandbox(let url):
            baseURL = url
            sandboxPasswords = SandboxServer.passwordsByEmail
        case .recording:
            baseURL = NexudusSession.notYetKnownServer
        }
        let session = NexudusSession(
            baseURL: baseURL, authenticationBaseURL: options.connection.authServer, live: live, allowsPlainHTTP: options.connection.allowHTTP, keepsExchanges: true,
            maximumBodySize: options.connection.maximumBodyBytes, sandboxPasswords: sandboxPasswords
        )
        session.watchIdsForCompletion()
        var announced: String
        switch target {
        case .server: announced = "server \(session.serverDescription)"
        case .sandbox(let url): announced = "built-in sandbox at \(url.absoluteString)" + Self.sandboxSignIn
        case .recording: announced = ""
        }
        if let (file, mode) = options.cassette {
            do {
                let active = try session.insertCassette(file: file, mode: mode, options: CassetteOptions(replayAdvice: .commands(for: file)))
                if case .recording = target, let recorded = active.transport.recordedOrigin {
                    session.changeServer(to: recorded)
                }
                // A replay sends nothing: what it plays, and where that was recorded, is all
                // there is to say of the server.
                announced = active.transport.mode == .replay
                    ? NexudusSession.replayDescription(active.transport) : announced + "; recording to \(file.path)"
            } catch {
                Console.error("nexsh: \(error)")
                return 2
            }
        }
        switch target {
        case .server:
            session.keepSessions(StateFiles.keeping)
            if let email = await session.resumeSavedSession() {
                announced += "; resumed the saved session of \(Terminal.safe(email))"
            }
        case .sandbox: session.keepSessions(.notKept(reason: "the built-in sandbox's sessions end with it"))
        case .recording: session.keepSessions(.notKept(reason: "a replayed sign-in has no real tokens"))
        }
        let table = NexudusCommands.table(adding: InteractiveCommands.all)
        let transcript = SessionTranscript(commands: table, startingWith: session.cassette.map(SessionTranscript.Cassette.init))
        let host = EditorHost()
        let context = ShellContext(
            commands: table, services: [session, transcript, host], variables: Variables(environment: AppEnvironment.current.variables), output: output, diagnostics: diagnostics, style: AppEnvironment.current.outputStyle, isInteractive: true,
            prompter: TerminalPrompter(), progress: StandardErrorProgress(), replaying: { session.isReplaying }
        )
        context.print("nexsh \(NexshVersion.current) — \(announced); help lists the commands")
        return await body(Started(session: session, context: context, transcript: transcript, host: host))
    }

    /// Reads and runs lines until `exit` or Ctrl-D; returns the exit status.
    private func interact(_ started: Started) async -> Int32 {
        let (session, context, transcript, host) = (started.session, started.context, started.transcript, started.host)
        // What reaches a file (history, a saved script, a bundle) leaves out the secrets the
        // line's words hold and any the session knows of.
        let scrubHistory: ([String]) -> [String] = { lines in
            let words = session.secretWords.learningVariables(from: lines.compactMap { try? Tokenizer.line($0) })
            return lines.map(words.scrubForHistory)
        }
        let prompt = PromptState(color: context.style.color)
        await prompt.update(session: session)

        host.start(historyFile: StateFiles.historyFile, prompt: { prompt.text }) { text in
            Self.completions(for: text, in: context)
        }
        Interrupts.install()
        var status: Int32 = 0
        loop: while true {
            let (input, interrupts) = await host.readLine()
            switch input {
            case .endOfInput:
                context.print()
                break loop
            case .interrupted:
                continue
            case .line(let text):
                guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                host.addHistory(session.secretWords.scrubForHistory(text))
                // `profiles; whoami`: each command as if typed on its own line (a saved script
                // writes each with its own outcome); a failure ends the line, as in a script.
                for statement in Tokenizer.statements(text) {
                    let outcome = await Self.execute(statement, in: context, interruptsBefore: interrupts)
                    if case .exit(let code) = outcome.error {
                        status = code
                        break loop
                    }
                    transcript.append(statement, outcome.transcript, cassette: session.cassette.map(SessionTranscript.Cassette.init))
                    if let error = outcome.error {
                        context.note(error.oneLine(color: context.style.color))
                        break
                    }
                }
                await prompt.update(session: session)
                host.saveHistory(scrub: scrubHistory)
            }
        }
        host.saveHistory(scrub: scrubHistory)
        host.close()
        if let summary = try? session.ejectCassette() {
            context.note(Terminal.safe(summary.description))
        }
        return status
    }

    /// ` (sign in: login jane.doe@example.com, password correct-horse)`: the first account the
    /// sandbox publishes.
    private static var sandboxSignIn: String {
        SandboxServer.signInDetails.first.map { " (sign in: login \($0.email), password \($0.password))" } ?? ""
    }

    /// Runs one typed line in a task that Ctrl-C cancels: any Ctrl-C since `interruptsBefore`,
    /// the count when the line was read, even one that came before the task started.
    private static func execute(
        _ text: String, in context: ShellContext, interruptsBefore: Int
    ) async -> (error: ShellError?, transcript: SessionTranscript.Outcome) {
        let before = context.exchangeCount
        let command = Task<Void, any Error> { try await untyped(text, context) }
        let watcher = Task {
            while !Task.isCancelled {
                if Interrupts.count != interruptsBefore {
                    command.cancel()
                    return
                }
                try? await Task.sleep(for: .milliseconds(25))
            }
        }
        defer { watcher.cancel() }
        switch await command.result {
        case .success:
            let status = context.exchangeCount > before ? context.lastExchange?.response.status : nil
            return (nil, .succeeded(status: status))
        case .failure(let failure):
            let error = failure as? ShellError ?? .failed(String(describing: failure))
            if case .requestFailed(let status, _) = error { return (error, .failedRequest(status: status)) }
            return (error, .failed)
        }
    }

    private static func untyped(_ text: String, _ context: ShellContext) async throws {
        try await Dispatcher.execute(text: text, in: context)
    }

    /// Completion on the editor's thread, which waits for the command's answer (a `switch`
    /// may fetch the profiles first); never longer than a few seconds.
    private static func completions(for text: String, in context: ShellContext) -> LineCompletions {
        let box = CompletionBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.set(await Completer.complete(text, in: context))
            done.signal()
        }
        // The candidates extend the word as the language reads it (quotes and escapes kept).
        let word = Tokenizer.lineBeingTyped(text).wordSource
        guard done.wait(timeout: .now() + 5) == .success else { return LineCompletions(word: word, candidates: []) }
        // libedit lists candidates itself: what came from a server or a folder is made safe
        // here, and a value that would put a control character into the line is not offered.
        return LineCompletions(word: word, candidates: box.get().filter { Terminal.safe($0.value) == $0.value }.map {
            LineCompletion($0.value, description: $0.description.map { Terminal.safe($0) }, appendsSpace: $0.appendsSpace)
        })
    }
}

private final class CompletionBox: Sendable {
    private let value = Mutex<[Completion]>([])
    func set(_ completions: [Completion]) { value.withLock { $0 = completions } }
    func get() -> [Completion] { value.withLock { $0 } }
}

/// The prompt, recomputed after each command: who is signed in, as which profile, and whether
/// a cassette records or replays. Read by libedit on its own thread.
final class PromptState: Sendable {
    private let value = Mutex("nexsh> ")
    private let color: Bool

    init(color: Bool) {
        self.color = color
    }

    var text: String { value.withLock { $0 } }

    func update(session: NexudusSession) async {
        var parts: [String] = []
        if let cassette = session.cassette {
            let replaying = cassette.transport.mode == .replay
            parts.append(paint(replaying ? "[replay]" : "[rec]", replaying ? "33" : "31"))
        }
        if let signedIn = session.client.session {
            var who = paint(signedIn.email, "36")
            if let active = await session.client.knownProfiles?.activeProfile {
                who += " · " + paint("\(active.fullName ?? active.companyName ?? "?") (\(active.id.map(String.init) ?? "?"))", "1")
            }
            parts.append(who)
        } else {
            parts.append("nexsh")
        }
        let text = parts.joined(separator: " ") + "> "
        value.withLock { $0 = text }
    }

    /// Colour sequences between libedit's ignore markers, so that they take no columns.
    private func paint(_ text: String, _ code: String) -> String {
        let mark = String(LineEditor.promptIgnore)
        let safe = Terminal.safe(text)
        return color ? "\(mark)\u{1B}[\(code)m\(mark)\(safe)\(mark)\u{1B}[0m\(mark)" : safe
    }
}

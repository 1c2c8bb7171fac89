import Foundation
import HTTPCassette
import ShellCore

struct RecordCommand: ShellCommand {
    let session: NexudusSession
    let name = "record"
    let examples = ["record session.har", "record session.har --mode new"]
    let summary = "Record every exchange from now on into a HAR cassette (redacted)."
    let details = "Modes: record (start the file over), once (record only if the file is missing), new (keep it, append what it lacks)."
    let signature = CommandSignature(
        positionals: [.init("file", help: "The .har file.", completion: .files(extensions: ["har"]))],
        options: [.init("mode", value: "mode", help: "record (default), once or new.", completion: .choices(["record", "once", "new"]))]
    )

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        if let word = arguments.options["mode"]?.last, let mode = word.literal, !["record", "once", "new"].contains(mode) {
            throw .usage(command: name, message: "--mode must be record, once or new (use replay <file> to replay)", word.location,
                         sourceLine: reading.line.text, usage: usage)
        }
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let file = URL(fileURLWithPath: try invocation.file(0)!)
        let mode = RecordMode(rawValue: try invocation.option("mode") ?? "record") ?? .record
        try CassetteCommand.ejectQuietly(session, context)
        // `once` replays a cassette that is there already.
        let options = CassetteOptions(replayAdvice: .commands(for: file))
        let active = try CassetteCommand.insert(session, file: file, mode: mode, options: options)
        context.print("\(active.transport.mode == .replay ? "replaying" : "recording to") \(Terminal.safe(file.path)) (mode \(active.transport.mode.rawValue))")
    }
}

struct ReplayCommand: ShellCommand {
    let session: NexudusSession
    let name = "replay"
    let examples = ["replay Cassettes/signin-and-profiles.har"]
    let summary = "Answer every request from a HAR cassette from now on; the network is not used."
    let signature = CommandSignature(
        positionals: [.init("file", help: "The .har file.", completion: .files(extensions: ["har"]))],
        options: [
            .init("allow-repeats", help: "When a request's recorded answers are used up, play the last one again."),
            .init("strict", help: "Make entries never asked for an error at cassette eject."),
        ]
    )

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let file = URL(fileURLWithPath: try invocation.file(0)!)
        try CassetteCommand.ejectQuietly(session, context)
        let options = CassetteOptions(
            allowRepeats: invocation.flag("allow-repeats"), replayAdvice: .commands(for: file), strictUnused: invocation.flag("strict")
        )
        let active = try CassetteCommand.insert(session, file: file, mode: .replay, options: options)
        let count = active.transport.entryCount
        context.print("replaying \(Terminal.safe(file.path)) (\(count) \(count == 1 ? "entry" : "entries"))")
    }
}

struct CassetteCommand: ShellCommand {
    let session: NexudusSession
    let name = "cassette"
    let examples = ["cassette", "cassette eject"]
    let summary = "Show the cassette in use; cassette eject stops using it and reports what it did."
    let signature = CommandSignature(positionals: [.init("action", help: "eject", isOptional: true, completion: .choices(["eject"]))])

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        if let word = arguments.positionals.first, let action = word.literal, action != "eject" {
            throw .usage(command: name, message: "unknown action '\(action)' (the only one is eject)", word.location, sourceLine: reading.line.text, usage: usage)
        }
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        if try invocation.positional(0) == "eject" {
            guard let active = session.cassette else {
                context.print("no cassette in use")
                return
            }
            do {
                if let summary = try session.ejectCassette() { context.print(Self.describe(summary)) }
            } catch {
                throw ShellError.failed("\(active.file.path): \(error)")
            }
            return
        }
        guard let active = session.cassette else {
            context.print("no cassette in use: the network answers (record <file> or replay <file> to use one)")
            return
        }
        context.print("\(Terminal.safe(active.file.path)) (mode \(active.transport.mode.rawValue))")
    }

    static func insert(_ session: NexudusSession, file: URL, mode: RecordMode, options: CassetteOptions = .init()) throws -> NexudusSession.ActiveCassette {
        do {
            return try session.insertCassette(file: file, mode: mode, options: options)
        } catch {
            throw ShellError.failed(String(describing: error))
        }
    }

    /// A cassette already in use is finished before another one starts.
    static func ejectQuietly(_ session: NexudusSession, _ context: ShellContext) throws {
        guard session.cassette != nil else { return }
        if let summary = try session.ejectCassette() { context.print(describe(summary)) }
    }

    static func describe(_ summary: CassetteSummary) -> String {
        Terminal.safe(summary.description)
    }
}

extension ReplayAdvice {
    /// In the words of the shell's commands, which work at the prompt and in a script alike:
    /// for a cassette a command put in, or one the interactive shell was started with.
    public static func commands(for file: URL) -> ReplayAdvice {
        let word = Tokenizer.escaped(file.path)
        return ReplayAdvice(
            appending: "record \(word) --mode new", startingOver: "record \(word)", repeating: "replay \(word) --allow-repeats"
        )
    }
}

import Foundation
import HTTPCassette
import ShellCore

struct RecordCommand: ShellCommand, CassetteOpening {
    let name = "record"
    let examples = ["record session.har", "record session.har --mode new"]
    let summary = "Record every exchange from now on into a HAR cassette (redacted)."
    let details = "Modes: record (start the file over), once (record only if the file is missing), new (keep it, append what it lacks)."
    static let file = Positional<FilePath>("file", help: "The .har file.", completion: .files(extensions: ["har"]))
    static let mode = ValueOption<RecordingMode>("mode", value: "mode", help: "record (default), once or new.")
    static let signature = CommandSignature(file, mode)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let session = context.nexudus
        let file = TypedPath.fileURL(try invocation[Self.file].path)
        let mode = try invocation[Self.mode]?.mode ?? .record
        try CassetteCommand.ejectQuietly(session, context)
        // `once` replays a cassette that is there already.
        let options = CassetteOptions(replayAdvice: .commands(for: file))
        let active = try CassetteCommand.insert(session, file: file, mode: mode, options: options)
        context.print("\(active.transport.mode == .replay ? "replaying" : "recording to") \(Terminal.safe(file.path)) (mode \(active.transport.mode.rawValue))")
    }
}

struct ReplayCommand: ShellCommand, CassetteOpening {
    let name = "replay"
    let examples = ["replay Cassettes/signin-and-profiles.har"]
    let summary = "Answer every request from a HAR cassette from now on; the network is not used."
    static let file = Positional<FilePath>("file", help: "The .har file.", completion: .files(extensions: ["har"]))
    static let allowRepeats = FlagOption("allow-repeats", help: "When a request's recorded answers are used up, play the last one again.")
    static let strict = FlagOption("strict", help: "Make entries never asked for an error at cassette eject.")
    static let signature = CommandSignature(file, allowRepeats, strict)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let session = context.nexudus
        let file = TypedPath.fileURL(try invocation[Self.file].path)
        try CassetteCommand.ejectQuietly(session, context)
        let options = CassetteOptions(
            allowRepeats: invocation[Self.allowRepeats], replayAdvice: .commands(for: file), strictUnused: invocation[Self.strict]
        )
        let active = try CassetteCommand.insert(session, file: file, mode: .replay, options: options)
        let count = active.transport.entryCount
        context.print("replaying \(Terminal.safe(file.path)) (\(count) \(count == 1 ? "entry" : "entries"))")
    }
}

struct CassetteCommand: ShellCommand {
    let name = "cassette"
    let examples = ["cassette", "cassette eject"]
    let summary = "Show the cassette in use; cassette eject stops using it and reports what it did."
    static let action = OptionalPositional<CassetteAction>("action", help: "eject")
    static let signature = CommandSignature(action)
    let scriptable = false

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let session = context.nexudus
        if try invocation[Self.action] == .eject {
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
            throw ShellError(error)
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

/// A command that puts a cassette in use (`record`, `replay`): a saved script writes the
/// cassettes a session used where they changed, not the lines as typed.
public protocol CassetteOpening: ShellCommand {}

/// `record`'s modes: what a recording does with a file that is there (`replay` replays).
struct RecordingMode: ArgumentValue {
    let mode: RecordMode
    static let modes: [RecordMode] = [.record, .once, .new]

    static func parse(_ text: String) throws(ArgumentError) -> RecordingMode {
        guard let mode = RecordMode(rawValue: text), modes.contains(mode) else {
            throw ArgumentError("--mode must be record, once or new (use replay <file> to replay)")
        }
        return RecordingMode(mode: mode)
    }

    static var completion: CompletionKind { .choices(modes.map(\.rawValue)) }
}

/// What `cassette` does besides showing the cassette in use.
enum CassetteAction: String, ActionWord {
    case eject
}

/// The commands of this file, in the order `help` lists them.
extension NexudusCommands {
    static let cassettes: [any ShellCommand] = [RecordCommand(), ReplayCommand(), CassetteCommand()]
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

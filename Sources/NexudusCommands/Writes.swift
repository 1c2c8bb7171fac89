import Foundation
import NexudusAPI
import ShellCore

/// How every write goes: it says what it will send, asks the person at a terminal (unless
/// `--yes`), sends, and says what happened.
///
/// The request line is a note (standard error in the app, with the errors), so that a
/// script's transcript shows what was sent where and standard output keeps only the answer. A script is never asked (running it was the
/// person's decision). A write the person declines sends nothing and is no failure: the line
/// succeeds, says so, and the last response stays what it was.
enum Write {
    static let yes = FlagOption("yes", help: "Send without asking first (a terminal asks before every write).")

    static func send(_ endpoint: Endpoint, _ invocation: Invocation, _ context: ShellContext) async throws {
        context.note(context.style.dim(announcement(of: endpoint)))
        if let prompter = context.prompter, !invocation[yes] {
            let answer = await prompter.readLine(prompt: "Send it? [y/N] ")
            guard let answer, ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased()) else {
                context.note("not sent: cancelled")
                return
            }
        }
        let answer = try await call(invocation, context) { try await context.nexudus.client.act(endpoint) }
        try show(answer, invocation, context) { confirmation, _ in
            Terminal.safe(confirmation.message ?? "done: \(endpoint.requestLine) (\(answer.response.status))")
        }
    }

    /// `POST /api/public/teams/55/members  ["a@example.com"]`: the request as it will go.
    static func announcement(of endpoint: Endpoint) -> String {
        let body = endpoint.body.map { "  " + String(decoding: $0.data, as: UTF8.self) } ?? ""
        return Terminal.safe(endpoint.requestLine + body)
    }

    /// `--yes` belongs to a write: on a line that only reads, it is a mistake worth saying.
    static func checkYes(_ arguments: ParsedArguments, isWrite: Bool, in reading: LineReading) throws(ShellError) {
        guard !isWrite, arguments.has(yes) else { return }
        let word = reading.line.words.last { $0.source == "--yes" }
        throw reading.usageError("--yes goes with a write (nothing is asked before a read)", at: word?.location ?? reading.end)
    }
}

/// The first word of a command that shows a thing by id and can also act on one, as `cassette
/// eject` acts on the cassette: `contract 5001`, or `contract pause 5001`.
enum ShownOrAction<ID: PositiveIdentifier, Action: ActionWord>: ArgumentValue {
    case shown(ID)
    case action(Action)

    /// An id keeps the id's own message: a word that is neither reads as a mistyped id.
    static func parse(_ text: String) throws(ArgumentError) -> Self {
        if let action = Action(rawValue: text) { return .action(action) }
        return .shown(try ID.parse(text))
    }

    static var completion: CompletionKind { Action.completion }

    /// The action the line's first word names, when it names one literally.
    static func literalAction(_ word: Word) -> Action? {
        word.literal.flatMap { Action(rawValue: $0) }
    }
}

/// An e-mail address as the service takes one: a name, one `@`, a domain with a dot; no spaces.
struct EmailAddress: ArgumentValue {
    let text: String

    static func parse(_ text: String) throws(ArgumentError) -> EmailAddress {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        let domain = parts.count == 2 ? parts[1] : ""
        guard parts.count == 2, !parts[0].isEmpty, domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."),
            text.utf8.count <= 254, !text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F })
        else {
            throw ArgumentError("'\(text)' is not an e-mail address: expected name@example.com")
        }
        return EmailAddress(text: text)
    }
}

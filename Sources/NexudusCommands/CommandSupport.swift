import Foundation
import HTTPCassette
import HTTPValues
import NexudusAPI
import ShellCore

/// Makes what the client, the network and cassettes throw into shell errors, and leaves the
/// answer that came with the error, if any, as the last response (so `expect` can look at it).
/// With `--json`, that answer's body is printed as received first, whatever its status, as
/// `get` prints it.
func shellError(_ error: any Error, _ invocation: Invocation, _ context: ShellContext) -> any Error {
    switch error {
    case let error as NexudusError:
        guard let exchange = error.exchange else { return ShellError(error) }
        context.received(exchange.response, for: exchange.request)
        if let format = try? invocation.bodyFormat, !exchange.response.body.isEmpty {
            context.print(BodyRenderer.render(exchange.response, format: format, style: context.style))
        }
        if case .actionFailed = error {
            return ShellError.requestFailed(status: exchange.response.status, message: error.description)
        }
        return exchange.response.status >= 400
            ? ShellError.requestFailed(status: exchange.response.status, message: error.description)
            : ShellError(error)
    default:
        return ShellError(error)
    }
}

/// Runs one client call, keeping its answer as the last response.
func call<Value>(
    _ invocation: Invocation, _ context: ShellContext, _ body: () async throws -> APIResponse<Value>
) async throws -> APIResponse<Value> {
    do {
        let answer = try await body()
        context.received(answer.response, for: answer.request)
        return answer
    } catch {
        throw shellError(error, invocation, context)
    }
}

/// One read that takes `--shape`: the client asked for those fields only, the answer kept as the
/// last response, and printed as received when shaped (a table cannot show a partial answer).
func showShaped<Value>(
    _ invocation: Invocation, _ context: ShellContext, _ fetch: ([String]?) async throws -> APIResponse<Value>,
    _ render: (Value, TextStyle) -> String
) async throws {
    let shape = try invocation[ShapeFields.option]?.fields
    let answer = try await call(invocation, context) { try await fetch(shape) }
    try show(answer, invocation, context, raw: shape != nil, render)
}

/// Prints an answer: the body as received with `--json` or `-o json|yaml` (or when `raw`, for
/// shaped answers a table cannot show), the readable rendering otherwise.
func show<Value>(
    _ answer: APIResponse<Value>, _ invocation: Invocation, _ context: ShellContext, raw: Bool = false,
    _ render: (Value, TextStyle) -> String
) throws {
    if let format = try invocation.bodyFormat ?? (raw ? .json : nil) {
        context.print(BodyRenderer.render(answer.response, format: format, style: context.style))
    } else {
        context.print(render(answer.value, context.style))
    }
}

extension ShellContext {
    /// The Nexudus session the commands of this shell talk through.
    var nexudus: NexudusSession { service(NexudusSession.self) }
}

/// `--shape A,B`: the fields the client asks for (`_shape`), nil when none are named.
struct ShapeFields: ArgumentValue {
    let fields: [String]?

    static func parse(_ text: String) -> ShapeFields {
        let fields = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return ShapeFields(fields: fields.isEmpty ? nil : fields)
    }

    static let option = ValueOption<ShapeFields>(
        "shape", value: "A,B", help: "Ask the server for these fields only (_shape): comma-separated dot paths."
    )
}

/// An id the server gives out: a whole number from 1 up. Each kind names itself in messages.
protocol PositiveIdentifier: ArgumentValue {
    /// `a profile id`.
    static var what: String { get }
    var value: Int { get }
    init(value: Int)
}

extension PositiveIdentifier {
    static func parse(_ text: String) throws(ArgumentError) -> Self {
        guard let number = Int(text), number > 0 else {
            throw ArgumentError("'\(text)' is not \(what): expected a whole number from 1 to \(Int.max)")
        }
        return Self(value: number)
    }
}

struct ProfileID: PositiveIdentifier {
    static let what = "a profile id"
    let value: Int
}

struct TeamID: PositiveIdentifier {
    static let what = "a team id"
    let value: Int
}

struct ContractID: PositiveIdentifier {
    static let what = "a contract id"
    let value: Int
}

/// What a command does besides showing its thing, named by the word after the command's name
/// (`cassette eject`, `contract pause`, `plans cancel`).
protocol ActionWord: RawRepresentable<String>, CaseIterable, ArgumentValue {}

extension ActionWord {
    static func parse(_ text: String) throws(ArgumentError) -> Self {
        guard let action = Self(rawValue: text) else {
            let words = allCases.map(\.rawValue)
            throw ArgumentError("unknown action '\(text)' (" + (words.count == 1 ? "the only one is \(words[0])" : "one of " + words.joined(separator: ", ")) + ")")
        }
        return action
    }

    static var completion: CompletionKind { .choices(allCases.map(\.rawValue)) }
}

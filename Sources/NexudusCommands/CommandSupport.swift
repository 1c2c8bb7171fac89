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
    case let error as ShellError:
        return error
    case let error as NexudusError:
        guard let exchange = error.exchange else { return ShellError.failed(error.description) }
        context.received(exchange.response, for: exchange.request)
        if invocation.flag("json"), !exchange.response.body.isEmpty {
            context.print(BodyRenderer.render(exchange.response, style: context.style))
        }
        if case .actionFailed = error {
            return ShellError.requestFailed(status: exchange.response.status, message: error.description)
        }
        return exchange.response.status >= 400
            ? ShellError.requestFailed(status: exchange.response.status, message: error.description)
            : ShellError.failed(error.description)
    case is CancellationError:
        return ShellError.failed("cancelled")
    default:
        return ShellError.failed(String(describing: error))
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

/// Prints an answer: the body as received with `--json` (or when `raw`, for shaped answers a
/// table cannot show), the readable rendering otherwise.
func show<Value>(
    _ answer: APIResponse<Value>, _ invocation: Invocation, _ context: ShellContext, raw: Bool = false,
    _ render: (Value, TextStyle) -> String
) {
    context.print(invocation.flag("json") || raw
        ? BodyRenderer.render(answer.response, style: context.style) : render(answer.value, context.style))
}

/// `--shape A,B` as the list the client sends.
func shapeList(_ text: String?) -> [String]? {
    guard let text else { return nil }
    let fields = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    return fields.isEmpty ? nil : fields
}

extension CommandSignature.Option {
    static let shape = CommandSignature.Option(
        "shape", value: "A,B", help: "Ask the server for these fields only (_shape): comma-separated dot paths."
    )
}

/// A positive whole number given literally is checked before the script runs; a variable is
/// checked when the line runs.
func checkPositiveNumber(_ word: Word, what: String, command: String, line: ScriptLine, usage: String) throws(ShellError) {
    guard let text = word.literal else { return }
    guard let number = Int(text), number > 0 else {
        throw .usage(command: command, message: "'\(text)' is not \(what): expected a whole number from 1 to \(Int.max)", word.location,
                     sourceLine: line.text, usage: usage)
    }
}

func positiveNumber(_ invocation: Invocation, at index: Int, what: String, usage: String) throws -> Int {
    let text = try invocation.positional(index) ?? ""
    guard let number = Int(text), number > 0 else {
        throw invocation.usageError("'\(text)' is not \(what): expected a whole number from 1 to \(Int.max)", at: invocation.arguments.positionals[index], usage: usage)
    }
    return number
}

import Foundation
import HTTPValues
import JSONValues

/// What `expect` and `capture` read from the last response: `status`, `header Name`, `body`,
/// a JSON path (`.Profiles[1].Id`, `.Profiles[*].FullName`), or `count(path)`.
public enum ResponseQuery: Sendable, Equatable, CustomStringConvertible {
    case status
    case header(String)
    case body
    case path(JSONPath)
    case count(JSONPath)

    public var description: String {
        switch self {
        case .status: "status"
        case .header(let name): "header \(name)"
        case .body: "body"
        case .path(let path): path.text
        case .count(let path): "count(\(path.text))"
        }
    }

    /// A header and the body are text by nature; the others give JSON values, typed.
    var isText: Bool {
        switch self {
        case .header, .body: true
        case .status, .path, .count: false
        }
    }

    /// Reads a query from the start of `words`; returns it and how many words it took.
    static func parse(_ words: [Word], errors: UsageErrors) throws(ShellError) -> (ResponseQuery, Int) {
        guard let first = words.first else {
            throw errors.at(errors.line.location, "missing what to check: status, header <name>, body, a JSON path (.User.Id) or count(path)")
        }
        let text = first.literal ?? first.source
        switch text {
        case "status": return (.status, 1)
        case "body": return (.body, 1)
        case "header":
            guard words.count > 1, let name = words[1].literal, !name.isEmpty else {
                throw errors.at(first, "header needs a header name")
            }
            return (.header(name), 2)
        default:
            if text.hasPrefix("count(") {
                guard text.hasSuffix(")") else {
                    throw errors.at(first, "count( needs a closing ')'")
                }
                let inner = String(text.dropFirst(6).dropLast())
                return (.count(try path(inner, at: first, offset: 6, errors: errors)), 1)
            }
            guard text.hasPrefix(".") || text.hasPrefix("$") || text.hasPrefix("[") else {
                throw errors.at(first, "'\(text)' is not something to check: use status, header <name>, body, a JSON path starting with '.', or count(path)")
            }
            return (.path(try path(text, at: first, offset: 0, errors: errors)), 1)
        }
    }

    private static func path(_ text: String, at word: Word, offset: Int, errors: UsageErrors) throws(ShellError) -> JSONPath {
        do {
            return try JSONPath(text)
        } catch {
            var location = word.location
            location.column += offset + error.column - 1
            throw errors.at(location, "bad JSON path '\(text)': \(error.message)")
        }
    }

    /// The value the query finds in `exchange`, or nil when there is none.
    public func evaluate(on exchange: HTTPExchange) throws(ShellError) -> JSONValue? {
        let response = exchange.response
        switch self {
        case .status:
            return .number(JSONNumber(response.status))
        case .header(let name):
            let values = response.headers.values(for: name)
            return values.isEmpty ? nil : .string(values.joined(separator: ", "))
        case .body:
            return .string(String(decoding: response.body, as: UTF8.self))
        case .path(let path):
            let found = path.values(in: try Self.json(of: response))
            if path.segments.contains(.wildcard) { return found.isEmpty ? nil : .array(found) }
            return found.first
        case .count(let path):
            let found = path.values(in: try Self.json(of: response))
            if !path.segments.contains(.wildcard), found.count == 1 {
                switch found[0] {
                case .array(let elements): return .number(JSONNumber(elements.count))
                case .object(let object): return .number(JSONNumber(object.count))
                default: break
                }
            }
            return .number(JSONNumber(found.count))
        }
    }

    static func json(of response: HTTPResponse) throws(ShellError) -> JSONValue {
        do {
            return try JSONValue.parse(response.body)
        } catch {
            let type = response.headers["Content-Type"] ?? "no content type"
            throw .failed("the last response (\(response.status), \(type)) is not JSON: \(error)")
        }
    }
}

/// A value written in a script: `"Jane Doe"` and `"102"` are text; unquoted `102`, `true`,
/// `null` are JSON; arrays and objects are JSON quoted or not (`'["a b"]'`, since a string in
/// them needs quotes); anything else is text. ``Expectation`` compares typed, so `"102"` never
/// equals the number 102.
struct ScriptValue: Sendable {
    let text: String
    let isQuoted: Bool

    var json: JSONValue {
        if isQuoted, !(text.hasPrefix("[") || text.hasPrefix("{")) { return .string(text) }
        if let value = try? JSONValue.parse(text) { return value }
        return .string(text)
    }

    /// How it reads in a message: JSON for values, quoted for text.
    var shown: String { json.serialized() }
}

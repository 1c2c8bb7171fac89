import Foundation
import JSONValues
import Yams

/// A cassette document from YAML or JSON, reduced to what the importers read. YAML's
/// `!!binary` scalars stay bytes.
enum Tree {
    case null
    case scalar(String)
    case binary(Data)
    case list([Tree])
    case map([(String, Tree)])

    subscript(key: String) -> Tree? {
        guard case .map(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    var text: String? {
        switch self {
        case .scalar(let text): text
        case .binary(let data): String(data: data, encoding: .utf8)
        default: nil
        }
    }

    var int: Int? { text.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    var list: [Tree]? {
        if case .list(let elements) = self { return elements }
        return nil
    }

    /// JSON when the text is JSON, YAML otherwise. Errors carry the line and column.
    static func parse(_ data: Data, path: String) throws(CassetteError) -> Tree {
        let firstByte = data.first { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }
        if firstByte == UInt8(ascii: "{") || firstByte == UInt8(ascii: "[") {
            do {
                return Tree(try JSONValue.parse(data))
            } catch {
                throw .importFailed(path: path, reason: "not valid JSON (line \(error.line), column \(error.column): \(error.message))")
            }
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .importFailed(path: path, reason: "not UTF-8 text, so neither JSON nor YAML")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw .importFailed(path: path, reason: "not valid YAML (\(describe(error)))")
        } catch {
            throw .importFailed(path: path, reason: "not valid YAML (\(error))")
        }
        guard let node else { throw .importFailed(path: path, reason: "the file is empty") }
        return Tree(node)
    }

    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .scalar(flag ? "true" : "false")
        case .number(let number): self = .scalar(number.text)
        case .string(let text): self = .scalar(text)
        case .array(let elements): self = .list(elements.map(Tree.init))
        case .object(let object): self = .map(object.members.map { ($0.key, Tree($0.value)) })
        }
    }

    init(_ node: Node) {
        switch node {
        case .scalar(let scalar):
            if scalar.tag == Tag(.binary), let data = Data(base64Encoded: scalar.string, options: .ignoreUnknownCharacters) {
                self = .binary(data)
            } else if scalar.tag == Tag(.null) {
                self = .null
            } else {
                self = .scalar(scalar.string)
            }
        case .mapping(let mapping):
            self = .map(mapping.map { (key, value) in (key.string ?? "", Tree(value)) })
        case .sequence(let sequence):
            self = .list(sequence.map(Tree.init))
        case .alias:
            self = .null
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            "line \(mark.line), column \(mark.column): \(problem)"
        case .reader(let problem, let offset, _, _):
            "byte \(offset ?? 0): \(problem)"
        default:
            "\(error)"
        }
    }
}

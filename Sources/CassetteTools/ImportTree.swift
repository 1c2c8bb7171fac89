import Foundation
import HTTPCassette
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
        var expansion = AliasExpansion()
        do {
            return try expansion.tree(node)
        } catch {
            throw .importFailed(path: path, reason: error.description)
        }
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

    /// A YAML scalar as the importers read it. A plain `null`, `~` or nothing at all is YAML's
    /// null (vcrpy writes a GET's body so); its tag is only known once resolved, which the
    /// node's `tag` does and the scalar's does not. A quoted `'null'` is text.
    init(_ scalar: Node.Scalar) {
        let tag = Node.scalar(scalar).tag
        if tag == Tag(.binary), let data = Data(base64Encoded: scalar.string, options: .ignoreUnknownCharacters) {
            self = .binary(data)
        } else if tag == Tag(.null) {
            self = .null
        } else {
            self = .scalar(scalar.string)
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

/// Builds the tree of a composed YAML document, in which an alias (`*name`) is the very node its
/// anchor names, met again. Real cassettes repeat a header map or two that way; a "billion
/// laughs" file nests aliases of aliases so that 500 bytes stand for gigabytes. What aliases
/// add is counted (a node, plus a scalar's bytes) and refused beyond ``limit``.
struct AliasExpansion {
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    static let limit = 1 << 20

    /// Where each node met so far starts: meeting one again means an alias led there.
    private var starts = Set<Start>()
    private var added = 0

    private struct Start: Hashable {
        let kind: Int
        let line: Int
        let column: Int
    }

    /// `alias`: where the anchor starts when an alias led here.
    mutating func tree(_ node: Node, alias: Mark? = nil) throws(Refusal) -> Tree {
        var alias = alias
        if alias == nil, let mark = node.mark, !starts.insert(Start(kind: Self.kind(node), line: mark.line, column: mark.column)).inserted {
            alias = mark
        }
        if let alias {
            added += 1 + (node.scalar?.string.utf8.count ?? 0)
            guard added <= Self.limit else {
                throw Refusal(description: "its YAML aliases expand it by more than \(Self.limit >> 20) MiB, the most an import accepts "
                    + "(a \"billion laughs\" file? the alias that crossed the limit repeats the anchor at line \(alias.line))")
            }
        }
        switch node {
        case .scalar(let scalar):
            return Tree(scalar)
        case .mapping(let mapping):
            var members: [(String, Tree)] = []
            for (key, value) in mapping { members.append((key.string ?? "", try tree(value, alias: alias))) }
            return .map(members)
        case .sequence(let sequence):
            var elements: [Tree] = []
            for element in sequence { elements.append(try tree(element, alias: alias)) }
            return .list(elements)
        case .alias:
            return .null
        }
    }

    private static func kind(_ node: Node) -> Int {
        switch node {
        case .scalar: 0
        case .mapping: 1
        case .sequence: 2
        case .alias: 3
        }
    }
}

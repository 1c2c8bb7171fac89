import Foundation
import JSONValues

/// `expect status 200`, `expect .Profiles[0].Id == 101`, `expect count(.Profiles) >= 2`,
/// `expect header Content-Type contains json`, `expect .User exists`,
/// `expect .Name matches /^Acme/`.
public struct Expectation: Sendable {
    public enum Operator: String, Sendable, CaseIterable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case contains
        case matches
        case exists
        case missing
    }

    public let query: ResponseQuery
    public let op: Operator
    let expected: ScriptValue?

    static let usage = "expect status <code> | expect <query> <op> <value> | expect <query> exists|missing"
        + "  (query: status, header <name>, body, .json.path, count(path); op: == != < <= > >= contains matches)"

    /// The statuses `expect status` compares with.
    static let statusRange = 100...599

    /// Reads the words after `expect`; variables in the value are expanded by `expand`, which
    /// returns nil for a value not known before the line runs.
    init(words: [Word], line: ScriptLine, expand: (Word) throws(ShellError) -> String?) throws(ShellError) {
        let (query, used) = try ResponseQuery.parse(words, line: line, command: "expect", usage: Self.usage)
        self.query = query
        var rest = Array(words.dropFirst(used))
        // `expect status 200` and `expect header Name value` default to equality.
        if let first = rest.first, let text = first.bareText, let op = Operator(rawValue: text) {
            self.op = op
            rest.removeFirst()
        } else if case .status = query, !rest.isEmpty {
            op = .equal
        } else if case .header = query, !rest.isEmpty {
            op = .equal
        } else {
            let at = rest.first ?? words.last!
            throw .usage(command: "expect", message: rest.isEmpty ? "missing an operator (==, !=, <, <=, >, >=, contains, matches, exists, missing)"
                         : "'\(at.source)' is not an operator (==, !=, <, <=, >, >=, contains, matches, exists, missing)",
                         rest.isEmpty ? SourceLocation(file: at.location.file, line: at.location.line, column: at.location.column + at.source.count) : at.location,
                         sourceLine: line.text, usage: Self.usage)
        }
        switch op {
        case .exists, .missing:
            guard rest.isEmpty else {
                throw .usage(command: "expect", message: "\(op.rawValue) takes no value", rest[0].location, sourceLine: line.text, usage: Self.usage)
            }
            expected = nil
        default:
            guard !rest.isEmpty else {
                let last = words.last!
                throw .usage(command: "expect", message: "missing the value to compare with",
                             SourceLocation(file: last.location.file, line: last.location.line, column: last.location.column + last.source.count),
                             sourceLine: line.text, usage: Self.usage)
            }
            var texts: [String] = []
            var total = 0
            var known = true
            for word in rest {
                guard let text = try expand(word) else {
                    known = false
                    continue
                }
                total += text.utf8.count
                try Variables.checkSize(total, "the words of this command")
                texts.append(text)
            }
            let text = texts.joined(separator: " ")
            expected = ScriptValue(text: text, isQuoted: rest.count == 1 && rest[0].isQuoted)
            if op == .matches, known, (try? regex()) == nil {
                throw .usage(command: "expect", message: "not a valid regular expression: \(text)", rest[0].location, sourceLine: line.text, usage: Self.usage)
            }
            if case .status = query, known, ![.contains, .matches].contains(op), Int(text).map(Self.statusRange.contains) != true {
                throw .usage(command: "expect", message: "'\(text)' is not an HTTP status: expected a whole number from \(Self.statusRange.lowerBound) to \(Self.statusRange.upperBound)",
                             rest[0].location, sourceLine: line.text, usage: Self.usage)
            }
        }
    }

    /// Checks the expectation against the last exchange; nil when it holds, else what failed.
    func check(_ exchange: ShellContext.Exchange?, line: ScriptLine) throws(ShellError) -> ExpectationFailure? {
        guard let exchange else {
            throw .failed("expect needs a response, and no request has been made yet")
        }
        let actual = try query.evaluate(on: exchange)
        let holds: Bool
        switch op {
        case .exists: holds = actual != nil
        case .missing: holds = actual == nil
        case .equal: holds = actual.map { Self.equal($0, expected!.json) } ?? false
        case .notEqual: holds = actual.map { !Self.equal($0, expected!.json) } ?? true
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let actual else { holds = false; break }
            guard let left = Self.number(actual), let right = Self.number(expected!.json) else {
                throw .failed("\(op.rawValue) compares numbers, but \(query) is \(actual.serialized()) and the value is \(expected!.shown)")
            }
            switch op {
            case .less: holds = left < right
            case .lessOrEqual: holds = left <= right
            case .greater: holds = left > right
            default: holds = left >= right
            }
        case .contains:
            holds = actual.map { Self.contains($0, expected!) } ?? false
        case .matches:
            holds = actual.map { value in
                let text = value.stringValue ?? value.serialized()
                return (try? regex())?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            } ?? false
        }
        guard !holds else { return nil }
        let expectedText: String
        switch op {
        case .exists: expectedText = "\(query) to exist"
        case .missing: expectedText = "\(query) to be absent"
        case .equal: expectedText = expected!.shown
        default: expectedText = "\(op.rawValue) \(expected!.shown)"
        }
        return ExpectationFailure(
            location: line.location, sourceLine: line.text, expected: expectedText,
            actual: actual.map { Self.describe($0) } ?? "nothing at \(query)"
        )
    }

    private func regex() throws -> NSRegularExpression {
        var pattern = expected?.text ?? ""
        if pattern.count >= 2, pattern.hasPrefix("/"), pattern.hasSuffix("/") { pattern = String(pattern.dropFirst().dropLast()) }
        return try NSRegularExpression(pattern: pattern)
    }

    /// Equal as JSON, or as text when one side is text (`expect header Content-Length == 643`).
    static func equal(_ actual: JSONValue, _ expected: JSONValue) -> Bool {
        if actual == expected { return true }
        switch (actual, expected) {
        case (.string(let text), _): return text == expected.serialized()
        case (_, .string(let text)): return actual.serialized() == text
        default: return false
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let number): number.doubleValue
        case .string(let text): Double(text)
        default: nil
        }
    }

    /// Text contains text; an array contains an element; an object contains a member name.
    static func contains(_ actual: JSONValue, _ expected: ScriptValue) -> Bool {
        switch actual {
        case .string(let text): text.contains(expected.text)
        case .array(let elements): elements.contains { equal($0, expected.json) }
        case .object(let object): object[expected.text] != nil
        default: actual.serialized().contains(expected.text)
        }
    }

    static func describe(_ value: JSONValue) -> String {
        let text = value.serialized()
        return text.count > 300 ? String(text.prefix(300)) + "… (\(text.count) characters)" : text
    }
}

/// An expectation that did not hold: where, and expected against actual.
public struct ExpectationFailure: Sendable, Equatable {
    public let location: SourceLocation
    public let sourceLine: String
    public let expected: String
    public let actual: String

    func rendered(style: TextStyle) -> String {
        [
            style.error("\(location): expectation failed: ") + Terminal.safe(sourceLine.trimmingCharacters(in: .whitespaces)),
            "    expected: " + Terminal.safe(expected),
            "    actual:   " + Terminal.safe(actual),
        ].joined(separator: "\n")
    }
}

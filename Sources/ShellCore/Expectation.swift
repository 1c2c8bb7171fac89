import Foundation
import HTTPValues
import JSONValues

/// `expect status 200`, `expect .Profiles[0].Id == 101`, `expect count(.Profiles) >= 2`,
/// `expect header Content-Type contains json`, `expect .User exists`,
/// `expect .Name matches /^Acme/`, `expect .Id is number`.
///
/// Typed: a JSON value equals only a value of its own type, so `expect .Id == "101"` fails on
/// the number 101 (a quoted value is text; see ``ScriptValue``). A header and the body are text,
/// compared with the value's text.
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
        case isType = "is"
        case exists
        case missing

        var comparesNumbers: Bool { [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(self) }

        /// `==, !=, <, …`: for messages.
        static let list = allCases.map(\.rawValue).joined(separator: ", ")
    }

    public let query: ResponseQuery
    public let op: Operator
    let expected: ScriptValue?

    /// Short enough for one line under an error; `help expect` lists the forms and the types.
    static let usage = "expect status <code> | expect <query> <op> <value> | expect <query> exists|missing"
        + "  (query: status, header <name>, body, .json.path, count(path); op: == != < <= > >= contains matches is)"

    /// The statuses `expect status` compares with.
    static let statusRange = 100...599

    /// Reads the words after `expect`; variables in the value are expanded by `expand`, which
    /// returns nil for a value not known before the line runs. A value known now is checked
    /// now (a status that is not one, a type that is not one), so that reading a script finds it.
    init(words: [Word], line: ScriptLine, expand: (Word) throws(ShellError) -> String?) throws(ShellError) {
        let errors = UsageErrors(command: "expect", usage: Self.usage, line: line)
        let (query, used) = try ResponseQuery.parse(words, errors: errors)
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
            throw rest.isEmpty ? errors.at(at.end, "missing an operator (\(Operator.list))")
                : errors.at(at, "'\(at.source)' is not an operator (\(Operator.list))")
        }
        switch op {
        case .exists, .missing:
            guard rest.isEmpty else {
                throw errors.at(rest[0], "\(op.rawValue) takes no value")
            }
            expected = nil
        default:
            guard !rest.isEmpty else {
                throw errors.at(words.last!.end, op == .isType ? "missing the type (\(Self.typeList))" : "missing the value to compare with")
            }
            // The known words, joined by spaces (appended rather than `joined`, whose first
            // use looks up conformances: 20 µs of a one-line script).
            var text = ""
            var hasText = false
            var known = true
            for word in rest {
                guard let wordText = try expand(word) else {
                    known = false
                    continue
                }
                if hasText { text += " " }
                text += wordText
                hasText = true
                try Variables.checkSize(text.utf8.count, "the words of this command")
            }
            let value = ScriptValue(text: text, isQuoted: rest.count == 1 && rest[0].isQuoted)
            expected = value
            if known { try check(value, at: rest[0], errors: errors) }
        }
    }

    /// `string, number, boolean, null, array or object`.
    static let typeList = JSONValue.kindNames.dropLast().joined(separator: ", ") + " or " + JSONValue.kindNames.last!

    /// What can be told wrong about a value before any response: a regular expression that does
    /// not compile, a type that is not one, text where only a number can do.
    private func check(_ value: ScriptValue, at word: Word, errors: UsageErrors) throws(ShellError) {
        func mistake(_ message: String) -> ShellError {
            errors.at(word, message)
        }
        /// The value must be a number: `what` says why.
        func requireNumber(_ what: String) throws(ShellError) {
            guard value.json.numberValue == nil else { return }
            if value.isQuoted, (try? JSONValue.parse(value.text))?.numberValue != nil {
                throw mistake("'\(word.source)' is quoted, so it is text; \(what): write \(value.text)")
            }
            throw mistake("'\(value.text)' is not a number; \(what)")
        }
        switch op {
        case .matches:
            if (try? Self.regex(value.text)) == nil { throw mistake("not a valid regular expression: \(value.text)") }
        case .isType:
            if !JSONValue.kindNames.contains(value.text) { throw mistake("'\(value.text)' is not a type: \(Self.typeList)") }
        case .contains, .exists, .missing:
            break
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            switch query {
            case .status:
                if value.isQuoted, Int(value.text) != nil {
                    throw mistake("'\(word.source)' is quoted, so it is text; a status is a number: write \(value.text)")
                }
                guard let status = Int(value.text), Self.statusRange.contains(status) else {
                    throw mistake("'\(value.text)' is not an HTTP status: expected a whole number from \(Self.statusRange.lowerBound) to \(Self.statusRange.upperBound)")
                }
            case .count where !op.comparesNumbers:
                try requireNumber("\(query) is a number")
            case .count, .header, .body, .path:
                if op.comparesNumbers { try requireNumber("\(op.rawValue) compares numbers") }
            }
        }
    }

    /// Checks the expectation against the last exchange; nil when it holds, else what failed.
    func check(_ exchange: HTTPExchange?, line: ScriptLine) throws(ShellError) -> ExpectationFailure? {
        guard let exchange else {
            throw .failed("expect needs a response, and no request has been made yet")
        }
        let actual = try query.evaluate(on: exchange)
        let holds: Bool
        switch op {
        case .exists: holds = actual != nil
        case .missing: holds = actual == nil
        case .isType: holds = actual?.kindName == expected!.text
        case .equal: holds = actual.map { equal($0, expected!.json) } ?? false
        case .notEqual: holds = actual.map { !equal($0, expected!.json) } ?? true
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let left = actual.flatMap(number), let right = expected!.json.numberValue?.doubleValue else {
                holds = false
                break
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
                return (try? Self.regex(expected!.text))?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            } ?? false
        }
        guard !holds else { return nil }
        // Where the type is what went wrong, both sides say their type: "the string "101"" and
        // "the number 101" would otherwise both read 101.
        let typeMatters = switch op {
        case .isType: true
        case .equal: !query.isText && actual.map { $0.kindName != expected!.json.kindName } ?? false
        case .less, .lessOrEqual, .greater, .greaterOrEqual: actual.map { number($0) == nil } ?? false
        default: false
        }
        let expectedText: String
        switch op {
        case .exists: expectedText = "\(query) to exist"
        case .missing: expectedText = "\(query) to be absent"
        case .isType: expectedText = Self.typeName(expected!.text)
        case .equal: expectedText = typeMatters ? Self.describeTyped(expected!.json) : expected!.shown
        default: expectedText = "\(op.rawValue) \(expected!.shown)"
        }
        return ExpectationFailure(
            location: line.location, sourceLine: line.text, expected: expectedText,
            actual: actual.map { typeMatters ? Self.describeTyped($0) : Self.describe($0) } ?? "nothing at \(query)"
        )
    }

    private static func regex(_ text: String) throws -> NSRegularExpression {
        var pattern = text
        if pattern.count >= 2, pattern.hasPrefix("/"), pattern.hasSuffix("/") { pattern = String(pattern.dropFirst().dropLast()) }
        return try NSRegularExpression(pattern: pattern)
    }

    /// Equal as JSON, type and all; a header or the body is text, equal to the value's text
    /// (`expect header Content-Length == 643`).
    private func equal(_ actual: JSONValue, _ expected: JSONValue) -> Bool {
        guard query.isText, case .string(let text) = actual else { return actual == expected }
        return text == (expected.stringValue ?? expected.serialized())
    }

    /// A number as the query gives it: a JSON number, or a header's or the body's text that
    /// reads as one.
    private func number(_ value: JSONValue) -> Double? {
        if query.isText, case .string(let text) = value { return Double(text) }
        return value.numberValue?.doubleValue
    }

    /// Text contains text; an array contains an element (of the same type); an object contains
    /// a member name.
    static func contains(_ actual: JSONValue, _ expected: ScriptValue) -> Bool {
        switch actual {
        case .string(let text): text.contains(expected.text)
        case .array(let elements): elements.contains(expected.json)
        case .object(let object): object[expected.text] != nil
        default: actual.serialized().contains(expected.text)
        }
    }

    static func describe(_ value: JSONValue) -> String {
        let text = value.serialized()
        return text.count > 300 ? String(text.prefix(300)) + "… (\(text.count) characters)" : text
    }

    /// `the string "101"`, `the number 101`, `null`.
    static func describeTyped(_ value: JSONValue) -> String {
        value.isNull ? "null" : "the \(value.kindName) \(describe(value))"
    }

    /// `a number`, `an array`, `null`: what `is TYPE` expected.
    static func typeName(_ kind: String) -> String {
        switch kind {
        case "null": "null"
        case "array", "object": "an \(kind)"
        default: "a \(kind)"
        }
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

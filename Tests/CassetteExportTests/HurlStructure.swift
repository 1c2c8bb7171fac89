import Foundation

/// A reader of the part of Hurl's grammar (https://hurl.dev/docs/grammar.html) that
/// `cassette export --hurl` writes: Hurl itself cannot be installed here, so the exported file
/// is read back with this and compared with the cassette. Anything else in the file (a line in
/// no place Hurl allows it) is an error, so that the test notices a file Hurl would refuse.
struct HurlStructure {
    struct Entry {
        var method: String
        var url: String
        var headers: [(name: String, value: String)] = []
        /// Request sections by name (`FormParams`), their `key: value` lines.
        var sections: [String: [(name: String, value: String)]] = [:]
        var body: [String] = []
        var status: Int?
        var asserts: [Assert] = []
    }

    struct Assert: Equatable {
        /// The JSONPath (`$.Id`, `$`).
        let path: String
        /// `== VALUE`, `count == N` or `exists`.
        let predicate: String
        /// A quoted string's text, or a literal as written (`42`, `true`, `null`).
        let value: String?
    }

    struct Mistake: Error, CustomStringConvertible {
        let description: String
    }

    var entries: [Entry] = []

    init(_ text: String) throws {
        enum Place { case start, requestHeaders, requestSection(String), body, response, asserts }
        var place = Place.start
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).enumerated() {
            func mistake(_ what: String) -> Mistake { Mistake(description: "line \(number + 1): \(what): \(line)") }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if case .body = place, !trimmed.hasPrefix("HTTP ") {
                entries[entries.count - 1].body.append(line)
                continue
            }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if let match = trimmed.wholeMatch(of: /HTTP ([0-9]{3})/) {
                guard !entries.isEmpty else { throw mistake("a response before any request") }
                entries[entries.count - 1].status = Int(match.1)
                place = .response
                continue
            }
            if let match = trimmed.wholeMatch(of: /([A-Z]+) (\S+)/), line.first != " " {
                if case .requestHeaders = place { throw mistake("a request inside a request") }
                entries.append(Entry(method: String(match.1), url: try Self.unescape(String(match.2))))
                place = .requestHeaders
                continue
            }
            guard !entries.isEmpty else { throw mistake("before any request") }
            if let match = trimmed.wholeMatch(of: /\[([A-Za-z]+)\]/) {
                switch (place, String(match.1)) {
                case (.response, "Asserts"): place = .asserts
                case (.requestHeaders, let name), (.requestSection, let name): place = .requestSection(name)
                default: throw mistake("a section out of place")
                }
                continue
            }
            switch place {
            case .requestHeaders, .requestSection:
                if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") || trimmed.hasPrefix("base64,") {
                    entries[entries.count - 1].body.append(line)
                    place = .body
                } else if case .requestSection(let name) = place {
                    entries[entries.count - 1].sections[name, default: []].append(try Self.keyValue(trimmed))
                } else {
                    entries[entries.count - 1].headers.append(try Self.keyValue(trimmed))
                }
            case .asserts:
                guard let match = trimmed.wholeMatch(of: /jsonpath "([^"]*)" (== (.+)|count == ([0-9]+)|exists)/) else {
                    throw mistake("not an assert")
                }
                let assert: Assert = if let value = match.3 {
                    Assert(path: String(match.1), predicate: "==", value: value.hasPrefix("\"") ? try Self.unquote(String(value)) : String(value))
                } else if let count = match.4 {
                    Assert(path: String(match.1), predicate: "count ==", value: String(count))
                } else {
                    Assert(path: String(match.1), predicate: "exists", value: nil)
                }
                entries[entries.count - 1].asserts.append(assert)
            default:
                throw mistake("not in any place")
            }
        }
    }

    /// `name: value`, the name's `\:` and the value's escapes undone.
    static func keyValue(_ line: String) throws -> (name: String, value: String) {
        var name = ""
        var index = line.startIndex
        while index < line.endIndex, line[index] != ":" {
            if line[index] == "\\" { index = line.index(after: index) }
            guard index < line.endIndex else { break }
            name.append(line[index])
            index = line.index(after: index)
        }
        guard index < line.endIndex else { throw Mistake(description: "no ':' in \(line)") }
        let value = line[line.index(after: index)...].trimmingCharacters(in: .whitespaces)
        return (name, try unescape(value))
    }

    /// A value's escapes undone (`\#`, `\\`, `\n`, `\u{7b}`); templates are left as written.
    static func unescape(_ text: String) throws -> String {
        var output = ""
        var characters = text.makeIterator()
        while let character = characters.next() {
            guard character == "\\" else {
                output.append(character)
                continue
            }
            switch characters.next() {
            case "n": output += "\n"
            case "r": output += "\r"
            case "t": output += "\t"
            case "u":
                guard characters.next() == "{" else { throw Mistake(description: "bad \\u in \(text)") }
                var hex = ""
                while let digit = characters.next(), digit != "}" { hex.append(digit) }
                guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else { throw Mistake(description: "bad \\u in \(text)") }
                output.unicodeScalars.append(scalar)
            case let escaped?: output.append(escaped)
            case nil: throw Mistake(description: "a lone backslash in \(text)")
            }
        }
        return output
    }

    static func unquote(_ text: String) throws -> String {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { throw Mistake(description: "not quoted: \(text)") }
        return try unescape(String(text.dropFirst().dropLast()))
    }
}

import Foundation
import HTTPCassette
import HTTPValues

/// Replaces learned personal values inside texts that have no structure to follow (a message,
/// an HTML page, a header, a script line), in one pass so that a fake is never itself
/// replaced: a learned text where it stands as a whole word or phrase, and a learned id where a
/// number stands on its own (not in a date, a time, a decimal or a longer word).
struct PersonalText {
    private let expression: NSRegularExpression?

    init(learned: Pseudonyms) {
        let texts = learned.kinds.keys.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
        var alternatives = [#"(?<![\p{L}\p{N}_.:-])\d+(?![\p{L}\p{N}_:-]|\.\d)"#]
        if !texts.isEmpty {
            let phrases = texts.map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|")
            alternatives.insert(#"(?<![\p{L}\p{N}])(?:"# + phrases + #")(?![\p{L}\p{N}])"#, at: 0)
        }
        expression = try? NSRegularExpression(pattern: alternatives.joined(separator: "|"))
    }

    /// How numbers in a text are treated: left alone, mapped when they have at least two
    /// digits (free text, where `Room 1` is no id), or mapped whatever their length (a script's
    /// argument or an id member's expected value).
    enum Numbers {
        case kept, free, argument

        var minimumDigits: Int? {
            switch self {
            case .kept: nil
            case .free: 2
            case .argument: 1
            }
        }
    }

    /// `quotingWords`: a script's word replaced by a fake of several words is quoted, so that
    /// it stays one argument (`== Jane` becomes `== "Person 3F2A"`).
    func replace(_ text: String, numbers: Numbers, quotingWords: Bool = false, pseudonyms: inout Pseudonyms) -> String {
        guard let expression, !text.isEmpty else { return text }
        var result = ""
        var copied = text.startIndex
        for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range, in: text) else { continue }
            let found = String(text[range])
            let replacement: String?
            if let first = found.first, first.isASCIIDigit, found.allSatisfy(\.isASCIIDigit) {
                replacement = numbers.minimumDigits.flatMap { found.count >= $0 ? Int(found) : nil }
                    .flatMap { pseudonyms.fakeID(for: $0) }.map(String.init)
            } else {
                replacement = pseudonyms.fake(for: found)
            }
            guard var replacement else { continue }
            if quotingWords, replacement.contains(" "), !found.contains(" "), Self.standsAlone(range, in: text) {
                replacement = "\"\(replacement)\""
            }
            result += text[copied..<range.lowerBound] + replacement
            copied = range.upperBound
        }
        guard copied != text.startIndex else { return text }
        return result + text[copied...]
    }

    /// The learned texts that stand in `text` (what ``replace(_:numbers:quotingWords:pseudonyms:)``
    /// would replace, ids aside).
    func learnedTexts(in text: String, learned: Pseudonyms) -> [String] {
        guard let expression, !text.isEmpty else { return [] }
        return PersonalPatterns.matches(expression, in: text).map(String.init).filter { learned.isKnown($0) }
    }

    private static func standsAlone(_ range: Range<String.Index>, in text: String) -> Bool {
        (range.lowerBound == text.startIndex || text[text.index(before: range.lowerBound)].isWhitespace)
            && (range.upperBound == text.endIndex || text[range.upperBound].isWhitespace)
    }
}

/// URLs, queries and form bodies: each value is decoded, replaced as a whole when it is a
/// learned value (or an id under an id's name), and encoded again only if it changed.
enum PersonalURL {
    /// Path segments that are ids after a collection of people, teams or contracts, query
    /// parameters named as an id member, and emails anywhere.
    static func learn(from url: String, into pseudonyms: inout Pseudonyms) {
        let (_, path, query) = parts(of: url)
        var previous = ""
        for segment in path.split(separator: "/") {
            if let id = Int(segment), PersonalFields.personalCollections.contains(previous.lowercased()) { pseudonyms.learnID(id) }
            previous = String(segment)
        }
        if let query { learn(pairs: query, plusIsSpace: false, into: &pseudonyms) }
        for email in PersonalPatterns.emails(in: PercentEncoding.decode(url)) { pseudonyms.learn(String(email), kind: .email) }
    }

    static func learn(pairs: Substring, plusIsSpace: Bool, into pseudonyms: inout Pseudonyms) {
        for pair in pairs.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            learn(parameter: PercentEncoding.decode(parts[0]), value: PercentEncoding.decode(parts[1], plusIsSpace: plusIsSpace), into: &pseudonyms)
        }
    }

    /// A decoded query parameter or form field: an id under an id's name, emails anywhere.
    static func learn(parameter name: String, value: String, into pseudonyms: inout Pseudonyms) {
        if PersonalFields.isPersonalIdParameter(name), let id = Int(value) { pseudonyms.learnID(id) }
        for email in PersonalPatterns.emails(in: value) { pseudonyms.learn(String(email), kind: .email) }
    }

    static func rewrite(_ url: String, text: PersonalText, pseudonyms: inout Pseudonyms) -> String {
        let (origin, path, query) = parts(of: url)
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            let decoded = PercentEncoding.decode(segment)
            let rewritten = rewrite(value: decoded, idName: true, text: text, pseudonyms: &pseudonyms)
            return rewritten == decoded ? String(segment) : PercentEncoder.unreserved.encode(rewritten)
        }
        var result = origin + segments.joined(separator: "/")
        if let query {
            result += "?" + rewrite(pairs: query, plusIsSpace: false, encoder: .queryValue, text: text, pseudonyms: &pseudonyms)
        }
        return result
    }

    static func rewrite(
        pairs: Substring, plusIsSpace: Bool, encoder: PercentEncoder, text: PersonalText, pseudonyms: inout Pseudonyms
    ) -> String {
        pairs.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return String(pair) }
            let value = PercentEncoding.decode(parts[1], plusIsSpace: plusIsSpace)
            let rewritten = rewrite(parameter: PercentEncoding.decode(parts[0]), value: value, text: text, pseudonyms: &pseudonyms)
            return rewritten == value ? String(pair) : "\(parts[0])=\(encoder.encode(rewritten))"
        }.joined(separator: "&")
    }

    static func rewrite(parameter name: String, value: String, text: PersonalText, pseudonyms: inout Pseudonyms) -> String {
        let idName = PersonalFields.isPersonalIdParameter(name) || name.lowercased().hasSuffix("id")
        return rewrite(value: value, idName: idName, text: text, pseudonyms: &pseudonyms)
    }

    /// A whole value: a learned text, a learned id where ids are named, or else the texts in it.
    static func rewrite(
        value: String, idName: Bool, numbers: PersonalText.Numbers = .kept, text: PersonalText, pseudonyms: inout Pseudonyms
    ) -> String {
        if RedactionRules.isPlaceholder(value) { return value }
        if idName, let id = Int(value), value.allSatisfy(\.isASCIIDigit), let fake = pseudonyms.fakeID(for: id) { return String(fake) }
        if let fake = pseudonyms.fake(for: value) { return fake }
        return text.replace(value, numbers: numbers, pseudonyms: &pseudonyms)
    }

    /// `https://host` (or empty), the path, and the query after `?` (a fragment stays in it).
    private static func parts(of url: String) -> (origin: String, path: Substring, query: Substring?) {
        var rest = url[...]
        var origin = ""
        if let scheme = rest.range(of: "://") {
            let pathStart = rest[scheme.upperBound...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            origin = String(rest[..<pathStart])
            rest = rest[pathStart...]
        }
        guard let mark = rest.firstIndex(of: "?") else { return (origin, rest, nil) }
        return (origin, rest[..<mark], rest[rest.index(after: mark)...])
    }
}

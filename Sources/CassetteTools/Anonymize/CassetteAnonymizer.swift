import Foundation
import HTTPCassette
import HTTPValues
import JSONValues

/// Replaces the personal data of a cassette with consistent pseudonyms: first every exchange
/// (and script) is read to learn which values are personal, then every place they appear is
/// rewritten, so that a value met first in a response is also replaced in the request before
/// it, and an anonymized script replays against the anonymized exchanges.
///
/// Redaction placeholders stay as they are: secrets are the redactor's business.
public struct CassetteAnonymizer {
    public let fields: PersonalFields
    public private(set) var pseudonyms: Pseudonyms
    private var text: PersonalText?

    /// The last member names of the `--field` rules: numbers there are ids too.
    private let ruleKeys: Set<String>

    public init(fields: PersonalFields = PersonalFields(), pseudonyms: Pseudonyms = Pseudonyms()) {
        self.fields = fields
        self.pseudonyms = pseudonyms
        ruleKeys = Set(fields.rules.compactMap { rule in
            rule.path.segments.reversed().lazy.compactMap { if case .key(let key) = $0 { key } else { nil } }.first
        })
    }

    // MARK: Learning

    public mutating func learn(from cassette: Cassette) {
        precondition(text == nil, "learn everything before rewriting")
        for entry in cassette.entries {
            PersonalURL.learn(from: entry.request.url, into: &pseudonyms)
            if let body = entry.request.postData?.text.map({ Self.decoded($0, base64: entry.request.postData?.extensions["_encoding"]?.stringValue) }) {
                learn(body: body)
            }
            for param in entry.request.postData?.params ?? [] {
                PersonalURL.learn(parameter: param.name, value: param.value ?? "", into: &pseudonyms)
            }
            if let body = entry.response.content.text.map({ Self.decoded($0, base64: entry.response.content.encoding) }) {
                learn(body: body)
            }
            for header in entry.request.headers + entry.response.headers {
                learnEmails(in: header.value)
            }
        }
    }

    /// The emails a script or a variable names (`login jane@…`).
    public mutating func learn(text: String) {
        learnEmails(in: text)
    }

    private mutating func learn(body: String) {
        if let document = Self.json(body) {
            learn(json: document, key: nil, parent: nil)
            for rule in fields.rules {
                for value in rule.path.values(in: document) {
                    for element in value.arrayValue ?? [value] {
                        guard let kind = rule.kind ?? PersonalFields.inferredKind(of: element) else { continue }
                        learn(element, kind: kind)
                    }
                }
            }
        } else if FormBody.looksLikeForm(body) {
            PersonalURL.learn(pairs: body[...], plusIsSpace: true, into: &pseudonyms)
        } else {
            learnEmails(in: body)
        }
    }

    private mutating func learn(json value: JSONValue, key: String?, parent: String?) {
        switch value {
        case .object(let object):
            for member in object.members { learn(json: member.value, key: member.key, parent: key) }
        case .array(let elements):
            for element in elements { learn(json: element, key: key, parent: parent) }
        case .number(let number):
            if let int = number.intValue { pseudonyms.noteNumber(int) }
            fallthrough
        case .string:
            if let key, let kind = fields.kind(ofMember: key, parent: parent) { learn(value, kind: kind) }
            if let string = value.stringValue { learnEmails(in: string) }
        case .null, .bool:
            break
        }
    }

    private mutating func learn(_ value: JSONValue, kind: PersonalKind) {
        switch (value, kind) {
        case (.number(let number), .id): number.intValue.map { pseudonyms.learnID($0) }
        case (.string(let string), .id): Int(string).map { pseudonyms.learnID($0) }
        case (.string(let string), _) where !RedactionRules.isPlaceholder(string): pseudonyms.learn(string, kind: kind)
        default: break
        }
    }

    private mutating func learnEmails(in text: String) {
        for email in PersonalPatterns.emails(in: text) { pseudonyms.learn(String(email), kind: .email) }
    }

    // MARK: Rewriting

    private mutating func replacer() -> PersonalText {
        if let text { return text }
        let made = PersonalText(learned: pseudonyms)
        text = made
        return made
    }

    public mutating func anonymize(_ entry: HAR.Entry) -> HAR.Entry {
        var entry = entry
        let text = replacer()
        entry.request.url = PersonalURL.rewrite(entry.request.url, text: text, pseudonyms: &pseudonyms)
        entry.request.queryString = entry.request.queryString.map { item in
            var item = item
            item.value = PersonalURL.rewrite(parameter: item.name, value: item.value, text: text, pseudonyms: &pseudonyms)
            return item
        }
        if !entry.response.redirectURL.isEmpty {
            entry.response.redirectURL = PersonalURL.rewrite(entry.response.redirectURL, text: text, pseudonyms: &pseudonyms)
        }
        entry.request.headers = anonymize(headers: entry.request.headers)
        entry.response.headers = anonymize(headers: entry.response.headers)
        entry.request.cookies = entry.request.cookies.map { anonymize(cookie: $0) }
        entry.response.cookies = entry.response.cookies.map { anonymize(cookie: $0) }
        if var postData = entry.request.postData {
            let base64 = postData.extensions["_encoding"]?.stringValue
            if let body = postData.text {
                postData.text = anonymize(body: body, base64: base64, isForm: FormBody.isForm(postData.mimeType))
                if postData.text != body, entry.request.bodySize >= 0 { entry.request.bodySize = Self.decoded(postData.text!, base64: base64).utf8.count }
            }
            postData.params = postData.params?.map { param in
                var param = param
                param.value = param.value.map { PersonalURL.rewrite(parameter: param.name, value: $0, text: text, pseudonyms: &pseudonyms) }
                return param
            }
            entry.request.postData = postData
        }
        if let body = entry.response.content.text {
            let encoding = entry.response.content.encoding
            let rewritten = anonymize(body: body, base64: encoding, isForm: FormBody.isForm(entry.response.content.mimeType))
            if rewritten != body {
                entry.response.content.text = rewritten
                resize(&entry.response, to: Self.decoded(rewritten, base64: encoding).utf8.count)
            }
        }
        return entry
    }

    /// A bundle's script: texts everywhere, ids where the script names one (see
    /// ``ScriptLiterals``).
    public mutating func anonymize(script: String) -> String {
        let text = replacer()
        return ScriptLiterals.rewrite(script) { line, numbers, isCommand in
            text.replace(line, numbers: numbers, quotingWords: isCommand, pseudonyms: &pseudonyms)
        }
    }

    /// A script variable's value: a learned value or id as a whole, or the texts in it.
    public mutating func anonymize(variable value: String) -> String {
        let text = replacer()
        return PersonalURL.rewrite(value: value, idName: true, text: text, pseudonyms: &pseudonyms)
    }

    private mutating func anonymize(headers: [HAR.NameValue]) -> [HAR.NameValue] {
        let text = replacer()
        return headers.map { header in
            var header = header
            let lowercased = header.name.lowercased()
            header.value = ["location", "content-location", "referer"].contains(lowercased)
                ? PersonalURL.rewrite(header.value, text: text, pseudonyms: &pseudonyms)
                : text.replace(header.value, numbers: .kept, pseudonyms: &pseudonyms)
            return header
        }
    }

    private mutating func anonymize(cookie: HAR.Cookie) -> HAR.Cookie {
        var cookie = cookie
        cookie.value = replacer().replace(cookie.value, numbers: .kept, pseudonyms: &pseudonyms)
        return cookie
    }

    private mutating func anonymize(body: String, base64: String?, isForm: Bool) -> String {
        let decoded = Self.decoded(body, base64: base64)
        let text = replacer()
        let rewritten: String
        if let document = Self.json(decoded) {
            let anonymized = anonymize(json: document, key: nil, parent: nil)
            rewritten = anonymized == document ? decoded : anonymized.serialized()
        } else if isForm || FormBody.looksLikeForm(decoded) {
            rewritten = PersonalURL.rewrite(pairs: decoded[...], plusIsSpace: true, encoder: .unreserved, text: text, pseudonyms: &pseudonyms)
        } else {
            rewritten = text.replace(decoded, numbers: .free, pseudonyms: &pseudonyms)
        }
        guard rewritten != decoded else { return body }
        return base64?.lowercased() == "base64" ? Data(rewritten.utf8).base64EncodedString() : rewritten
    }

    private mutating func anonymize(json value: JSONValue, key: String?, parent: String?) -> JSONValue {
        let idMember = key.map { PersonalFields.isIdMember($0) || fields.kind(ofMember: $0, parent: parent) == .id || ruleKeys.contains($0) } ?? false
        switch value {
        case .object(let object):
            return .object(JSONObject(object.members.map { ($0.key, anonymize(json: $0.value, key: $0.key, parent: key)) }))
        case .array(let elements):
            return .array(elements.map { anonymize(json: $0, key: key, parent: parent) })
        case .number(let number):
            guard idMember, let id = number.intValue, let fake = pseudonyms.fakeID(for: id) else { return value }
            return .number(JSONNumber(fake))
        case .string(let string):
            let numbers: PersonalText.Numbers = idMember ? .kept : .free
            return .string(PersonalURL.rewrite(value: string, idName: idMember, numbers: numbers, text: replacer(), pseudonyms: &pseudonyms))
        case .null, .bool:
            return value
        }
    }

    /// The body's size in the HAR fields and in `Content-Length`, when it is sent as is.
    private func resize(_ response: inout HAR.Response, to size: Int) {
        response.content.size = size
        let encoded = response.headers.contains { $0.name.lowercased() == "content-encoding" }
        guard !encoded else { return }
        if response.bodySize >= 0 { response.bodySize = size }
        response.headers = response.headers.map { header in
            header.name.lowercased() == "content-length" ? HAR.NameValue(name: header.name, value: String(size), comment: header.comment) : header
        }
    }

    private static func decoded(_ text: String, base64: String?) -> String {
        guard base64?.lowercased() == "base64" else { return text }
        return Data(base64Encoded: text, options: .ignoreUnknownCharacters).flatMap { String(data: $0, encoding: .utf8) } ?? text
    }

    static func json(_ text: String) -> JSONValue? {
        guard let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[" else { return nil }
        return try? JSONValue.parse(Array(text.utf8))
    }
}

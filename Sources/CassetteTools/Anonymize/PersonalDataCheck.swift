import HTTPCassette
import HTTPValues
import JSONValues

/// What `cassette anonymize --check` finds in any cassette: a value that looks like an email
/// or a phone number and is no pseudonym, or that equals (or contains) a text some personal
/// field of the file holds and that is no pseudonym. Ids are not checked: a fake id cannot be
/// told from a real one.
public struct PersonalDataCheck {
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        /// `entry 3 response .User.Email`, `script line 5`.
        public let location: String
        public let value: String
        public let reason: String

        public var description: String { "\(location): \(value) (\(reason))" }
    }

    private var known = Pseudonyms()
    private let fields: PersonalFields
    public private(set) var findings: [Finding] = []

    public init(fields: PersonalFields = PersonalFields()) {
        self.fields = fields
    }

    /// Every finding of `cassette`, and of a script and variables given with it.
    public static func findings(in cassette: Cassette, script: String?, variables: [(name: String, value: String)], fields: PersonalFields) -> [Finding] {
        var check = PersonalDataCheck(fields: fields)
        // The texts of personal fields are learned as anonymizing learns them; ids are left out.
        var anonymizer = CassetteAnonymizer(fields: fields)
        anonymizer.learn(from: cassette)
        check.known = anonymizer.pseudonyms
        let texts = PersonalText(learned: check.known)
        for (index, entry) in cassette.entries.enumerated() {
            check.examine(entry, number: index + 1, texts: texts)
        }
        if let script {
            for (index, line) in script.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                check.examine(String(line), at: "script line \(index + 1)", texts: texts)
            }
        }
        for variable in variables {
            check.examine(variable.value, at: "variable \(variable.name)", texts: texts)
        }
        return check.findings
    }

    private mutating func examine(_ entry: HAR.Entry, number: Int, texts: PersonalText) {
        let request = "entry \(number) request"
        examine(PercentEncoding.decode(entry.request.url), at: "\(request) url", texts: texts)
        for header in entry.request.headers { examine(header.value, at: "\(request) header \(header.name)", texts: texts) }
        if let body = entry.request.postData?.text {
            if FormBody.looksLikeForm(body) {
                for field in FormBody.fields(in: body) { examine(field.value, at: "\(request) form field \(field.name)", texts: texts) }
            } else {
                examineBody(body, at: "\(request) body", texts: texts)
            }
        }
        let response = "entry \(number) response"
        for header in entry.response.headers { examine(header.value, at: "\(response) header \(header.name)", texts: texts) }
        if let body = entry.response.content.text, entry.response.content.encoding?.lowercased() != "base64" {
            examineBody(body, at: "\(response) body", texts: texts)
        }
    }

    private mutating func examineBody(_ body: String, at location: String, texts: PersonalText) {
        guard let document = CassetteAnonymizer.json(body) else {
            examine(body, at: location, texts: texts)
            return
        }
        walk(document, path: JSONPath(segments: []), at: location, texts: texts)
    }

    private mutating func walk(_ value: JSONValue, path: JSONPath, at location: String, texts: PersonalText) {
        switch value {
        case .object(let object):
            for member in object.members { walk(member.value, path: JSONPath(segments: path.segments + [.key(member.key)]), at: location, texts: texts) }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                walk(element, path: JSONPath(segments: path.segments + [.index(index)]), at: location, texts: texts)
            }
        case .string(let string):
            examine(string, at: "\(location) \(path.text)", texts: texts)
        case .number, .bool, .null:
            break
        }
    }

    /// A text's emails, phones and known personal texts; each is said once per place.
    private mutating func examine(_ text: String, at location: String, texts: PersonalText) {
        var found: [(String, String)] = []
        for email in PersonalPatterns.emails(in: text) { found.append((String(email), "an email")) }
        for phone in PersonalPatterns.phones(in: text) { found.append((String(phone), "a phone number")) }
        for value in texts.learnedTexts(in: text, learned: known) where !found.contains(where: { $0.0 == value }) {
            found.append((value, "a value of a personal field"))
        }
        for (value, reason) in found {
            findings.append(Finding(location: location, value: value, reason: reason))
        }
    }
}

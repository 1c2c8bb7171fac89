import JSONValues

/// A value that must never reach a cassette, with words for it that do not reveal it.
public struct KnownSecret: Sendable, Equatable {
    public let value: String
    /// "the session's access token", "the password".
    public let description: String

    public init(value: String, description: String) {
        self.value = value
        self.description = description
    }
}

/// Looks for secret values in an entry, as written raw, JSON-escaped or percent-encoded.
enum SecretScan {
    /// The ways a secret may be written, worked out once per secret: a recorder checks every
    /// text of every exchange for it.
    struct Spellings {
        fileprivate let forms: [[UInt8]]

        /// Nil for a value too short to search for (see ``Redactor/minimumSearchedLength``).
        init?(_ secret: String) {
            guard secret.count >= Redactor.minimumSearchedLength else { return nil }
            let written = SecretScan.writtenForms(of: secret)
            forms = Set([written.raw, written.escaped, written.encoded]).map { Array($0.utf8) }
        }

        func occur(in text: String) -> Bool {
            forms.contains { text.containsBytes($0) }
        }
    }

    /// How a value may be written in an entry: as it is, JSON-escaped (in a body), and
    /// percent-encoded (in a URL or a form).
    static func writtenForms(of value: String) -> (raw: String, escaped: String, encoded: String) {
        (value, String(JSONValue.quoted(value).dropFirst().dropLast()), PercentEncoding.encode(value))
    }

    /// Where `secret` appears in `entry` (`entries[3].response.content.text`), or nil.
    static func locate(_ secret: String, in entry: HAR.Entry, number: Int) -> String? {
        Spellings(secret).flatMap { locate($0, in: entry, number: number) }
    }

    static func locate(_ spellings: Spellings, in entry: HAR.Entry, number: Int) -> String? {
        var found: String?
        forEachText(of: entry) { place, text in
            guard spellings.occur(in: text) else { return true }
            found = "entries[\(number - 1)].\(place())"
            return false
        }
        return found
    }

    /// Every text of an entry that a redaction could have missed, with its place, until `body`
    /// returns false. The place is only spelled out when asked for.
    static func forEachText(of entry: HAR.Entry, _ body: (_ place: () -> String, _ text: String) -> Bool) {
        guard body({ "request.url" }, entry.request.url) else { return }
        for header in entry.request.headers {
            guard body({ "request.headers[\(header.name)]" }, header.value) else { return }
        }
        for cookie in entry.request.cookies {
            guard body({ "request.cookies[\(cookie.name)]" }, cookie.value) else { return }
        }
        if let text = entry.request.postData?.text {
            guard body({ "request.postData.text" }, text) else { return }
        }
        for header in entry.response.headers {
            guard body({ "response.headers[\(header.name)]" }, header.value) else { return }
        }
        for cookie in entry.response.cookies {
            guard body({ "response.cookies[\(cookie.name)]" }, cookie.value) else { return }
        }
        guard body({ "response.redirectURL" }, entry.response.redirectURL) else { return }
        if let text = entry.response.content.text, entry.response.content.encoding?.lowercased() != "base64" {
            _ = body({ "response.content.text" }, text)
        }
    }
}

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
    /// Where `secret` appears in `entry` (`entries[3].response.content.text`), or nil.
    static func locate(_ secret: String, in entry: HAR.Entry, number: Int) -> String? {
        guard secret.count >= Redactor.minimumSearchedLength else { return nil }
        let forms = Set([
            secret,
            String(JSONValue.quoted(secret).dropFirst().dropLast()),
            PercentEncoding.encode(secret),
        ]).map { Array($0.utf8) }
        let contains = { (text: String) in forms.contains { text.containsBytes($0) } }
        let base = "entries[\(number - 1)]"
        for (place, text) in texts(of: entry) where contains(text) {
            return "\(base).\(place)"
        }
        return nil
    }

    /// Every text of an entry that a redaction could have missed, with its place.
    static func texts(of entry: HAR.Entry) -> [(String, String)] {
        var texts: [(String, String)] = [("request.url", entry.request.url)]
        texts += entry.request.headers.map { ("request.headers[\($0.name)]", $0.value) }
        texts += entry.request.cookies.map { ("request.cookies[\($0.name)]", $0.value) }
        if let text = entry.request.postData?.text { texts.append(("request.postData.text", text)) }
        texts += entry.response.headers.map { ("response.headers[\($0.name)]", $0.value) }
        texts += entry.response.cookies.map { ("response.cookies[\($0.name)]", $0.value) }
        texts.append(("response.redirectURL", entry.response.redirectURL))
        if let text = entry.response.content.text, entry.response.content.encoding?.lowercased() != "base64" {
            texts.append(("response.content.text", text))
        }
        return texts
    }
}

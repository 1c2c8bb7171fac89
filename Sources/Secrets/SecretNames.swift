/// The one definition of which names hold secrets: HTTP headers, fields of bodies (JSON members
/// and form fields, whatever the declared content type), query parameters, and variables of
/// the shell language. Redaction, `cassette verify`, bundles, history and saved scripts all ask
/// here, so that what one of them takes out the others never let through.
///
/// A name is compared by its letters and digits alone, in lower case: `X-Api-Key`, `x_api_key`
/// and `XApiKey` are the same name.
public enum SecretNames {
    /// Words that make a header's value a credential (`X-Api-Key`, `X-Auth-Token`, `Cookie`).
    static let headerWords = words(["key", "token", "secret", "auth", "session", "password", "passwd", "cookie", "credential"])
    /// Headers that name a scheme, not a credential: `WWW-Authenticate: Bearer realm="x"`.
    static let publicHeaders = Set(words(["wwwauthenticate", "proxyauthenticate"]))

    /// Words that make a field's or variable's value a secret (`password`, `AccessToken`,
    /// `client_secret`, `api_key`).
    static let fieldWords = words(["password", "passwd", "passphrase", "secret", "token", "apikey", "credential", "totp", "privatekey"])
    /// Whole names that are secret although they hold none of the words above.
    static let fieldNames = Set(words(["pw", "pwd", "pass", "passcode", "pin", "otp", "auth", "authorization", "cookie", "sessionid"]))
    /// Names that hold a secret word but describe, rather than hold, a secret.
    static let publicFields = Set(words(["tokentype", "tokentypehint"]))

    public static func isSecretHeader(_ name: String) -> Bool {
        let key = normalized(name)
        return !publicHeaders.contains(key) && headerWords.contains { contains(key, $0) }
    }

    /// A JSON member, a form field or a query parameter.
    public static func isSecretField(_ name: String) -> Bool {
        let key = normalized(name)
        return !publicFields.contains(key) && (fieldNames.contains(key) || fieldWords.contains { contains(key, $0) })
    }

    /// A variable of the shell language (`set password …`, `--var api_key=…`).
    public static func isSecretVariable(_ name: String) -> Bool {
        isSecretField(name)
    }

    /// Whether a text could name a secret field anywhere: each word and whole name, in any
    /// case, even inside another word. For a line that cannot be read, where nothing better is
    /// known.
    public static func mayNameSecret(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        containsAny(looseNeedles, lowering: bytes)
    }

    /// Whether a JSON text could have a member with a secret name: most bodies have none, and
    /// are not worth parsing. The words in any case, and the whole names in quotes; a name
    /// written with `\u` escapes is caught by the caller parsing every body that has one.
    public static func mayNameSecretMember(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        containsAny(memberNeedles, lowering: bytes)
    }

    /// The field words as JSON may spell them (`api_key`, `apiKey`), and the whole names.
    private static let looseNeedles = spelled + fieldNames.sorted { $0.lexicographicallyPrecedes($1) }
    private static let memberNeedles = spelled + (fieldNames.union(words(["session_id", "session-id"])))
        .sorted { $0.lexicographicallyPrecedes($1) }.map { [UInt8(ascii: "\"")] + $0 + [UInt8(ascii: "\"")] }
    private static let spelled = fieldWords.filter { $0 != Array("apikey".utf8) && $0 != Array("privatekey".utf8) }
        + words(["apikey", "api_key", "api-key", "privatekey", "private_key", "private-key"])

    private static func containsAny(_ needles: [[UInt8]], lowering bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let lowered = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            for index in bytes.indices {
                let byte = bytes[index]
                buffer[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte
            }
            count = bytes.count
        }
        return lowered.withUnsafeBufferPointer { text in
            needles.contains { ByteSearch.firstOffset(of: $0, in: text, from: 0) != nil }
        }
    }

    /// A name's letters and digits, lower-case.
    static func normalized(_ name: String) -> [UInt8] {
        var key: [UInt8] = []
        key.reserveCapacity(name.utf8.count)
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): key.append(byte | 0x20)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): key.append(byte)
            default: continue
            }
        }
        return key
    }

    /// Names are short: a plain search beats setting up anything faster.
    private static func contains(_ key: [UInt8], _ word: [UInt8]) -> Bool {
        guard key.count >= word.count else { return false }
        for start in 0...(key.count - word.count) where key[start] == word[0] {
            if key[start..<(start + word.count)].elementsEqual(word) { return true }
        }
        return false
    }

    private static func words(_ list: [String]) -> [[UInt8]] {
        list.map { Array($0.utf8) }
    }
}

/// What stands in for a secret that was taken out: `<redacted:password>`. It says what was
/// there, and it is never itself a secret.
public enum Placeholder {
    public static func text(_ name: String) -> String { "<redacted:\(name)>" }

    public static func isPlaceholder(_ value: String) -> Bool {
        value.hasPrefix("<redacted:") && value.hasSuffix(">")
    }

    /// A piece of a text: as written, or a placeholder (as written, or percent-encoded as a
    /// form field's value is sent: `%3Credacted%3Apassword%3E`) by its name.
    public enum Piece: Sendable, Equatable {
        case text(Substring)
        case placeholder(name: String)
    }

    /// The text cut at its placeholders: for exports that put a variable in each one's place.
    public static func pieces(of text: String) -> [Piece] {
        guard text.contains("redacted") else { return text.isEmpty ? [] : [.text(text[...])] }
        var pieces: [Piece] = []
        var start = text.startIndex
        for match in text.matches(of: written) {
            if start < match.range.lowerBound { pieces.append(.text(text[start..<match.range.lowerBound])) }
            pieces.append(.placeholder(name: String(match.output.1 ?? match.output.2 ?? "")))
            start = match.range.upperBound
        }
        if start < text.endIndex { pieces.append(.text(text[start...])) }
        return pieces
    }

    /// The names of the placeholders in a text, each once, in order.
    public static func names(in text: String) -> [String] {
        pieces(of: text).reduce(into: []) { names, piece in
            if case .placeholder(let name) = piece, !names.contains(name) { names.append(name) }
        }
    }

    nonisolated(unsafe) private static let written = #/<redacted:([^<>\s"']+)>|%3[Cc]redacted%3[Aa]([A-Za-z0-9_.~-]+)%3[Ee]/#
}

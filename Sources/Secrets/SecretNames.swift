/// The one definition of which names hold secrets: HTTP headers, fields of bodies (JSON members
/// and form fields, whatever the declared content type), query parameters, and variables of
/// the shell language. Redaction, `cassette verify`, bundles, history and saved scripts all ask
/// here, so that what one of them takes out the others never let through.
///
/// A name is compared by its letters and digits alone, in lower case: `X-Api-Key`, `x_api_key`
/// and `XApiKey` are the same name.
public enum SecretNames {
    /// Words that make a header's value a credential (`X-Api-Key`, `X-Auth-Token`, `Cookie`).
    static let headerWords = ["key", "token", "secret", "auth", "session", "password", "passwd", "cookie", "credential"]
    /// Headers that name a scheme, not a credential: `WWW-Authenticate: Bearer realm="x"`.
    static let publicHeaders: Set<String> = ["wwwauthenticate", "proxyauthenticate"]

    /// Words that make a field's or variable's value a secret (`password`, `AccessToken`,
    /// `client_secret`, `api_key`).
    static let fieldWords = ["password", "passwd", "passphrase", "secret", "token", "apikey", "credential", "totp", "privatekey"]
    /// Whole names that are secret although they hold none of the words above.
    static let fieldNames: Set<String> = ["pw", "pwd", "pass", "passcode", "pin", "otp", "auth", "authorization", "cookie", "sessionid"]
    /// Names that hold a secret word but describe, rather than hold, a secret.
    static let publicFields: Set<String> = ["tokentype", "tokentypehint"]

    public static func isSecretHeader(_ name: String) -> Bool {
        let key = normalized(name)
        return !publicHeaders.contains(key) && headerWords.contains { key.contains($0) }
    }

    /// A JSON member, a form field or a query parameter.
    public static func isSecretField(_ name: String) -> Bool {
        let key = normalized(name)
        return !publicFields.contains(key) && (fieldNames.contains(key) || fieldWords.contains { key.contains($0) })
    }

    /// A variable of the shell language (`set password …`, `--var api_key=…`).
    public static func isSecretVariable(_ name: String) -> Bool {
        isSecretField(name)
    }

    /// Whether `bytes` could hold a secret field's name at all: most bodies name none, and are
    /// not worth parsing. Looks for the words in any case; a name written with `\u` escapes is
    /// caught by the caller parsing every body that holds one.
    public static func mayNameSecretField(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var lowered = [UInt8](repeating: 0, count: bytes.count)
        for index in bytes.indices {
            let byte = bytes[index]
            lowered[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte
        }
        return lowered.withUnsafeBufferPointer { text in
            loweredNeedles.contains { ByteSearch.firstOffset(of: $0, in: text, from: 0) != nil }
        }
    }

    /// What ``mayNameSecretField(_:)`` looks for: every word, and the whole names, lower-case.
    /// `api` stands for `apikey`, which JSON may spell `api_key` or `apiKey`.
    private static let loweredNeedles: [[UInt8]] =
        (fieldWords.filter { $0 != "apikey" && $0 != "privatekey" } + ["api", "key"] + Array(fieldNames)).map { Array($0.utf8) }

    static func normalized(_ name: String) -> String {
        var key = ""
        key.reserveCapacity(name.utf8.count)
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): key.unicodeScalars.append(Unicode.Scalar(byte | 0x20))
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): key.unicodeScalars.append(Unicode.Scalar(byte))
            default: continue
            }
        }
        return key
    }
}

/// What stands in for a secret that was taken out: `<redacted:password>`. It says what was
/// there, and it is never itself a secret.
public enum Placeholder {
    public static func text(_ name: String) -> String { "<redacted:\(name)>" }

    public static func isPlaceholder(_ value: String) -> Bool {
        value.hasPrefix("<redacted:") && value.hasSuffix(">")
    }
}

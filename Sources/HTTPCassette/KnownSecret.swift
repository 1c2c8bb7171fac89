/// A value that must never reach a file, with words for it that do not reveal it: the
/// session's password and tokens, a value from the environment that `cassette verify` is asked
/// to look for.
public struct KnownSecret: Sendable, Equatable {
    public let value: String
    /// "the session's access token", "the password".
    public let description: String
    /// What its placeholder says: `<redacted:password>`.
    public let placeholderName: String

    public init(value: String, description: String, placeholderName: String = "secret") {
        self.value = value
        self.description = description
        self.placeholderName = placeholderName
    }
}

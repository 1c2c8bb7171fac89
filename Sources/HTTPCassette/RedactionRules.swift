import Foundation
import JSONValues

/// What to take out of exchanges before they are written. Rules are values: the caller
/// composes them (the shell adds its Nexudus rules), and the same rules redact recordings,
/// imports, `cassette redact`, and the live requests a replay compares with the recording.
public struct RedactionRules: Sendable, Equatable {
    /// Header names, compared without regard to case.
    public var headers: [String]
    /// Fields of `application/x-www-form-urlencoded` bodies.
    public var formFields: [String]
    /// Query parameters of request URLs.
    public var queryParameters: [String]
    /// Values in JSON bodies, requests and responses alike.
    public var jsonPaths: [JSONPath]
    /// Regular expressions applied to every text of an exchange.
    public var patterns: [Pattern]

    public struct Pattern: Sendable, Equatable {
        /// Names the placeholder: `<redacted:NAME>`.
        public let name: String
        /// With a capture group, only the group is redacted.
        public let expression: String

        public init(name: String, expression: String) throws {
            _ = try NSRegularExpression(pattern: expression)
            self.name = name
            self.expression = expression
        }

        var regex: NSRegularExpression {
            // Validated in init.
            try! NSRegularExpression(pattern: expression)
        }
    }

    public init(
        headers: [String] = [], formFields: [String] = [], queryParameters: [String] = [],
        jsonPaths: [JSONPath] = [], patterns: [Pattern] = []
    ) {
        self.headers = headers
        self.formFields = formFields
        self.queryParameters = queryParameters
        self.jsonPaths = jsonPaths
        self.patterns = patterns
    }

    /// Credentials of any HTTP API: authorization and cookie headers, password and TOTP form
    /// fields, OAuth tokens in forms, queries and token answers.
    public static let standard = RedactionRules(
        headers: ["Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"],
        formFields: ["password", "totp", "refresh_token", "client_secret"],
        queryParameters: ["access_token", "refresh_token"],
        jsonPaths: [try! JSONPath(".access_token"), try! JSONPath(".refresh_token")]
    )

    public static let none = RedactionRules()

    /// These rules and `other`'s.
    public func adding(_ other: RedactionRules) -> RedactionRules {
        RedactionRules(
            headers: headers + other.headers.filter { name in !headers.contains { $0.lowercased() == name.lowercased() } },
            formFields: formFields + other.formFields.filter { !formFields.contains($0) },
            queryParameters: queryParameters + other.queryParameters.filter { !queryParameters.contains($0) },
            jsonPaths: jsonPaths + other.jsonPaths.filter { !jsonPaths.contains($0) },
            patterns: patterns + other.patterns.filter { !patterns.contains($0) }
        )
    }

    /// `<redacted:authorization>`.
    public static func placeholder(_ name: String) -> String { "<redacted:\(name)>" }

    /// True for a value a redaction put there.
    public static func isPlaceholder(_ value: String) -> Bool {
        value.hasPrefix("<redacted:") && value.hasSuffix(">")
    }
}

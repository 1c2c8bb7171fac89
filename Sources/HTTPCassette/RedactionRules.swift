import Foundation
import JSONValues
import Secrets

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
    /// Also every header, field, parameter and JSON member whose name says it holds a secret,
    /// by the one definition of ``SecretNames``.
    public var findsSecretsByName: Bool

    public struct Pattern: Sendable, Equatable {
        /// Names the placeholder: `<redacted:NAME>`.
        public let name: String
        /// With a capture group, only the group is redacted.
        public let expression: String

        /// What `cassette verify` says of a text the pattern matches.
        let finding: String
        /// Texts that hold none of these are not searched (empty: every text is).
        let requiredText: [[UInt8]]

        public init(name: String, expression: String) throws {
            try self.init(name: name, expression: expression, finding: "matches the redaction pattern '\(name)'", requiredText: [])
        }

        init(name: String, expression: String, finding: String, requiredText: [String]) throws {
            compiled = Compiled(try NSRegularExpression(pattern: expression))
            self.name = name
            self.expression = expression
            self.finding = finding
            self.requiredText = requiredText.map { Array($0.utf8) }
        }

        func mayMatch(_ text: String) -> Bool {
            requiredText.isEmpty || requiredText.contains { text.containsBytes($0) }
        }

        /// Compiled once: compiling it for every text a replay scrubs (each request's URL, its
        /// headers and body) was most of the time of a long replay.
        var regex: NSRegularExpression { compiled.regex }
        private let compiled: Compiled

        /// An expression is only read once compiled, which NSRegularExpression allows from any
        /// thread.
        private final class Compiled: @unchecked Sendable {
            let regex: NSRegularExpression
            init(_ regex: NSRegularExpression) { self.regex = regex }
        }

        public static func == (left: Pattern, right: Pattern) -> Bool {
            left.name == right.name && left.expression == right.expression && left.finding == right.finding
                && left.requiredText == right.requiredText
        }
    }

    public init(
        headers: [String] = [], formFields: [String] = [], queryParameters: [String] = [],
        jsonPaths: [JSONPath] = [], patterns: [Pattern] = [], findsSecretsByName: Bool = false
    ) {
        self.headers = headers
        self.formFields = formFields
        self.queryParameters = queryParameters
        self.jsonPaths = jsonPaths
        self.patterns = patterns
        self.findsSecretsByName = findsSecretsByName
    }

    /// Credentials of any HTTP API: every header, form field, query parameter and JSON member
    /// whose name says it holds one (``SecretNames``), JSON Web Tokens, and Bearer credentials
    /// written anywhere.
    public static let standard = RedactionRules(patterns: [jsonWebToken, bearerCredential], findsSecretsByName: true)

    static let jsonWebToken = try! Pattern(
        name: "jwt", expression: #"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"#,
        finding: "contains what looks like a JSON Web Token", requiredText: ["eyJ"]
    )

    /// `Bearer abc123…` in any text (an echoed header, a log line): a word of token characters
    /// with at least one that is not a letter, so prose ("bearer bonds") is left alone.
    static let bearerCredential = try! Pattern(
        name: "bearer", expression: #"(?i)\bbearer\s+((?=[A-Za-z0-9._~+/-]*[0-9._~+/-])[A-Za-z0-9._~+/-]{8,}=*)"#,
        finding: "contains a Bearer credential", requiredText: ["earer", "EARER"]
    )

    public static let none = RedactionRules()

    /// These rules and `other`'s.
    public func adding(_ other: RedactionRules) -> RedactionRules {
        RedactionRules(
            headers: headers + other.headers.filter { name in !headers.contains { $0.lowercased() == name.lowercased() } },
            formFields: formFields + other.formFields.filter { !formFields.contains($0) },
            queryParameters: queryParameters + other.queryParameters.filter { !queryParameters.contains($0) },
            jsonPaths: jsonPaths + other.jsonPaths.filter { !jsonPaths.contains($0) },
            patterns: patterns + other.patterns.filter { !patterns.contains($0) },
            findsSecretsByName: findsSecretsByName || other.findsSecretsByName
        )
    }

    /// `<redacted:authorization>`.
    public static func placeholder(_ name: String) -> String { Placeholder.text(name) }

    /// True for a value a redaction put there.
    public static func isPlaceholder(_ value: String) -> Bool { Placeholder.isPlaceholder(value) }
}

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
        public var name: String { storage.name }
        /// With a capture group, only the group is redacted.
        public var expression: String { storage.expression }

        /// What `cassette verify` says of a text the pattern matches.
        var finding: String { storage.finding }
        /// Which texts are worth searching at all.
        var prefilter: Prefilter { storage.prefilter }

        /// Held by reference: every text a replay scrubs goes through every pattern, and a copy
        /// of each field, retained and released, was half of scrubbing a text that holds no secret.
        private let storage: Storage

        private final class Storage: Sendable {
            let name: String
            let expression: String
            let finding: String
            let prefilter: Prefilter
            let compiled: Compiled

            init(name: String, expression: String, finding: String, prefilter: Prefilter, compiled: Compiled) {
                self.name = name
                self.expression = expression
                self.finding = finding
                self.prefilter = prefilter
                self.compiled = compiled
            }
        }

        /// A test far cheaper than the expression that every text it matches passes.
        enum Prefilter: Equatable {
            /// Every text is searched.
            case none
            /// Only texts that hold one of these.
            case containsAny([[UInt8]])
            /// Only texts where "bearer", in any case, is followed by white space and a token
            /// character: an `Authorization` value already redacted (`Bearer <redacted:…>`),
            /// which every replayed request carries, is not searched.
            case bearerWord

            func admits(_ text: String) -> Bool {
                switch self {
                case .none:
                    return true
                case .containsAny(let needles):
                    return needles.contains { text.containsBytes($0) }
                case .bearerWord:
                    var text = text
                    return text.withUTF8(Self.holdsBearerWord)
                }
            }

            private static let bearer = Array("bearer".utf8)

            private static func holdsBearerWord(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
                let word = bearer
                var start = 0
                while start + word.count < bytes.count {
                    defer { start += 1 }
                    guard (0..<word.count).allSatisfy({ bytes[start + $0] | 0x20 == word[$0] }) else { continue }
                    // The expression's \s takes Unicode spaces too: a byte past ASCII here is
                    // left for the expression to judge.
                    var next = start + word.count
                    guard next < bytes.count, isSpace(bytes[next]) || bytes[next] >= 0x80 else { continue }
                    while next < bytes.count, isSpace(bytes[next]) { next += 1 }
                    if next < bytes.count, isTokenCharacter(bytes[next]) || bytes[next] >= 0x80 { return true }
                }
                return false
            }

            private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

            private static func isTokenCharacter(_ byte: UInt8) -> Bool {
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "-"): true
                default: false
                }
            }
        }

        /// Compiles `expression` now, so that a pattern someone wrote is refused at once.
        public init(name: String, expression: String) throws {
            self.init(
                name: name, expression: expression, finding: "matches the redaction pattern '\(name)'", prefilter: .none,
                compiled: Compiled(try NSRegularExpression(pattern: expression))
            )
        }

        /// One of nexsh's own patterns, searched for only in texts that hold one of
        /// `requiredText`, and compiled when first used: a run that never scrubs a text (a
        /// one-shot request) does not pay for compiling it. The tests compile each of them.
        public init(name: String, builtIn expression: String, onlyInTextsHolding requiredText: [String]) {
            self.init(
                name: name, builtIn: expression, finding: "matches the redaction pattern '\(name)'",
                prefilter: .containsAny(requiredText.map { Array($0.utf8) })
            )
        }

        init(name: String, builtIn expression: String, finding: String, prefilter: Prefilter) {
            self.init(name: name, expression: expression, finding: finding, prefilter: prefilter, compiled: Compiled(expression: expression))
        }

        private init(name: String, expression: String, finding: String, prefilter: Prefilter, compiled: Compiled) {
            storage = Storage(name: name, expression: expression, finding: finding, prefilter: prefilter, compiled: compiled)
        }

        func mayMatch(_ text: String) -> Bool {
            prefilter.admits(text)
        }

        /// Compiled once: compiling it for every text a replay scrubs (each request's URL, its
        /// headers and body) was most of the time of a long replay.
        var regex: NSRegularExpression { storage.compiled.regex }

        /// An expression is only read once compiled, which NSRegularExpression allows from any
        /// thread; the lock guards the compiling.
        private final class Compiled: @unchecked Sendable {
            private let lock = NSLock()
            private let expression: String
            private var compiled: NSRegularExpression?

            init(_ regex: NSRegularExpression) {
                expression = regex.pattern
                compiled = regex
            }

            init(expression: String) {
                self.expression = expression
            }

            var regex: NSRegularExpression {
                lock.withLock {
                    if let compiled { return compiled }
                    // nexsh's own expressions: the tests compile each of them.
                    let regex = try! NSRegularExpression(pattern: expression)
                    compiled = regex
                    return regex
                }
            }
        }

        public static func == (left: Pattern, right: Pattern) -> Bool {
            left.name == right.name && left.expression == right.expression && left.finding == right.finding
                && left.prefilter == right.prefilter
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

    static let jsonWebToken = Pattern(
        name: "jwt", builtIn: #"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"#,
        finding: "contains what looks like a JSON Web Token", prefilter: .containsAny([Array("eyJ".utf8)])
    )

    /// `Bearer abc123…` in any text (an echoed header, a log line): a word of token characters
    /// with at least one that is not a letter, so prose ("bearer bonds") is left alone.
    static let bearerCredential = Pattern(
        name: "bearer", builtIn: #"(?i)\bbearer\s+((?=[A-Za-z0-9._~+/-]*[0-9._~+/-])[A-Za-z0-9._~+/-]{8,}=*)"#,
        finding: "contains a Bearer credential", prefilter: .bearerWord
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

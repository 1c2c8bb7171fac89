import Foundation
import HTTPValues
import JSONValues
import Secrets

/// Applies ``RedactionRules`` to HAR entries, and remembers every secret value it took out so
/// that the same value is replaced wherever else it appears, however it is written there: a
/// token learned from a token answer is also taken out of later `Authorization` headers, of a
/// profile body that mirrors it, of a URL, of a JSON-escaped echo or a base64 blob. Redaction is
/// deterministic, so a live request redacted the same way matches its redacted recording.
///
/// `cassette verify` is this same redactor asked what it would change (``redactNoting(_:)``),
/// so that what `cassette redact` leaves, `verify` never flags.
public struct Redactor: Sendable {
    public let rules: RedactionRules
    /// `rules.headers`, lower-cased once: headers are checked on every request.
    let headerNames: Set<String>
    var finder = SecretFinder()
    /// Words for the values the caller declared secret (`the password`), by value.
    var descriptions: [String: String] = [:]
    /// What was changed and why, while ``redactNoting(_:)`` runs.
    var notes: [Note]?
    /// What ``SecretNames`` said of each name met so far: the same few header and field names
    /// come back in every exchange.
    var secretHeaderNames: [String: Bool] = [:]
    var secretFieldNames: [String: Bool] = [:]

    /// A place redaction changed, and what it found there.
    public struct Note: Sendable, Equatable, CustomStringConvertible {
        /// `request.headers[X-Api-Key]`.
        public let place: String
        public let message: String

        public var description: String { "\(place): \(message)" }
    }

    /// Shorter values are redacted where a rule finds them but not searched for elsewhere.
    public static let minimumSearchedLength = SecretFinder.minimumLength

    /// For each JSON path, its last member name as written in JSON text (`"access_token"`); nil
    /// when a path names no member, and every JSON body must then be parsed to apply it.
    let jsonPathNames: [[UInt8]]?

    public init(rules: RedactionRules, secrets: [(value: String, name: String)] = []) {
        self.rules = rules
        headerNames = Set(rules.headers.map { $0.lowercased() })
        jsonPathNames = Self.lastMemberNames(rules.jsonPaths)
        for secret in secrets { learn(secret.value, name: secret.name) }
    }

    /// Adds a value to take out wherever it appears (a token learned from a header, say).
    public mutating func learn(_ value: String, name: String) {
        guard !RedactionRules.isPlaceholder(value) else { return }
        finder.add(value, name: name)
    }

    /// Adds a value the caller knows to be secret (the session's password or token), with
    /// words for it in findings.
    public mutating func learn(_ secret: KnownSecret) {
        guard !RedactionRules.isPlaceholder(secret.value), finder.add(secret.value, name: secret.placeholderName) else { return }
        descriptions[secret.value] = secret.description
    }

    public mutating func redact(_ entry: HAR.Entry) -> HAR.Entry {
        var entry = entry
        redactStructure(&entry.request)
        redactStructure(&entry.response)
        entry.request = replacingSecrets(in: entry.request)
        entry.response = replacingSecrets(in: entry.response)
        return entry
    }

    /// Redacts an entry and says what it changed, place by place.
    public mutating func redactNoting(_ entry: HAR.Entry) -> (entry: HAR.Entry, notes: [Note]) {
        notes = []
        defer { notes = nil }
        let redacted = redact(entry)
        return (redacted, notes ?? [])
    }

    /// Redacts a request alone: what a replay does to a live request before looking it up.
    public mutating func redact(_ request: HAR.Request) -> HAR.Request {
        var request = request
        redactStructure(&request)
        return replacingSecrets(in: request)
    }

    /// A request as the transport holds it, redacted as a cassette would hold it: what
    /// `last --request` and `last --curl` show.
    public mutating func redact(_ request: HTTPRequest) throws(CassetteError) -> HTTPRequest {
        try redact(HAR.Request(request)).httpRequest()
    }

    /// A text outside any exchange (a bundle's script, a report's line) with every learned
    /// secret and pattern match replaced, and what was found in it.
    public mutating func redact(text: String, place: String) -> (text: String, notes: [Note]) {
        let saved = notes
        notes = []
        defer { notes = saved }
        let scrubbed = scrub(text, place: place)
        return (scrubbed, notes ?? [])
    }

    mutating func note(_ place: @autoclosure () -> String, _ message: @autoclosure () -> String) {
        if notes != nil { notes!.append(Note(place: place(), message: message())) }
    }
}

import Foundation
import HTTPCassette
import JSONValues

/// Checks that a file is HAR 1.2 as the specification requires it (not just readable, as
/// replay needs) and that no credential was left in it.
public enum CassetteVerifier {
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        /// `log.entries[2].request.headers[Authorization]`.
        public let location: String
        public let message: String

        public init(location: String, message: String) {
            self.location = location
            self.message = message
        }

        public var description: String { "\(location): \(message)" }
    }

    /// How a caller that knows what a log's own `_` fields carry (a bundle's script and
    /// variables) finds credentials left there. It is handed the redactor that has read every
    /// entry, so that a value learned from an exchange is found in those fields too.
    public typealias LogFieldCheck = (_ log: HAR.Log, _ redactor: inout Redactor) -> [Finding]

    /// Every problem in `document` (the file's JSON) and `cassette` (as read): what `rules`
    /// (and `knownSecrets`) would redact is a finding, found by the redactor itself, so that a
    /// file `cassette redact` has been through is always clean.
    public static func findings(
        document: JSONValue, cassette: Cassette, rules: RedactionRules = .standard, knownSecrets: [KnownSecret] = [],
        logFields: LogFieldCheck
    ) -> [Finding] {
        structureFindings(document) + secretFindings(in: cassette, rules: rules, knownSecrets: knownSecrets, logFields: logFields)
    }

    /// What `rules` (and `knownSecrets`) would take out of `cassette`: its entries, and what
    /// `logFields` finds in the log's own fields.
    public static func secretFindings(
        in cassette: Cassette, rules: RedactionRules = .standard, knownSecrets: [KnownSecret] = [], logFields: LogFieldCheck
    ) -> [Finding] {
        var redactor = Redactor(rules: rules)
        for secret in knownSecrets { redactor.learn(secret) }
        var findings: [Finding] = []
        for (index, entry) in cassette.entries.enumerated() {
            var seen = Set<String>()
            for note in redactor.redactNoting(entry).notes where seen.insert(note.description).inserted {
                findings.append(Finding(location: "log.entries[\(index)].\(note.place)", message: note.message))
            }
        }
        findings += logFields(cassette.log, &redactor)
        return findings
    }

    /// Checks a cassette about to be written, as `cassette verify` will read the file.
    public static func findings(in cassette: Cassette, knownSecrets: [KnownSecret] = [], logFields: LogFieldCheck) -> [Finding] {
        guard let document = try? JSONValue.parse(cassette.encoded()) else { return [] }
        return findings(document: document, cassette: cassette, knownSecrets: knownSecrets, logFields: logFields)
    }

    // MARK: - HAR 1.2 structure

    private static func structureFindings(_ document: JSONValue) -> [Finding] {
        var findings: [Finding] = []
        func require(_ object: JSONObject?, _ keys: [(String, String)], at path: String) {
            guard let object else { return }
            for (key, kind) in keys {
                guard let value = object[key] else {
                    findings.append(Finding(location: path, message: "required member '\(key)' is missing"))
                    continue
                }
                if value.kindName != kind, !(kind == "number" && value.numberValue != nil) {
                    findings.append(Finding(location: "\(path).\(key)", message: "should be \(kind == "array" || kind == "object" ? "an" : "a") \(kind), is \(value.kindName)"))
                }
            }
        }
        let log = document["log"]?.objectValue
        require(log, [("version", "string"), ("creator", "object"), ("entries", "array")], at: "log")
        if let version = log?["version"]?.stringValue, version != "1.2", version != "1.1" {
            findings.append(Finding(location: "log.version", message: "is '\(version)', expected '1.2'"))
        }
        require(log?["creator"]?.objectValue, [("name", "string"), ("version", "string")], at: "log.creator")
        for (index, entry) in (log?["entries"]?.arrayValue ?? []).enumerated() {
            let path = "log.entries[\(index)]"
            let object = entry.objectValue
            require(object, [
                ("startedDateTime", "string"), ("time", "number"), ("request", "object"), ("response", "object"),
                ("cache", "object"), ("timings", "object"),
            ], at: path)
            require(object?["request"]?.objectValue, [
                ("method", "string"), ("url", "string"), ("httpVersion", "string"), ("cookies", "array"),
                ("headers", "array"), ("queryString", "array"), ("headersSize", "number"), ("bodySize", "number"),
            ], at: "\(path).request")
            require(object?["response"]?.objectValue, [
                ("status", "number"), ("statusText", "string"), ("httpVersion", "string"), ("cookies", "array"),
                ("headers", "array"), ("content", "object"), ("redirectURL", "string"), ("headersSize", "number"),
                ("bodySize", "number"),
            ], at: "\(path).response")
            require(object?["response"]?["content"]?.objectValue, [("size", "number"), ("mimeType", "string")], at: "\(path).response.content")
            require(object?["timings"]?.objectValue, [("send", "number"), ("wait", "number"), ("receive", "number")], at: "\(path).timings")
        }
        return findings
    }
}

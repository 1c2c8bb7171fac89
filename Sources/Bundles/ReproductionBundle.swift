import CassetteTools
import Foundation
import HTTPCassette
import JSONValues
import Secrets

/// A bug report as one HAR file: its entries are the recorded exchanges, and `_` fields of
/// `log` (which HAR readers ignore, as the specification allows) carry what replaying needs:
/// the script, its variables, the nexsh version, the server it ran against and the match rules.
public struct ReproductionBundle: Sendable, Equatable {
    /// The script's file name when the bundle was made (`switch-profile.nexsh`).
    public var scriptName: String
    public var script: String
    /// Variables the script was run with, in order; secret ones hold a placeholder.
    public var variables: [(name: String, value: String)]
    public var nexshVersion: String
    /// `https://yourspace.spaces.nexudus.com`, or the sandbox's address.
    public var server: String
    public var matchRules: MatchRules

    public init(
        scriptName: String, script: String, variables: [(name: String, value: String)], nexshVersion: String,
        server: String, matchRules: MatchRules = .standard
    ) {
        self.scriptName = scriptName
        // The caller, which knows the language, has taken the secrets out of the script.
        self.script = script
        self.variables = variables.map { ($0.name, SecretNames.isSecretVariable($0.name) ? RedactionRules.placeholder($0.name) : $0.value) }
        self.nexshVersion = nexshVersion
        self.server = server
        self.matchRules = matchRules
    }

    public static func == (lhs: ReproductionBundle, rhs: ReproductionBundle) -> Bool {
        lhs.scriptName == rhs.scriptName && lhs.script == rhs.script && lhs.variables.map(\.name) == rhs.variables.map(\.name)
            && lhs.variables.map(\.value) == rhs.variables.map(\.value) && lhs.nexshVersion == rhs.nexshVersion
            && lhs.server == rhs.server && lhs.matchRules == rhs.matchRules
    }

    enum Field {
        static let script = "_script"
        static let variables = "_variables"
        static let version = "_nexshVersion"
        static let server = "_server"
        static let matchRules = "_matchRules"
    }

    /// The bundle a cassette's log carries, or nil for a plain cassette; `path` names the file
    /// in errors.
    public init?(log: HAR.Log, path: String) throws(CassetteError) {
        guard let script = log.extensions[Field.script] else { return nil }
        guard let text = script["text"]?.stringValue else {
            throw .notHAR(path: path, HARFormatError(path: "log._script.text", message: "expected the script's text"))
        }
        scriptName = script["name"]?.stringValue ?? "script.nexsh"
        self.script = text
        variables = (log.extensions[Field.variables]?.objectValue?.members ?? []).compactMap { member in
            member.value.stringValue.map { (member.key, $0) }
        }
        nexshVersion = log.extensions[Field.version]?.stringValue ?? "unknown"
        server = log.extensions[Field.server]?.stringValue ?? ""
        matchRules = log.extensions[Field.matchRules].map(MatchRules.init(json:)) ?? .standard
    }

    /// Writes the bundle's fields into `log`, after whatever `_` fields it has.
    public func store(in log: inout HAR.Log) {
        log.extensions[Field.script] = .object(["name": .string(scriptName), "text": .string(script)])
        log.extensions[Field.variables] = .object(JSONObject(variables.map { ($0.name, JSONValue.string($0.value)) }))
        log.extensions[Field.version] = .string(nexshVersion)
        log.extensions[Field.server] = .string(server)
        log.extensions[Field.matchRules] = matchRules.json
    }

    /// A bundle file: the entries of `log`, its `_` fields, and the bundle's own.
    public func cassette(around log: HAR.Log) -> Cassette {
        var log = log
        store(in: &log)
        return Cassette(log: log)
    }

    /// How a caller that knows the shell language finds secrets written literally in a
    /// bundle's script: a description of each, with its line.
    public typealias ScriptCheck = (_ script: String) -> [(line: Int, message: String)]

    /// Takes out of a bundle's own fields what ``secretFindings(script:)`` finds there (for
    /// `cassette redact`): `scrub` replaces the script's literal secrets, and the redactor's
    /// known values go wherever they are.
    public static func redactFields(of log: inout HAR.Log, redactor: inout Redactor, script scrub: (String) -> String) {
        rewriteScript(in: &log) { redactor.redact(text: scrub($0), place: "").text }
        guard let variables = log.extensions[Field.variables]?.objectValue else { return }
        log.extensions[Field.variables] = .object(JSONObject(variables.members.map { member in
            guard let value = member.value.stringValue, !value.isEmpty, !RedactionRules.isPlaceholder(value) else { return member }
            let redacted = SecretNames.isSecretVariable(member.key)
                ? RedactionRules.placeholder(member.key) : redactor.redact(text: value, place: "").text
            return (member.key, .string(redacted))
        }))
    }

    /// Replaces the text of the script a bundle carries; a plain cassette is left as it is.
    public static func rewriteScript(in log: inout HAR.Log, _ rewrite: (String) -> String) {
        guard case .object(var script)? = log.extensions[Field.script], let text = script["text"]?.stringValue else { return }
        script["text"] = .string(rewrite(text))
        log.extensions[Field.script] = .object(script)
    }

    /// Replaces the values of a bundle's variables (`cassette anonymize`); a plain cassette is
    /// left as it is.
    public static func rewriteVariables(in log: inout HAR.Log, _ rewrite: (String) -> String) {
        guard let variables = log.extensions[Field.variables]?.objectValue else { return }
        log.extensions[Field.variables] = .object(JSONObject(variables.members.map { member in
            (member.key, member.value.stringValue.map { .string(rewrite($0)) } ?? member.value)
        }))
    }

    /// Where a bundle's own fields still hold a credential (for `cassette verify` and every
    /// check before a cassette is written): a secret written literally in the script, a variable
    /// with a secret name, and any value the redactor knows to be secret, in the script or a
    /// variable.
    public static func secretFindings(script check: @escaping ScriptCheck) -> CassetteVerifier.LogFieldCheck {
        { log, redactor in secretFindings(log, redactor: &redactor, script: check) }
    }

    private static func secretFindings(_ log: HAR.Log, redactor: inout Redactor, script check: ScriptCheck) -> [CassetteVerifier.Finding] {
        var findings: [CassetteVerifier.Finding] = []
        if let text = log.extensions[Field.script]?["text"]?.stringValue {
            for found in check(text) {
                findings.append(.init(location: "log._script.text", message: "line \(found.line): \(found.message)"))
            }
            for note in redactor.redact(text: text, place: "log._script.text").notes {
                findings.append(.init(location: note.place, message: note.message))
            }
        }
        for member in log.extensions[Field.variables]?.objectValue?.members ?? [] {
            guard let value = member.value.stringValue, !value.isEmpty, !RedactionRules.isPlaceholder(value) else { continue }
            if SecretNames.isSecretVariable(member.key) {
                findings.append(.init(location: "log._variables.\(member.key)", message: "variable '\(member.key)' is not redacted"))
            } else {
                for note in redactor.redact(text: value, place: "log._variables.\(member.key)").notes {
                    findings.append(.init(location: note.place, message: note.message))
                }
            }
        }
        return findings
    }
}

extension MatchRules {
    /// As a bundle stores them in `log._matchRules`.
    public var json: JSONValue {
        .object([
            "matchHost": .bool(matchHost),
            "headers": .array(headers.map(JSONValue.string)),
            "ignoredQueryParameters": .array(ignoredQueryParameters.map(JSONValue.string)),
            "ignoredBodyPaths": .array(ignoredBodyPaths.map { .string($0.text) }),
            "matchBody": .bool(matchBody),
        ])
    }

    /// Read back leniently: what is missing or malformed keeps the standard setting.
    public init(json: JSONValue) {
        let strings = { (key: String) in json[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        self.init(
            matchHost: json["matchHost"]?.boolValue ?? false,
            headers: strings("headers"),
            ignoredQueryParameters: strings("ignoredQueryParameters"),
            ignoredBodyPaths: strings("ignoredBodyPaths").compactMap { try? JSONPath($0) },
            matchBody: json["matchBody"]?.boolValue ?? true
        )
    }
}

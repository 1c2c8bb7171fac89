import Foundation
import JSONValues

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
        self.script = Self.scrubbed(script)
        self.variables = variables.map { ($0.name, Self.isSecret($0.name) ? RedactionRules.placeholder($0.name) : $0.value) }
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

    /// A variable whose name says it holds a credential.
    public static func isSecret(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return ["password", "passwd", "secret", "token", "totp", "apikey", "api_key", "credential"].contains { lowered.contains($0) }
    }

    private static let literalPassword = try! NSRegularExpression(
        pattern: #"--password(?:=|[ \t]+)(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^ \t\r\n]+)"#
    )

    /// The script with every literal `--password VALUE` turned into `--password-env
    /// NEXSH_PASSWORD`: a replay needs no password (the recorded one is redacted), and a live
    /// run reads it from the environment.
    public static func scrubbed(_ script: String) -> String {
        literalPassword.stringByReplacingMatches(
            in: script, range: NSRange(script.startIndex..., in: script), withTemplate: "--password-env NEXSH_PASSWORD"
        )
    }

    /// Where a bundle's own fields still hold a credential (for `cassette verify`).
    static func secretFindings(_ log: HAR.Log) -> [CassetteVerifier.Finding] {
        var findings: [CassetteVerifier.Finding] = []
        if let text = log.extensions[Field.script]?["text"]?.stringValue, scrubbed(text) != text {
            findings.append(.init(location: "log._script.text", message: "passes a password literally (--password VALUE)"))
        }
        for member in log.extensions[Field.variables]?.objectValue?.members ?? [] {
            if isSecret(member.key), let value = member.value.stringValue, !value.isEmpty, !RedactionRules.isPlaceholder(value) {
                findings.append(.init(location: "log._variables.\(member.key)", message: "variable '\(member.key)' is not redacted"))
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

import Foundation
import JSONValues

/// Checks that a file is HAR 1.2 as the specification requires it (not just readable, as
/// replay needs) and that no credential was left in it.
public enum CassetteVerifier {
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        /// `log.entries[2].request.headers[Authorization]`.
        public let location: String
        public let message: String

        public var description: String { "\(location): \(message)" }
    }

    /// Header names whose values are credentials.
    static let secretHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie"]
    /// Names (form fields, query parameters, JSON members; any case) whose values are credentials.
    static let secretNames: Set<String> = [
        "password", "passwd", "totp", "access_token", "accesstoken", "refresh_token", "refreshtoken", "id_token",
        "client_secret", "clientsecret", "api_key", "apikey", "secret",
    ]
    private static let jwt = try! NSRegularExpression(pattern: #"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"#)

    /// Every problem in `document` (the file's JSON) and `cassette` (as read), plus any of
    /// `knownSecrets` found in it.
    public static func findings(document: JSONValue, cassette: Cassette, knownSecrets: [KnownSecret] = []) -> [Finding] {
        var findings = structureFindings(document) + ReproductionBundle.secretFindings(cassette.log)
        for (index, entry) in cassette.entries.enumerated() {
            let base = "log.entries[\(index)]"
            findings += secretFindings(entry, base: base)
            for secret in knownSecrets {
                if let location = SecretScan.locate(secret.value, in: entry, number: index + 1) {
                    findings.append(Finding(location: "log." + location, message: "contains \(secret.description)"))
                }
            }
        }
        return findings
    }

    /// Checks a cassette about to be written, as `cassette verify` will read the file.
    public static func findings(in cassette: Cassette, knownSecrets: [KnownSecret] = []) -> [Finding] {
        guard let document = try? JSONValue.parse(cassette.encoded()) else { return [] }
        return findings(document: document, cassette: cassette, knownSecrets: knownSecrets)
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

    // MARK: - Credentials left in

    private static func secretFindings(_ entry: HAR.Entry, base: String) -> [Finding] {
        var findings: [Finding] = []
        let unredacted = { (value: String) in !value.isEmpty && !RedactionRules.isPlaceholder(value) }

        for (side, headers) in [("request", entry.request.headers), ("response", entry.response.headers)] {
            for header in headers where secretHeaders.contains(header.name.lowercased()) && unredacted(header.value) {
                findings.append(Finding(location: "\(base).\(side).headers[\(header.name)]", message: "\(header.name) value is not redacted"))
            }
        }
        for item in entry.request.queryString where secretNames.contains(item.name.lowercased()) && unredacted(item.value) {
            findings.append(Finding(location: "\(base).request.queryString[\(item.name)]", message: "'\(item.name)' is not redacted"))
        }
        if let postData = entry.request.postData, let text = postData.text, postData.extensions["_encoding"]?.stringValue != "base64" {
            if FormBody.isForm(postData.mimeType) {
                for field in FormBody.fields(in: text) where secretNames.contains(field.name.lowercased()) && unredacted(field.value) {
                    findings.append(Finding(location: "\(base).request.postData", message: "form field '\(field.name)' is not redacted"))
                }
            } else {
                findings += jsonFindings(text, location: "\(base).request.postData.text")
            }
        }
        if let text = entry.response.content.text, entry.response.content.encoding?.lowercased() != "base64" {
            findings += jsonFindings(text, location: "\(base).response.content.text")
        }
        SecretScan.forEachText(of: entry) { place, text in
            if jwt.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil {
                findings.append(Finding(location: "\(base).\(place())", message: "contains what looks like a JSON Web Token"))
            }
            return true
        }
        return findings
    }

    private static func jsonFindings(_ text: String, location: String) -> [Finding] {
        guard let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[",
            let value = try? JSONValue.parse(Array(text.utf8))
        else { return [] }
        var findings: [Finding] = []
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case .object(let object):
                for member in object.members {
                    let child = path + JSONPath(segments: [.key(member.key)]).text
                    if secretNames.contains(member.key.lowercased()), let string = member.value.stringValue,
                        !string.isEmpty, !RedactionRules.isPlaceholder(string)
                    {
                        findings.append(Finding(location: location, message: "\(child) is not redacted"))
                    }
                    walk(member.value, child)
                }
            case .array(let elements):
                for (index, element) in elements.enumerated() { walk(element, "\(path)[\(index)]") }
            default:
                break
            }
        }
        walk(value, "")
        return findings
    }
}

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
    private let headerNames: Set<String>
    private var finder = SecretFinder()
    /// Words for the values the caller declared secret (`the password`), by value.
    private var descriptions: [String: String] = [:]
    /// What was changed and why, while ``redactNoting(_:)`` runs.
    private var notes: [Note]?
    /// What ``SecretNames`` said of each name met so far: the same few header and field names
    /// come back in every exchange.
    private var secretHeaderNames: [String: Bool] = [:]
    private var secretFieldNames: [String: Bool] = [:]

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
    private let jsonPathNames: [[UInt8]]?

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

    /// A text outside any exchange (a bundle's script, a report's line) with every learned
    /// secret and pattern match replaced, and what was found in it.
    public mutating func redact(text: String, place: String) -> (text: String, notes: [Note]) {
        let saved = notes
        notes = []
        defer { notes = saved }
        let scrubbed = scrub(text, place: place)
        return (scrubbed, notes ?? [])
    }

    private mutating func note(_ place: @autoclosure () -> String, _ message: @autoclosure () -> String) {
        if notes != nil { notes!.append(Note(place: place(), message: message())) }
    }

    // MARK: - Rules that know where secrets are

    private mutating func isSecretHeader(_ name: String) -> Bool {
        if let known = secretHeaderNames[name] { return known }
        let secret = headerNames.contains(name.lowercased()) || (rules.findsSecretsByName && SecretNames.isSecretHeader(name))
        secretHeaderNames[name] = secret
        return secret
    }

    private mutating func isSecretField(_ name: String, explicit: [String]) -> Bool {
        explicit.contains(name) || (rules.findsSecretsByName && isSecretName(name))
    }

    /// By ``SecretNames`` alone (a JSON member's name: no rule lists members by name).
    private mutating func isSecretName(_ name: String) -> Bool {
        if let known = secretFieldNames[name] { return known }
        let secret = SecretNames.isSecretField(name)
        secretFieldNames[name] = secret
        return secret
    }

    private mutating func redactStructure(_ request: inout HAR.Request) {
        request.headers = request.headers.map { redactHeader($0, side: "request") }
        if isSecretHeader("cookie") { request.cookies = redactCookies(request.cookies, header: "cookie", side: "request") }
        redactQuery(&request)
        guard var postData = request.postData else { return }
        let text = postData.text
        if let text {
            postData.text = redactBody(
                text, isBase64: postData.extensions["_encoding"]?.stringValue == "base64", isForm: FormBody.isForm(postData.mimeType),
                place: "request.postData.text"
            )
        }
        postData.params = postData.params.map { params in
            params.map { param in
                var param = param
                if isSecretField(param.name, explicit: rules.formFields), let value = param.value, !value.isEmpty, !RedactionRules.isPlaceholder(value) {
                    learn(value, name: param.name)
                    // The parameters repeat the text's fields; a finding there was told already.
                    if text == nil { note("request.postData.params[\(param.name)]", "form field '\(param.name)' is not redacted") }
                    param.value = RedactionRules.placeholder(param.name)
                }
                return param
            }
        }
        request.postData = postData
    }

    private mutating func redactStructure(_ response: inout HAR.Response) {
        response.headers = response.headers.map { redactHeader($0, side: "response") }
        if isSecretHeader("set-cookie") { response.cookies = redactCookies(response.cookies, header: "set-cookie", side: "response") }
        if let text = response.content.text {
            response.content.text = redactBody(
                text, isBase64: response.content.encoding?.lowercased() == "base64", isForm: FormBody.isForm(response.content.mimeType),
                place: "response.content.text"
            )
        }
    }

    /// HAR's parsed cookies, redacted when their header is.
    private mutating func redactCookies(_ cookies: [HAR.Cookie], header: String, side: String) -> [HAR.Cookie] {
        cookies.map { cookie in
            guard !cookie.value.isEmpty, !RedactionRules.isPlaceholder(cookie.value) else { return cookie }
            var cookie = cookie
            learn(cookie.value, name: header)
            note("\(side).cookies[\(cookie.name)]", "cookie '\(cookie.name)' is not redacted")
            cookie.value = RedactionRules.placeholder(header)
            return cookie
        }
    }

    private mutating func redactHeader(_ header: HAR.NameValue, side: String) -> HAR.NameValue {
        guard isSecretHeader(header.name), !header.value.isEmpty, !RedactionRules.isPlaceholder(header.value) else { return header }
        let name = header.name.lowercased()
        switch name {
        case "cookie":
            for pair in header.value.split(separator: ";") {
                let value = pair.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
                learn(value.trimmingCharacters(in: .whitespaces), name: name)
            }
        case "set-cookie":
            let first = header.value.split(separator: ";").first ?? ""
            learn(first.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init) ?? "", name: name)
        default:
            // `Bearer TOKEN`: the whole value and the credentials may appear elsewhere (a body
            // that echoes the headers, a profile that mirrors the token).
            learn(header.value, name: name)
            let parts = header.value.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { learn(String(parts[1]), name: name) }
        }
        note("\(side).headers[\(header.name)]", "\(header.name) value is not redacted")
        return HAR.NameValue(name: header.name, value: RedactionRules.placeholder(name), comment: header.comment)
    }

    /// The URL's query is read itself: another tool's HAR may leave `queryString` empty.
    private mutating func redactQuery(_ request: inout HAR.Request) {
        guard let questionMark = request.url.firstIndex(of: "?") else { return }
        let fragmentStart = request.url[questionMark...].firstIndex(of: "#") ?? request.url.endIndex
        let query = request.url[request.url.index(after: questionMark)..<fragmentStart]
        let redacted = redactPairs(query, explicit: rules.queryParameters, plusIsSpace: false, place: "request.queryString", kind: "")
        if redacted != query {
            request.url = String(request.url[..<questionMark]) + "?" + redacted + request.url[fragmentStart...]
        }
        request.queryString = request.queryString.map { item in
            isSecretField(item.name, explicit: rules.queryParameters) && !RedactionRules.isPlaceholder(item.value) && !item.value.isEmpty
                ? HAR.NameValue(name: item.name, value: RedactionRules.placeholder(item.name), comment: item.comment) : item
        }
    }

    /// `name=value&…` (a query, a form body) with the values of secret names learned and
    /// replaced by their encoded placeholders; every other pair stays byte for byte.
    private mutating func redactPairs(_ text: Substring, explicit: [String], plusIsSpace: Bool, place: String, kind: String) -> String {
        text.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentEncoding.decode(parts[0], plusIsSpace: plusIsSpace)
            guard parts.count == 2, isSecretField(name, explicit: explicit) else { return String(pair) }
            let value = PercentEncoding.decode(parts[1], plusIsSpace: plusIsSpace)
            guard !value.isEmpty, !RedactionRules.isPlaceholder(value) else { return String(pair) }
            learn(value, name: name)
            note(kind.isEmpty ? "\(place)[\(name)]" : place, "\(kind)'\(name)' is not redacted")
            return "\(parts[0])=\(PercentEncoder.unreserved.encode(RedactionRules.placeholder(name)))"
        }.joined(separator: "&")
    }

    /// A body, whatever its declared type: JSON members and form fields with secret names
    /// are taken out. A base64 body (binary, or text stored so) is looked at decoded.
    private mutating func redactBody(_ text: String, isBase64: Bool, isForm: Bool, place: String) -> String {
        guard isBase64 else { return redactBodyText(text, isForm: isForm, place: place) }
        guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters), let decoded = String(validating: data, as: UTF8.self) else {
            return text
        }
        let redacted = redactBodyText(decoded, isForm: isForm, place: place)
        return redacted == decoded ? text : Data(redacted.utf8).base64EncodedString()
    }

    private mutating func redactBodyText(_ text: String, isForm: Bool, place: String) -> String {
        if isForm || FormBody.looksLikeForm(text) {
            // Named as `cassette verify` has always named a form field: by its body.
            let body = place.hasSuffix(".text") ? String(place.dropLast(5)) : place
            return redactPairs(text[...], explicit: rules.formFields, plusIsSpace: true, place: body, kind: "form field ")
        }
        return redactJSON(text, place: place)
    }

    /// Learns the string values that the JSON paths reach, and those of members with secret
    /// names (at any depth, and everything inside them); they are then replaced textually, which
    /// keeps the rest of the body byte for byte. Other values (numbers, short strings) are
    /// replaced in the structure.
    private mutating func redactJSON(_ text: String, place: String) -> String {
        guard mayReachSecretMembers(text), let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[",
            var document = try? JSONValue.parse(Array(text.utf8))
        else { return text }
        var restructured = false
        for path in rules.jsonPaths {
            let name = path.placeholderName
            for value in path.values(in: document) where secretValue(value, name: name, member: path.text, place: place) {
                document = path.replacing(in: document) { _ in .string(RedactionRules.placeholder(name)) }
                restructured = true
            }
        }
        if rules.findsSecretsByName {
            if let walked = walk(document, secretName: nil, path: "", place: place) {
                document = walked
                restructured = true
            }
        }
        return restructured ? document.serialized() : text
    }

    /// Every member with a secret name, and all that is inside it. Returns the value with its
    /// replacements, or nil when nothing in it changed (most values: nothing is rebuilt).
    private mutating func walk(_ value: JSONValue, secretName: String?, path: String, place: String) -> JSONValue? {
        switch value {
        case .object(let object):
            var changed: JSONObject?
            for member in object.members {
                // The path is only spelled out for findings.
                let child = notes == nil ? "" : path + JSONPath(segments: [.key(member.key)]).text
                let name = secretName ?? (isSecretName(member.key) ? member.key : nil)
                if let replaced = walk(member.value, secretName: name, path: child, place: place) {
                    if changed == nil { changed = object }
                    changed![member.key] = replaced
                }
            }
            return changed.map(JSONValue.object)
        case .array(let elements):
            var changed: [JSONValue]?
            for (index, element) in elements.enumerated() {
                if let replaced = walk(element, secretName: secretName, path: notes == nil ? "" : "\(path)[\(index)]", place: place) {
                    if changed == nil { changed = elements }
                    changed![index] = replaced
                }
            }
            return changed.map(JSONValue.array)
        default:
            guard let secretName, secretValue(value, name: secretName, member: path, place: place) else { return nil }
            return .string(RedactionRules.placeholder(secretName))
        }
    }

    /// Learns a secret JSON value; true when it must be replaced in the structure instead
    /// (a number, a string too short to search for).
    private mutating func secretValue(_ value: JSONValue, name: String, member: String, place: String) -> Bool {
        switch value {
        case .string(let secret):
            guard !secret.isEmpty, !RedactionRules.isPlaceholder(secret) else { return false }
            note(place, "\(member) is not redacted")
            guard secret.utf8.count >= Self.minimumSearchedLength else { return true }
            learn(secret, name: name)
            return false
        case .number:
            note(place, "\(member) is not redacted")
            return true
        case .null, .bool, .object, .array:
            return false
        }
    }

    /// Whether a body could hold what the JSON rules reach: most bodies name none of their
    /// members, and are not worth parsing. A name spelled with `\u` escapes is caught by
    /// parsing every body that has one.
    private func mayReachSecretMembers(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            if ByteSearch.firstOffset(of: Self.unicodeEscape, in: bytes, from: 0) != nil { return true }
            guard let jsonPathNames else { return true }
            if jsonPathNames.contains(where: { ByteSearch.firstOffset(of: $0, in: bytes, from: 0) != nil }) { return true }
            return rules.findsSecretsByName && SecretNames.mayNameSecretMember(bytes)
        }
    }

    private static let unicodeEscape = Array(#"\u"#.utf8)

    private static func lastMemberNames(_ paths: [JSONPath]) -> [[UInt8]]? {
        var names: [[UInt8]] = []
        for path in paths {
            let last = path.segments.last { if case .key = $0 { true } else { false } }
            guard case .key(let name)? = last else { return nil }
            names.append(Array(JSONValue.quoted(name).utf8))
        }
        return names
    }

    // MARK: - Learned values and patterns, wherever they are

    private mutating func replacingSecrets(in request: HAR.Request) -> HAR.Request {
        guard !finder.isEmpty || !rules.patterns.isEmpty else { return request }
        var request = request
        request.url = scrub(request.url, inURL: true, place: "request.url")
        request.headers = request.headers.map { HAR.NameValue(name: $0.name, value: scrub($0.value, place: "request.headers[\($0.name)]"), comment: $0.comment) }
        request.queryString = request.queryString.map {
            HAR.NameValue(name: $0.name, value: scrub($0.value, place: "request.queryString[\($0.name)]"), comment: $0.comment)
        }
        request.cookies = request.cookies.map { cookie in
            var cookie = cookie
            cookie.value = scrub(cookie.value, place: "request.cookies[\(cookie.name)]")
            return cookie
        }
        if var postData = request.postData {
            let isForm = FormBody.isForm(postData.mimeType)
            if let text = postData.text {
                postData.text = scrubBody(text, isBase64: postData.extensions["_encoding"]?.stringValue == "base64", inURL: isForm, place: "request.postData.text")
            }
            postData.params = postData.params?.map { param in
                var param = param
                param.value = param.value.map { scrub($0, place: "request.postData.params[\(param.name)]") }
                return param
            }
            request.postData = postData
        }
        return request
    }

    private mutating func replacingSecrets(in response: HAR.Response) -> HAR.Response {
        guard !finder.isEmpty || !rules.patterns.isEmpty else { return response }
        var response = response
        response.headers = response.headers.map { HAR.NameValue(name: $0.name, value: scrub($0.value, place: "response.headers[\($0.name)]"), comment: $0.comment) }
        response.cookies = response.cookies.map { cookie in
            var cookie = cookie
            cookie.value = scrub(cookie.value, place: "response.cookies[\(cookie.name)]")
            return cookie
        }
        response.redirectURL = scrub(response.redirectURL, inURL: true, place: "response.redirectURL")
        if let text = response.content.text {
            response.content.text = scrubBody(text, isBase64: response.content.encoding?.lowercased() == "base64", inURL: false, place: "response.content.text")
        }
        return response
    }

    /// A body's learned secrets replaced; a base64 body is searched decoded, as bytes, and
    /// encoded again only when something was replaced.
    private mutating func scrubBody(_ text: String, isBase64: Bool, inURL: Bool, place: String) -> String {
        guard isBase64 else { return scrub(text, inURL: inURL, place: place) }
        guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else { return text }
        let bytes = [UInt8](data)
        if let text = String(validating: bytes, as: UTF8.self) {
            let scrubbed = scrub(text, inURL: inURL, place: place)
            return scrubbed == text ? text : Data(scrubbed.utf8).base64EncodedString()
        }
        let matches = finder.matches(in: bytes)
        guard !matches.isEmpty else { return text }
        noteSecrets(matches, place: place)
        return Data(SecretFinder.replacing(matches, in: bytes) { RedactionRules.placeholder(finder.secrets[$0.secret].name) }).base64EncodedString()
    }

    /// Replaces every learned secret, however it is written, and everything the patterns
    /// match. In URLs and form bodies, and where the secret itself was percent-encoded, the
    /// placeholder is percent-encoded.
    private mutating func scrub(_ text: String, inURL: Bool = false, place: String) -> String {
        var text = text
        if !finder.isEmpty {
            let bytes = Array(text.utf8)
            let matches = finder.matches(in: bytes)
            if !matches.isEmpty {
                noteSecrets(matches, place: place)
                let replaced = SecretFinder.replacing(matches, in: bytes) { match in
                    let placeholder = RedactionRules.placeholder(finder.secrets[match.secret].name)
                    return inURL || match.spelling == .percentEncoded ? PercentEncoder.unreserved.encode(placeholder) : placeholder
                }
                text = String(decoding: replaced, as: UTF8.self)
            }
        }
        for pattern in rules.patterns {
            let applied = Self.apply(pattern, to: text)
            if applied != text {
                note(place, pattern.finding)
                text = applied
            }
        }
        return text
    }

    private mutating func noteSecrets(_ matches: [SecretFinder.Match], place: String) {
        guard let notes else { return }
        // A place whose rule was noted already: the value it learned there is why it matches.
        let ruled = notes.contains { place.hasPrefix($0.place) }
        for match in matches {
            let secret = finder.secrets[match.secret]
            if let description = descriptions[secret.value] {
                note(place, "contains \(description)")
            } else if !ruled {
                note(place, "contains a value redacted elsewhere as \(RedactionRules.placeholder(secret.name))")
            }
        }
    }

    private static func apply(_ pattern: RedactionRules.Pattern, to text: String) -> String {
        guard pattern.mayMatch(text) else { return text }
        let regex = pattern.regex
        let source = text as NSString
        let matches = regex.matches(in: text, range: NSRange(location: 0, length: source.length))
        guard !matches.isEmpty else { return text }
        let result = NSMutableString(string: text)
        for match in matches.reversed() {
            let range = match.numberOfRanges > 1 && match.range(at: 1).location != NSNotFound ? match.range(at: 1) : match.range
            result.replaceCharacters(in: range, with: RedactionRules.placeholder(pattern.name))
        }
        return result as String
    }
}

extension JSONPath {
    /// `access_token` for `.access_token`, `AccessToken` for `User.AccessToken`.
    var placeholderName: String {
        for segment in segments.reversed() {
            if case .key(let key) = segment { return key }
        }
        return "value"
    }
}

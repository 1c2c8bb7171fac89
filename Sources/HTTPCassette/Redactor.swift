import Foundation
import JSONValues

/// Applies ``RedactionRules`` to HAR entries, and remembers every secret value it took out so
/// that the same value is replaced wherever else it appears: a token learned from a token
/// answer is also taken out of later `Authorization` headers, of a profile body that mirrors it,
/// of a URL. Redaction is deterministic, so a live request redacted the same way matches its
/// redacted recording.
public struct Redactor: Sendable {
    public let rules: RedactionRules
    /// `rules.headers`, lower-cased once: headers are checked on every request.
    private let headerNames: Set<String>
    /// Secret values learned so far, each with the name of its placeholder.
    public private(set) var secrets: [(value: String, name: String)] = [] {
        didSet { spellings = secrets.map(Self.spellings) }
    }
    /// For each secret, in the same order: how it may be written (raw, JSON-escaped,
    /// percent-encoded) and what replaces it in plain text and in URLs. Worked out once, since
    /// every text of every exchange is searched for every secret.
    private var spellings: [[Spelling]] = []

    private struct Spelling: Sendable {
        let bytes: [UInt8]
        /// The replacement in plain text and in a URL or form body.
        let replacement: String
        let urlReplacement: String
    }

    /// Shorter values are redacted where a rule finds them but not searched for elsewhere:
    /// replacing every "abc" in every body would corrupt unrelated text.
    public static let minimumSearchedLength = 6

    /// For each JSON path, its last member name as written in JSON text (`"access_token"`); nil
    /// when a path names no member, and every JSON body must then be parsed to apply it.
    private let jsonPathNames: [[UInt8]]?

    public init(rules: RedactionRules, secrets: [(value: String, name: String)] = []) {
        self.rules = rules
        headerNames = Set(rules.headers.map { $0.lowercased() })
        jsonPathNames = Self.lastMemberNames(rules.jsonPaths)
        for secret in secrets { learn(secret.value, name: secret.name) }
    }

    /// Adds a value to take out wherever it appears (the session's password, say).
    public mutating func learn(_ value: String, name: String) {
        guard value.count >= Self.minimumSearchedLength, !RedactionRules.isPlaceholder(value),
            !secrets.contains(where: { $0.value == value })
        else { return }
        secrets.append((value, name))
        secrets.sort { $0.value.count > $1.value.count }
    }

    public mutating func redact(_ entry: HAR.Entry) -> HAR.Entry {
        var entry = entry
        redactStructure(&entry.request)
        redactStructure(&entry.response)
        entry.request = replacingSecrets(in: entry.request)
        entry.response = replacingSecrets(in: entry.response)
        return entry
    }

    /// Redacts a request alone: what a replay does to a live request before looking it up.
    public mutating func redact(_ request: HAR.Request) -> HAR.Request {
        var request = request
        redactStructure(&request)
        return replacingSecrets(in: request)
    }

    // MARK: - Rules that know where secrets are

    private mutating func redactStructure(_ request: inout HAR.Request) {
        request.headers = request.headers.map { redactHeader($0) }
        request.cookies = redactCookies(request.cookies, header: "cookie")
        redactQuery(&request)
        guard var postData = request.postData, let text = postData.text,
            postData.extensions["_encoding"]?.stringValue != "base64"
        else { return }
        if FormBody.isForm(postData.mimeType) {
            postData.text = redactForm(text)
            postData.params = postData.params.map { params in
                params.map { param in
                    var param = param
                    if rules.formFields.contains(param.name), let value = param.value, !RedactionRules.isPlaceholder(value) {
                        param.value = RedactionRules.placeholder(param.name)
                    }
                    return param
                }
            }
        } else {
            postData.text = redactJSON(text)
        }
        request.postData = postData
    }

    private mutating func redactStructure(_ response: inout HAR.Response) {
        response.headers = response.headers.map { redactHeader($0) }
        response.cookies = redactCookies(response.cookies, header: "set-cookie")
        if let text = response.content.text, response.content.encoding?.lowercased() != "base64" {
            response.content.text = redactJSON(text)
        }
    }

    /// HAR's parsed cookies, redacted when their header is.
    private mutating func redactCookies(_ cookies: [HAR.Cookie], header: String) -> [HAR.Cookie] {
        guard headerNames.contains(header) else { return cookies }
        return cookies.map { cookie in
            var cookie = cookie
            learn(cookie.value, name: header)
            cookie.value = RedactionRules.placeholder(header)
            return cookie
        }
    }

    private mutating func redactHeader(_ header: HAR.NameValue) -> HAR.NameValue {
        let name = header.name.lowercased()
        guard headerNames.contains(name), !RedactionRules.isPlaceholder(header.value) else {
            return header
        }
        switch name {
        case "authorization", "proxy-authorization":
            // `Bearer TOKEN`: the whole value and the credentials may appear elsewhere (a body
            // that echoes the headers, a profile that mirrors the token).
            learn(header.value, name: name)
            let parts = header.value.split(separator: " ", maxSplits: 1)
            learn(String(parts.last ?? ""), name: name)
        case "cookie":
            for pair in header.value.split(separator: ";") {
                let value = pair.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
                learn(value.trimmingCharacters(in: .whitespaces), name: name)
            }
        case "set-cookie":
            let first = header.value.split(separator: ";").first ?? ""
            learn(first.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init) ?? "", name: name)
        default:
            learn(header.value, name: name)
        }
        return HAR.NameValue(name: header.name, value: RedactionRules.placeholder(name), comment: header.comment)
    }

    private mutating func redactQuery(_ request: inout HAR.Request) {
        guard !rules.queryParameters.isEmpty, request.queryString.contains(where: { rules.queryParameters.contains($0.name) }),
            let questionMark = request.url.firstIndex(of: "?")
        else { return }
        let fragmentStart = request.url[questionMark...].firstIndex(of: "#") ?? request.url.endIndex
        let query = request.url[request.url.index(after: questionMark)..<fragmentStart]
        let redacted = redactPairs(query, names: rules.queryParameters, plusIsSpace: false)
        guard redacted != query else { return }
        request.url = String(request.url[..<questionMark]) + "?" + redacted + request.url[fragmentStart...]
        request.queryString = request.queryString.map { item in
            rules.queryParameters.contains(item.name)
                ? HAR.NameValue(name: item.name, value: RedactionRules.placeholder(item.name), comment: item.comment) : item
        }
    }

    /// Replaces the named fields' values, leaving every other byte of the body as it was.
    private mutating func redactForm(_ text: String) -> String {
        guard !rules.formFields.isEmpty else { return text }
        return redactPairs(text[...], names: rules.formFields, plusIsSpace: true)
    }

    /// `name=value&…` (a query, a form body) with the values of `names` learned and replaced
    /// by their encoded placeholders; every other pair stays byte for byte.
    private mutating func redactPairs(_ text: Substring, names: [String], plusIsSpace: Bool) -> String {
        text.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentEncoding.decode(parts[0], plusIsSpace: plusIsSpace)
            guard parts.count == 2, names.contains(name) else { return String(pair) }
            let value = PercentEncoding.decode(parts[1], plusIsSpace: plusIsSpace)
            guard !RedactionRules.isPlaceholder(value) else { return String(pair) }
            learn(value, name: name)
            return "\(parts[0])=\(PercentEncoding.encode(RedactionRules.placeholder(name)))"
        }.joined(separator: "&")
    }

    /// Learns the string values the JSON paths reach; they are then replaced textually, which
    /// keeps the rest of the body byte for byte. Other values are replaced in the structure.
    private mutating func redactJSON(_ text: String) -> String {
        guard !rules.jsonPaths.isEmpty, mayReachJSONPaths(text),
            let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[",
            var document = try? JSONValue.parse(Array(text.utf8))
        else { return text }
        var restructured = false
        for path in rules.jsonPaths {
            let name = path.placeholderName
            for value in path.values(in: document) {
                switch value {
                case .string(let secret):
                    if secret.count >= Self.minimumSearchedLength {
                        learn(secret, name: name)
                    } else if !secret.isEmpty, !RedactionRules.isPlaceholder(secret) {
                        document = path.replacing(in: document) { _ in .string(RedactionRules.placeholder(name)) }
                        restructured = true
                    }
                case .null:
                    break
                default:
                    document = path.replacing(in: document) { _ in .string(RedactionRules.placeholder(name)) }
                    restructured = true
                }
            }
        }
        return restructured ? document.serialized() : text
    }

    /// Whether a body could hold what the JSON paths reach: most bodies name none of their
    /// members, and are not worth parsing. A name spelled with `\u` escapes is caught by
    /// parsing every body that has one.
    private func mayReachJSONPaths(_ text: String) -> Bool {
        guard let jsonPathNames else { return true }
        return text.containsBytes(Self.unicodeEscape) || jsonPathNames.contains { text.containsBytes($0) }
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

    // MARK: - Learned values, wherever they are

    private func replacingSecrets(in request: HAR.Request) -> HAR.Request {
        guard !secrets.isEmpty || !rules.patterns.isEmpty else { return request }
        var request = request
        request.url = scrub(request.url, inURL: true)
        request.headers = request.headers.map { HAR.NameValue(name: $0.name, value: scrub($0.value), comment: $0.comment) }
        request.queryString = request.queryString.map { HAR.NameValue(name: $0.name, value: scrub($0.value), comment: $0.comment) }
        request.cookies = request.cookies.map { cookie in
            var cookie = cookie
            cookie.value = scrub(cookie.value)
            return cookie
        }
        if var postData = request.postData, postData.extensions["_encoding"]?.stringValue != "base64" {
            let isForm = FormBody.isForm(postData.mimeType)
            postData.text = postData.text.map { scrub($0, inURL: isForm) }
            postData.params = postData.params?.map { param in
                var param = param
                param.value = param.value.map { scrub($0) }
                return param
            }
            request.postData = postData
        }
        return request
    }

    private func replacingSecrets(in response: HAR.Response) -> HAR.Response {
        guard !secrets.isEmpty || !rules.patterns.isEmpty else { return response }
        var response = response
        response.headers = response.headers.map { HAR.NameValue(name: $0.name, value: scrub($0.value), comment: $0.comment) }
        response.cookies = response.cookies.map { cookie in
            var cookie = cookie
            cookie.value = scrub(cookie.value)
            return cookie
        }
        response.redirectURL = scrub(response.redirectURL, inURL: true)
        if response.content.encoding?.lowercased() != "base64" {
            response.content.text = response.content.text.map { scrub($0) }
        }
        return response
    }

    /// Replaces every learned secret (as written raw, JSON-escaped or percent-encoded) and
    /// everything the patterns match. In URLs and form bodies the placeholder is percent-encoded.
    func scrub(_ text: String, inURL: Bool = false) -> String {
        var text = text
        for forms in spellings {
            for form in forms {
                text = text.replacingBytes(form.bytes, with: inURL ? form.urlReplacement : form.replacement)
            }
        }
        for pattern in rules.patterns {
            text = Self.apply(pattern, to: text)
        }
        return text
    }

    private static func spellings(_ secret: (value: String, name: String)) -> [Spelling] {
        let placeholder = RedactionRules.placeholder(secret.name)
        let urlPlaceholder = PercentEncoding.encode(placeholder)
        let (_, escaped, encoded) = SecretScan.writtenForms(of: secret.value)
        // The raw value in a URL or form gets the percent-encoded placeholder; a spelling the
        // same as the raw one is searched for once.
        var forms = [Spelling(bytes: Array(secret.value.utf8), replacement: placeholder, urlReplacement: urlPlaceholder)]
        if escaped != secret.value {
            forms.append(Spelling(bytes: Array(escaped.utf8), replacement: placeholder, urlReplacement: placeholder))
        }
        if encoded != secret.value {
            forms.append(Spelling(bytes: Array(encoded.utf8), replacement: urlPlaceholder, urlReplacement: urlPlaceholder))
        }
        return forms
    }

    private static func apply(_ pattern: RedactionRules.Pattern, to text: String) -> String {
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

extension String {
    /// A byte search: far cheaper than Foundation's `contains`, and most texts searched for a
    /// secret hold none.
    func containsBytes(_ needle: [UInt8]) -> Bool {
        var text = self
        return text.withUTF8 { Self.firstOffset(of: needle, in: $0, from: 0) } != nil
    }

    /// Every occurrence of `needle` replaced, found byte by byte; the text itself when there is
    /// none, which is most of the time.
    func replacingBytes(_ needle: [UInt8], with replacement: String) -> String {
        guard !needle.isEmpty else { return self }
        var text = self
        return text.withUTF8 { haystack in
            guard var found = Self.firstOffset(of: needle, in: haystack, from: 0) else { return self }
            var result: [UInt8] = []
            result.reserveCapacity(haystack.count)
            var copied = 0
            while true {
                result.append(contentsOf: UnsafeBufferPointer(rebasing: haystack[copied..<found]))
                result.append(contentsOf: replacement.utf8)
                copied = found + needle.count
                guard let next = Self.firstOffset(of: needle, in: haystack, from: copied) else { break }
                found = next
            }
            result.append(contentsOf: UnsafeBufferPointer(rebasing: haystack[copied...]))
            return String(decoding: result, as: UTF8.self)
        }
    }

    private static func firstOffset(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let first = needle.first else { return start }
        guard let base = haystack.baseAddress, haystack.count - start >= needle.count else { return nil }
        return needle.withUnsafeBytes { needleBytes in
            var position = start
            let last = haystack.count - needle.count
            while position <= last {
                // memchr and memcmp: the C library's vectorized loops, not element by element.
                guard let found = memchr(base + position, Int32(first), last - position + 1) else { return nil }
                let offset = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                if memcmp(found, needleBytes.baseAddress!, needle.count) == 0 { return offset }
                position = offset + 1
            }
            return nil
        }
    }
}

import Foundation
import HTTPValues
import JSONValues
import Secrets

// The redactor's first pass: the rules that know where secrets are (headers, cookies, query
// parameters, form fields, JSON members by path or by name), which learn each value they take
// out. The second pass, in Redactor+LearnedSecrets.swift, takes those values out wherever else
// they appear.

extension Redactor {
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

    mutating func redactStructure(_ request: inout HAR.Request) {
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

    mutating func redactStructure(_ response: inout HAR.Response) {
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
        // Found as bytes: a Character-wise search cost more than the rest of the redaction.
        let utf8 = request.url.utf8
        guard let questionMark = utf8.firstIndex(of: UInt8(ascii: "?")) else { return }
        let fragmentStart = utf8[questionMark...].firstIndex(of: UInt8(ascii: "#")) ?? utf8.endIndex
        let query = request.url[utf8.index(after: questionMark)..<fragmentStart]
        if let redacted = redactPairs(query, explicit: rules.queryParameters, plusIsSpace: false, place: "request.queryString", kind: "") {
            request.url = String(request.url[..<questionMark]) + "?" + redacted + request.url[fragmentStart...]
        }
        request.queryString = request.queryString.map { item in
            isSecretField(item.name, explicit: rules.queryParameters) && !RedactionRules.isPlaceholder(item.value) && !item.value.isEmpty
                ? HAR.NameValue(name: item.name, value: RedactionRules.placeholder(item.name), comment: item.comment) : item
        }
    }

    /// `name=value&…` (a query, a form body) with the values of secret names learned and
    /// replaced by their encoded placeholders; every other pair stays byte for byte. Nil when
    /// no pair holds a secret: every request a replay looks up passes here, and most hold none.
    private mutating func redactPairs(_ text: Substring, explicit: [String], plusIsSpace: Bool, place: String, kind: String) -> String? {
        var replacements: [(pair: Range<Substring.Index>, text: String)] = []
        // Split as bytes: `&` and `=` are ASCII, and a Character-wise split was most of the cost.
        for bytes in text.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false) {
            let pair = Substring(bytes)
            guard let equals = pair.utf8.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = PercentEncoding.decode(pair[..<equals], plusIsSpace: plusIsSpace)
            guard isSecretField(name, explicit: explicit) else { continue }
            let value = PercentEncoding.decode(pair[pair.utf8.index(after: equals)...], plusIsSpace: plusIsSpace)
            guard !value.isEmpty, !RedactionRules.isPlaceholder(value) else { continue }
            learn(value, name: name)
            note(kind.isEmpty ? "\(place)[\(name)]" : place, "\(kind)'\(name)' is not redacted")
            replacements.append((pair.startIndex..<pair.endIndex, "\(pair[..<equals])=\(PercentEncoder.unreserved.encode(RedactionRules.placeholder(name)))"))
        }
        guard !replacements.isEmpty else { return nil }
        var redacted = ""
        var rest = text.startIndex
        for replacement in replacements {
            redacted += text[rest..<replacement.pair.lowerBound] + replacement.text
            rest = replacement.pair.upperBound
        }
        return redacted + text[rest...]
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
            return redactPairs(text[...], explicit: rules.formFields, plusIsSpace: true, place: body, kind: "form field ") ?? text
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

    static func lastMemberNames(_ paths: [JSONPath]) -> [[UInt8]]? {
        var names: [[UInt8]] = []
        for path in paths {
            let last = path.segments.last { if case .key = $0 { true } else { false } }
            guard case .key(let name)? = last else { return nil }
            names.append(Array(JSONValue.quoted(name).utf8))
        }
        return names
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

import Foundation
import HTTPValues
import Secrets

// The redactor's second pass: every value learned so far (and every pattern match) replaced in
// every text of an exchange, however it is written there. The first pass, which learns the
// values, is in Redactor+Rules.swift.

extension Redactor {
    mutating func replacingSecrets(in request: HAR.Request) -> HAR.Request {
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

    mutating func replacingSecrets(in response: HAR.Response) -> HAR.Response {
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
    /// `place` is only worked out for a note (``redactNoting(_:)``): a replay scrubs every
    /// header of every request, and named each place for nothing.
    mutating func scrub(_ text: String, inURL: Bool = false, place: @autoclosure () -> String) -> String {
        var text = text
        if !finder.isEmpty {
            let bytes = Array(text.utf8)
            let matches = finder.matches(in: bytes)
            if !matches.isEmpty {
                if notes != nil { noteSecrets(matches, place: place()) }
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
                note(place(), pattern.finding)
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

import Foundation
import HTTPValues
import JSONValues

/// A request reduced to what matching compares, with a key that equal requests share. The key
/// indexes a cassette's entries, so finding the answer to a request costs one dictionary lookup.
package struct RequestShape {
    package enum Body: Equatable {
        case none
        case json(JSONValue)
        case form([Pair])
        case raw(String)
    }

    package struct Pair: Equatable, Comparable {
        package let name: String
        package let value: String

        package static func < (lhs: Pair, rhs: Pair) -> Bool {
            (lhs.name, lhs.value) < (rhs.name, rhs.value)
        }
    }

    package let method: String
    package let origin: String
    package let path: String
    package let query: [Pair]
    package let headers: [Pair]
    package let body: Body
    package let key: String

    package init(_ request: HAR.Request, rules: MatchRules) {
        let headers = rules.headers.flatMap { name in
            request.headers.filter { $0.name.lowercased() == name.lowercased() }.map { Pair(name: name.lowercased(), value: $0.value) }
        }.sorted()
        let body = rules.matchBody ? Self.body(of: request, ignoring: rules.ignoredBodyPaths) : .none
        self.init(method: request.method, url: request.url, headers: headers, body: body, rules: rules)
    }

    /// Entry `index` of a cassette's recorded requests: a request without a body, for rules
    /// that compare no header, from what the index holds of it (its method and URL), any other
    /// decoded.
    init(recordedEntry index: Int, in entries: CassetteIndex, rules: MatchRules) throws(CassetteError) {
        if rules.headers.isEmpty && !entries.hasBody(ofEntry: index) {
            self.init(bodilessRequest: entries.method(ofEntry: index), url: entries.url(ofEntry: index), rules: rules)
        } else {
            self.init(try entries.request(at: index), rules: rules)
        }
    }

    /// A request without a body, for `rules` that compare no header: what a cassette's index
    /// holds of it is all there is to compare.
    init(bodilessRequest method: String, url: String, rules: MatchRules) {
        self.init(method: method, url: url, headers: [], body: .none, rules: rules)
    }

    private init(method: String, url: String, headers: [Pair], body: Body, rules: MatchRules) {
        self.method = method.uppercased()
        let parts = URLParts(url)
        origin = rules.matchHost ? parts.origin : ""
        path = parts.path
        query = parts.query
            .filter { !rules.ignoredQueryParameters.contains($0.name) }
            .sorted()
        self.headers = headers
        self.body = body

        // Appended piece by piece: every request of a replay, and every recorded one it is
        // matched with, is keyed, and joining mapped pieces made a string of each first.
        var key = self.method
        func append(_ pairs: [Pair], _ separator: String, _ between: String) {
            for (offset, pair) in pairs.enumerated() {
                if offset > 0 { key += separator }
                key += pair.name
                key += between
                key += pair.value
            }
        }
        key += "\u{1F}"
        key += origin
        key += "\u{1F}"
        key += path
        key += "\u{1F}"
        append(query, "&", "=")
        key += "\u{1F}"
        append(headers, "\n", ":")
        switch body {
        case .none: key += "\u{1F}"
        case .json(let value):
            key += "\u{1F}j"
            key += value.canonicalText
        case .form(let fields):
            key += "\u{1F}f"
            append(fields, "&", "=")
        case .raw(let text):
            key += "\u{1F}r"
            key += text
        }
        self.key = key
    }

    /// `GET /api/public/coworkers/profiles?_shape=User`.
    package static func label(_ request: HAR.Request) -> String {
        label(method: request.method, url: request.url)
    }

    static func label(method: String, url: String) -> String {
        HTTPRequest.label(method: method, target: HAR.Request.target(ofURL: url))
    }

    /// The method and path: a recording answers a request only on the request's route, so a
    /// replay decodes the recorded requests of the routes it is asked for, no others.
    var route: String { Self.route(method: method, path: path) }

    static func route(method: String, url: String) -> String {
        route(method: method.uppercased(), path: URLParts.path(of: url))
    }

    private static func route(method: String, path: String) -> String { method + " " + path }

    private static func body(of request: HAR.Request, ignoring ignoredPaths: [JSONPath]) -> Body {
        guard let postData = request.postData, let text = postData.text, !text.isEmpty else { return .none }
        if postData.extensions["_encoding"]?.stringValue == "base64" { return .raw(text) }
        if FormBody.isForm(postData.mimeType) {
            return .form(FormBody.fields(in: text).map { Pair(name: $0.name, value: $0.value) }.sorted())
        }
        let start = text.first { !$0.isWhitespace }
        if start == "{" || start == "[", var value = try? JSONValue.parse(Array(text.utf8)) {
            for path in ignoredPaths {
                value = path.replacing(in: value) { _ in .null }
            }
            return .json(value)
        }
        return .raw(text)
    }
}

/// The parts of a URL that matching looks at, read without decoding the path (so `%2F` and
/// `/` stay different, as they are to a server).
struct URLParts {
    let origin: String
    let path: String
    let rawQuery: String?

    init(_ text: String) {
        let bounds = Bounds(text)
        origin = String(text[bounds.origin]).lowercased()
        path = Self.path(text, bounds)
        rawQuery = bounds.query.map { String(text[$0]) }
    }

    /// The path alone, with no origin or query written out: what a replay index needs of each
    /// of a cassette's entries.
    static func path(of text: String) -> String {
        path(text, Bounds(text))
    }

    private static func path(_ text: String, _ bounds: Bounds) -> String {
        bounds.path.isEmpty ? "/" : PercentEncoding.normalize(text[bounds.path])
    }

    /// Where the origin, the path and the query lie (a fragment is left out).
    private struct Bounds {
        let origin: Range<String.Index>
        let path: Range<String.Index>
        let query: Range<String.Index>?

        init(_ text: String) {
            // Byte offsets in contiguous UTF-8: the separators are ASCII, and walking the text
            // Character by Character, or its UTF-8 view index by index, cost a replay 2%.
            var contiguous = text
            let (originEnd, queryStart, end) = contiguous.withUTF8 { bytes in
                let end = bytes.firstIndex(of: UInt8(ascii: "#")) ?? bytes.count
                var start = 0
                if let colon = bytes[..<end].firstIndex(of: UInt8(ascii: ":")), colon + 3 <= end,
                    bytes[colon + 1] == UInt8(ascii: "/"), bytes[colon + 2] == UInt8(ascii: "/") {
                    start = bytes[(colon + 3)..<end].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? end
                }
                return (start, bytes[start..<end].firstIndex(of: UInt8(ascii: "?")), end)
            }
            // Indices of the text itself, which the ranges are used on.
            let utf8 = text.utf8
            func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
            origin = utf8.startIndex..<index(originEnd)
            path = index(originEnd)..<index(queryStart ?? end)
            query = queryStart.map { index($0 + 1)..<index(end) }
        }
    }

    /// The query's decoded pairs.
    var query: [RequestShape.Pair] { rawQuery.map(Self.pairs(ofQuery:)) ?? [] }

    /// Decoded name/value pairs of a raw query (`a=1&b=%20`), in order; empty pairs are left out.
    static func pairs(ofQuery raw: String) -> [RequestShape.Pair] {
        raw.utf8.split(separator: UInt8(ascii: "&")).map { bytes in
            let pair = Substring(bytes)
            guard let equals = pair.utf8.firstIndex(of: UInt8(ascii: "=")) else {
                return RequestShape.Pair(name: PercentEncoding.decode(pair), value: "")
            }
            return RequestShape.Pair(name: PercentEncoding.decode(pair[..<equals]), value: PercentEncoding.decode(pair[pair.utf8.index(after: equals)...]))
        }
    }
}

import JSONValues

/// A semantic comparison of two cassettes, entry by entry: what an API answers differently now.
/// Dates, timings, the host and volatile headers are ignored by default.
public enum CassetteDiff {
    public struct Options: Sendable {
        /// Header names (any case) left out of the comparison.
        public var ignoredHeaders: Set<String>
        public var compareHost: Bool

        public init(ignoredHeaders: Set<String> = Options.volatileHeaders, compareHost: Bool = false) {
            self.ignoredHeaders = Set(ignoredHeaders.map { $0.lowercased() })
            self.compareHost = compareHost
        }

        /// Headers that change from one answer to the next without the API changing.
        public static let volatileHeaders: Set<String> = [
            "date", "age", "expires", "last-modified", "etag", "server-timing", "x-request-id", "x-correlation-id",
            "request-id", "x-amzn-trace-id", "x-amzn-requestid", "cf-ray", "report-to", "nel", "x-runtime", "via",
            "x-cache", "x-served-by", "x-timer", "alt-svc", "connection", "keep-alive", "transfer-encoding", "content-length",
        ]
    }

    /// The differences of one entry, numbered from 1.
    public struct EntryDifference: Sendable, Equatable {
        public let number: Int
        /// `GET /api/public/coworkers/profiles`.
        public let request: String
        public let lines: [String]
    }

    public static func compare(_ left: Cassette, _ right: Cassette, options: Options = Options()) -> [EntryDifference] {
        var differences: [EntryDifference] = []
        for index in 0..<max(left.entries.count, right.entries.count) {
            let number = index + 1
            switch (index < left.entries.count ? left.entries[index] : nil, index < right.entries.count ? right.entries[index] : nil) {
            case (let a?, let b?):
                let lines = requestLines(a.request, b.request, options) + responseLines(a.response, b.response, options)
                if !lines.isEmpty {
                    differences.append(EntryDifference(number: number, request: RequestShape.label(a.request), lines: lines))
                }
            case (let a?, nil):
                differences.append(EntryDifference(number: number, request: RequestShape.label(a.request), lines: ["only in the first cassette"]))
            case (nil, let b?):
                differences.append(EntryDifference(number: number, request: RequestShape.label(b.request), lines: ["only in the second cassette"]))
            case (nil, nil):
                break
            }
        }
        return differences
    }

    private static func requestLines(_ a: HAR.Request, _ b: HAR.Request, _ options: Options) -> [String] {
        let rules = MatchRules(matchHost: options.compareHost)
        let left = RequestShape(a, rules: rules)
        let right = RequestShape(b, rules: rules)
        guard left.key != right.key else { return [] }
        var lines: [String] = []
        if left.method != right.method || left.path != right.path || left.query != right.query || left.origin != right.origin {
            lines.append("request: \(RequestShape.label(a)) → \(RequestShape.label(b))")
        }
        if left.body != right.body {
            lines += bodyLines(a.postData?.text, b.postData?.text, what: "request body")
        }
        return lines
    }

    private static func responseLines(_ a: HAR.Response, _ b: HAR.Response, _ options: Options) -> [String] {
        var lines: [String] = []
        if a.status != b.status {
            lines.append("status: \(a.status) → \(b.status)")
        }
        lines += headerLines(a.headers, b.headers, options)
        let leftBody = a.content.encoding == nil ? a.content.text : a.content.text.map { "base64:" + $0 }
        let rightBody = b.content.encoding == nil ? b.content.text : b.content.text.map { "base64:" + $0 }
        if leftBody != rightBody {
            lines += bodyLines(leftBody, rightBody, what: "body")
        }
        return lines
    }

    /// One pass over each side, grouping values by lower-cased name: linear in the number of
    /// headers (20,000 of them make a hostile file, not a reason to take minutes).
    private static func headerLines(_ a: [HAR.NameValue], _ b: [HAR.NameValue], _ options: Options) -> [String] {
        var names: [String] = []
        var shown: [String: String] = [:]
        var values: [[String: [String]]] = [[:], [:]]
        for (side, headers) in [a, b].enumerated() {
            for header in headers {
                let name = header.name.lowercased()
                guard !options.ignoredHeaders.contains(name) else { continue }
                if shown[name] == nil {
                    names.append(name)
                    shown[name] = header.name
                }
                values[side][name, default: []].append(header.value)
            }
        }
        return names.compactMap { name in
            let (x, y) = (values[0][name] ?? [], values[1][name] ?? [])
            guard x != y else { return nil }
            return "header \(shown[name]!): \(describe(x)) → \(describe(y))"
        }
    }

    /// JSON bodies are compared by value; other bodies by their text.
    private static func bodyLines(_ a: String?, _ b: String?, what: String) -> [String] {
        if let a, let b, let left = try? JSONValue.parse(Array(a.utf8)), let right = try? JSONValue.parse(Array(b.utf8)) {
            let found = left.differences(from: right)
            let lines = found.prefix(10).map { "\(what) \($0.path): \($0.left?.serialized() ?? "absent") → \($0.right?.serialized() ?? "absent")" }
            return found.count > 10 ? lines + ["…and \(found.count - 10) more \(what) differences"] : lines
        }
        return ["\(what) differs (\(a?.utf8.count ?? 0) → \(b?.utf8.count ?? 0) characters)"]
    }

    private static func describe(_ values: [String]) -> String {
        switch values.count {
        case 0: "absent"
        case 1: "'\(values[0])'"
        default: values.map { "'\($0)'" }.joined(separator: ", ")
        }
    }
}

import HTTPCassette
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

    /// Entries are first aligned by request (method, path and query, as a sequence diff), so
    /// that one exchange added or removed shows as that, not as every later entry changed; then
    /// each pair is compared. A pair or a removed entry is numbered as in the first cassette, an
    /// added one as in the second.
    public static func compare(_ left: Cassette, _ right: Cassette, options: Options = Options()) -> Comparison {
        let steps = align(left, right, options)
        var differences: [EntryDifference] = []
        for step in steps {
            switch step {
            case .pair(let index, let other):
                let a = left.entries[index]
                let b = right.entries[other]
                let lines = requestLines(a.request, b.request, options) + responseLines(a.response, b.response, options)
                if !lines.isEmpty {
                    differences.append(EntryDifference(number: index + 1, request: RequestShape.label(a.request), lines: lines))
                }
            case .onlyFirst(let index):
                differences.append(EntryDifference(number: index + 1, request: RequestShape.label(left.entries[index].request), lines: ["only in the first cassette"]))
            case .onlySecond(let index):
                differences.append(EntryDifference(number: index + 1, request: RequestShape.label(right.entries[index].request), lines: ["only in the second cassette"]))
            }
        }
        return Comparison(differences: differences, alignedEntries: steps.count)
    }

    /// What differs, and how many entries there were once aligned: pairs, and entries of one
    /// cassette only.
    public struct Comparison: Sendable, Equatable {
        public let differences: [EntryDifference]
        public let alignedEntries: Int
    }

    /// Entries are aligned by what they ask: method, path and query (the body may differ in a
    /// pair, and is then one of its differences).
    private static func align(_ left: Cassette, _ right: Cassette, _ options: Options) -> [Step] {
        let rules = MatchRules(matchHost: options.compareHost)
        let key = { (entry: HAR.Entry) -> String in
            let shape = RequestShape(entry.request, rules: rules)
            return shape.origin + " " + shape.method + " " + shape.path + "?" + shape.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        }
        return align(left.entries.map(key), right.entries.map(key))
    }

    enum Step: Equatable {
        case pair(Int, Int)
        case onlyFirst(Int)
        case onlySecond(Int)
    }

    /// Most differing middles are small: beyond this many entries on both sides together, the
    /// middle is compared by position (a sequence diff of two unrelated cassettes of 20,000
    /// entries each would take minutes).
    static let alignmentLimit = 4000

    /// The common start and end pair up as they are; the middle by a shortest edit script.
    static func align(_ left: [String], _ right: [String]) -> [Step] {
        var start = 0
        while start < left.count, start < right.count, left[start] == right[start] { start += 1 }
        var end = 0
        while end < left.count - start, end < right.count - start, left[left.count - 1 - end] == right[right.count - 1 - end] { end += 1 }
        let leftMiddle = Array(left[start..<(left.count - end)])
        let rightMiddle = Array(right[start..<(right.count - end)])

        var steps = (0..<start).map { Step.pair($0, $0) }
        if leftMiddle.count + rightMiddle.count <= alignmentLimit {
            let difference = rightMiddle.difference(from: leftMiddle)
            func offset(_ change: CollectionDifference<String>.Change) -> Int {
                switch change {
                case .insert(let offset, _, _), .remove(let offset, _, _): offset
                }
            }
            let removed = Set(difference.removals.map(offset))
            let inserted = Set(difference.insertions.map(offset))
            var (i, j) = (0, 0)
            while i < leftMiddle.count || j < rightMiddle.count {
                if i < leftMiddle.count, removed.contains(i) {
                    steps.append(.onlyFirst(start + i))
                    i += 1
                } else if j < rightMiddle.count, inserted.contains(j) {
                    steps.append(.onlySecond(start + j))
                    j += 1
                } else {
                    steps.append(.pair(start + i, start + j))
                    i += 1
                    j += 1
                }
            }
        } else {
            for offset in 0..<max(leftMiddle.count, rightMiddle.count) {
                switch (offset < leftMiddle.count, offset < rightMiddle.count) {
                case (true, true): steps.append(.pair(start + offset, start + offset))
                case (true, false): steps.append(.onlyFirst(start + offset))
                default: steps.append(.onlySecond(start + offset))
                }
            }
        }
        steps += (0..<end).map { Step.pair(left.count - end + $0, right.count - end + $0) }
        return steps
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

import JSONValues

/// How a live request differs from a recorded one, matcher by matcher. A redacted value on
/// either side agrees with anything: a secret in the recording matches whatever the live request
/// sends, and a live value the session knows to be secret matches whatever was recorded there.
struct RequestComparison {
    var methodMatches: Bool
    var originMatches: Bool
    var pathMatches: Bool
    var queryDifferences: [String]
    var headerDifferences: [String]
    var bodyDifferences: [String]

    var isMatch: Bool {
        methodMatches && originMatches && pathMatches && queryDifferences.isEmpty && headerDifferences.isEmpty
            && bodyDifferences.isEmpty
    }

    /// Higher is closer: the path counts most, then the method, the query, the body.
    var score: Int {
        (pathMatches ? 16 : 0) + (methodMatches ? 8 : 0) + (queryDifferences.isEmpty ? 4 : 0)
            + (bodyDifferences.isEmpty ? 2 : 0) + (headerDifferences.isEmpty ? 1 : 0) + (originMatches ? 1 : 0)
    }

    /// One line per differing matcher, for the miss message.
    var differenceLines: [String] {
        var lines: [String] = []
        if !methodMatches { lines.append("method differs") }
        if !originMatches { lines.append("host differs") }
        if !pathMatches { lines.append("path differs") }
        return lines + queryDifferences + headerDifferences + bodyDifferences
    }

    init(live: RequestShape, recorded: RequestShape, detailed: Bool = true) {
        methodMatches = live.method == recorded.method
        originMatches = live.origin == recorded.origin
        pathMatches = live.path == recorded.path
        guard detailed else {
            queryDifferences = live.query == recorded.query ? [] : ["query differs"]
            headerDifferences = live.headers == recorded.headers ? [] : ["headers differ"]
            bodyDifferences = live.body == recorded.body ? [] : ["body differs"]
            return
        }
        queryDifferences = Self.pairDifferences(live.query, recorded.query, what: "query parameter")
        headerDifferences = Self.pairDifferences(live.headers, recorded.headers, what: "header")
        bodyDifferences = Self.bodyDifferences(live.body, recorded.body)
    }

    static func agrees(recorded: String, live: String) -> Bool {
        recorded == live || RedactionRules.isPlaceholder(recorded) || RedactionRules.isPlaceholder(live)
    }

    private static func pairDifferences(_ live: [RequestShape.Pair], _ recorded: [RequestShape.Pair], what: String) -> [String] {
        var names: [String] = []
        for pair in recorded + live where !names.contains(pair.name) { names.append(pair.name) }
        return names.compactMap { name in
            let here = live.filter { $0.name == name }.map(\.value)
            let there = recorded.filter { $0.name == name }.map(\.value)
            if here.count == there.count, zip(there, here).allSatisfy({ agrees(recorded: $0, live: $1) }) { return nil }
            return "\(what) \(name): \(describe(here)) here, \(describe(there)) in the recording"
        }
    }

    private static func describe(_ values: [String]) -> String {
        switch values.count {
        case 0: "absent"
        case 1: "'\(values[0])'"
        default: values.map { "'\($0)'" }.joined(separator: ", ")
        }
    }

    private static func bodyDifferences(_ live: RequestShape.Body, _ recorded: RequestShape.Body) -> [String] {
        switch (live, recorded) {
        case (.none, .none):
            return []
        case (.json(let here), .json(let there)):
            let lines = here.differences(from: there, equivalent: placeholderAware).map { difference in
                "body \(difference.path): \(describe(difference.left)) here, \(describe(difference.right)) in the recording"
            }
            return lines.count > 5 ? Array(lines.prefix(5)) + ["…and \(lines.count - 5) more body differences"] : lines
        case (.form(let here), .form(let there)):
            return pairDifferences(here, there, what: "body field")
        case (.raw(let here), .raw(let there)):
            return agrees(recorded: there, live: here) ? [] : ["body differs (\(here.utf8.count) bytes here, \(there.utf8.count) in the recording)"]
        default:
            return ["body: \(kind(live)) here, \(kind(recorded)) in the recording"]
        }
    }

    /// A redacted string on either side agrees with any value.
    static func placeholderAware(_ live: JSONValue, _ recorded: JSONValue) -> Bool {
        if case .string(let text) = recorded, RedactionRules.isPlaceholder(text) { return true }
        if case .string(let text) = live, RedactionRules.isPlaceholder(text) { return true }
        return live == recorded
    }

    private static func describe(_ value: JSONValue?) -> String {
        value.map { $0.serialized() } ?? "absent"
    }

    private static func kind(_ body: RequestShape.Body) -> String {
        switch body {
        case .none: "no body"
        case .json: "JSON"
        case .form: "form fields"
        case .raw: "raw bytes"
        }
    }
}

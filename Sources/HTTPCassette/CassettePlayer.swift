import Diagnostics
import Foundation
import HTTPValues

/// Answers requests from a cassette's entries: identical requests get their recorded answers in
/// recorded order, each entry once. Finding an entry is one dictionary lookup by request key;
/// only a miss (or a recording whose values differ from the live request's only where one side
/// was redacted) looks further.
///
/// The recorded requests of a route (method and path) are shaped for matching the first time a
/// live request asks for that route, and only those: a recording can answer a request only on
/// its route. A request without a body is shaped from the index's method and URL unless a rule
/// compares headers; others are decoded. A miss shapes them all, to show the closest.
///
/// A live request is redacted before it is compared, so that its secrets never meet a recording
/// byte for byte. A recording made by a tool that does not redact (a browser's HAR, mitmproxy)
/// still holds the raw password and tokens: where the lookup by key fails, recorded requests are
/// compared after the same redaction. That redaction is made the first time an entry is looked
/// at that way, and kept; a cassette whose requests all match by key never pays for it.
struct CassettePlayer {
    let entries: CassetteIndex
    let path: String
    let mode: RecordMode
    let rules: MatchRules
    let allowRepeats: Bool
    let advice: ReplayAdvice
    private(set) var redactor: Redactor
    /// The redaction rules' redactor before it learned anything: each recorded request is
    /// redacted by a copy of it, so that an entry's redacted form does not depend on which
    /// entries were redacted before it.
    private let recordingRedactor: Redactor
    /// Recorded requests after redaction, by entry index, made as the slow path needs them.
    private var redactedEntries: [Int: RedactedRequest] = [:]
    private var entriesByKey: [String: [Int]] = [:]
    /// The first entries' keys, made by the cassette's read-ahead while the script was read
    /// (nil for one that could not be shaped there: it is shaped here, to say why).
    private let keys: [String?]
    /// Every entry by route, and whether the route's requests are decoded yet.
    private var entriesByRoute: [String: (entries: [Int], decoded: Bool)]
    private var cursors: [String: Int] = [:]
    private var used: [Bool]
    private var lastAnswerByKey: [String: Int] = [:]

    /// A recorded request after redaction: what it is compared as, and how a miss names it.
    private struct RedactedRequest {
        let shape: RequestShape
        let label: String
    }

    init(
        entries: CassetteIndex, path: String, mode: RecordMode, rules: MatchRules, redaction: RedactionRules, allowRepeats: Bool, advice: ReplayAdvice,
        keys: [String?] = []
    ) {
        self.entries = entries
        self.keys = keys
        self.path = path
        self.mode = mode
        self.rules = rules
        self.allowRepeats = allowRepeats
        recordingRedactor = Redactor(rules: redaction)
        redactor = recordingRedactor
        self.advice = advice
        var byRoute: [String: (entries: [Int], decoded: Bool)] = [:]
        for index in 0..<entries.count {
            byRoute[RequestShape.route(method: entries.method(ofEntry: index), url: entries.url(ofEntry: index)), default: ([], false)]
                .entries.append(index)
        }
        entriesByRoute = byRoute
        used = Array(repeating: false, count: entries.count)
    }

    enum Outcome {
        case answer(entryIndex: Int)
        case miss(ReplayMiss)
    }

    /// Finds the entry that answers `request` and marks it used. Throws if a recorded request it
    /// must compare with cannot be read.
    mutating func answer(_ request: HTTPRequest) throws(CassetteError) -> Outcome {
        let live = redactor.redact(HAR.Request(request))
        let shape = RequestShape(live, rules: rules)
        let sameRoute = try decodedEntries(onRoute: shape.route)

        if let queue = entriesByKey[shape.key] {
            var cursor = cursors[shape.key, default: 0]
            while cursor < queue.count, used[queue[cursor]] { cursor += 1 }
            cursors[shape.key] = cursor
            if cursor < queue.count {
                return take(queue[cursor], key: shape.key)
            }
        }
        // A recording whose values the live request shares only after redaction, or where a
        // placeholder stands on either side.
        for index in sameRoute where !used[index] {
            if try matches(shape, entry: index) { return take(index, key: shape.key) }
        }
        if allowRepeats {
            if let last = lastAnswerByKey[shape.key] { return .answer(entryIndex: last) }
            for index in sameRoute.reversed() where try matches(shape, entry: index) {
                return .answer(entryIndex: index)
            }
        }
        return .miss(try miss(for: live, shape: shape))
    }

    /// The entries recorded on `route`, their requests shaped and keyed.
    private mutating func decodedEntries(onRoute route: String) throws(CassetteError) -> [Int] {
        guard let (indices, decoded) = entriesByRoute[route] else { return [] }
        guard !decoded else { return indices }
        for index in indices {
            let known = index < keys.count ? keys[index] : nil
            let key = if let known { known } else { try recordedShape(ofEntry: index).key }
            entriesByKey[key, default: []].append(index)
        }
        entriesByRoute[route]?.decoded = true
        return indices
    }

    /// A recorded request as matching compares it. Made again where a miss needs it rather
    /// than kept: a replay kept one for each entry it keyed, in a dictionary, and freed them all.
    private func recordedShape(ofEntry index: Int) throws(CassetteError) -> RequestShape {
        try RequestShape(recordedEntry: index, in: entries, rules: rules)
    }

    private mutating func matches(_ live: RequestShape, entry index: Int) throws(CassetteError) -> Bool {
        RequestComparison(live: live, recorded: try redacted(entry: index).shape).isMatch
    }

    /// The recorded request as the live one is compared with it: redacted by the same rules.
    /// A recording nexsh made is redacted already, and comes out the same.
    private mutating func redacted(entry index: Int) throws(CassetteError) -> RedactedRequest {
        if let known = redactedEntries[index] { return known }
        var redactor = recordingRedactor
        let request = redactor.redact(try entries.request(at: index))
        let redacted = RedactedRequest(shape: RequestShape(request, rules: rules), label: RequestShape.label(request))
        redactedEntries[index] = redacted
        return redacted
    }

    private mutating func take(_ index: Int, key: String) -> Outcome {
        used[index] = true
        lastAnswerByKey[key] = index
        return .answer(entryIndex: index)
    }

    /// Entries no request asked for, as 1-based numbers.
    var unusedEntryNumbers: [Int] {
        used.indices.filter { !used[$0] }.map { $0 + 1 }
    }

    func label(ofEntry index: Int) -> String {
        entries.label(ofEntry: index)
    }

    /// ` → 200`; nothing for a response that cannot be read (the miss is the news here).
    private func status(ofEntry index: Int) -> String {
        (try? entries.response(at: index)).map { " → \($0.status)" } ?? ""
    }

    /// Entries on the same path are compared in detail, after redaction, so that the differences
    /// shown never quote a secret the recording held raw; of the others only the path is shown.
    private mutating func miss(for live: HAR.Request, shape: RequestShape) throws(CassetteError) -> ReplayMiss {
        var comparisons: [(index: Int, comparison: RequestComparison, path: String)] = []
        for index in 0..<entries.count {
            let entryShape = try recordedShape(ofEntry: index)
            let detailed = entryShape.path == shape.path
            let recorded = detailed ? try redacted(entry: index).shape : entryShape
            comparisons.append((index, RequestComparison(live: shape, recorded: recorded, detailed: detailed), entryShape.path))
        }
        let alreadyUsed = comparisons.filter { used[$0.index] && $0.comparison.isMatch }.map { $0.index + 1 }
        let nearest = comparisons
            .filter { !$0.comparison.isMatch }
            .sorted { ($0.comparison.score, -$0.index) > ($1.comparison.score, -$1.index) }
            .prefix(3)
        var closest: [ReplayMiss.Candidate] = []
        for candidate in nearest {
            let detail = candidate.comparison.pathMatches
                ? candidate.comparison.differenceLines
                : ["path differs: \(candidate.path) in the recording"]
                + (candidate.comparison.methodMatches ? [] : ["method differs"])
            closest.append(ReplayMiss.Candidate(
                number: candidate.index + 1,
                // Named redacted: a recorded query may hold a token.
                label: try redacted(entry: candidate.index).label + status(ofEntry: candidate.index),
                differences: detail,
                alreadyUsed: used[candidate.index]
            ))
        }
        return ReplayMiss(
            request: RequestShape.label(live), cassettePath: path, mode: mode, entryCount: entries.count,
            closest: closest, alreadyUsedMatches: alreadyUsed, advice: advice
        )
    }
}

/// What a replay miss tells the person to do, in the words of where they are: `nexsh run`'s
/// options, the shell's command line, or the shell's commands. The cassette layer knows none of
/// these, so whoever starts the replay says.
public struct ReplayAdvice: Sendable, Equatable {
    /// How to record what the cassette lacks ("run again with --mode new (…)").
    public var toRecord: String
    /// How to have the last recorded answer played again once each has played
    /// ("--allow-repeats plays the last one again").
    public var toRepeat: String

    public init(toRecord: String, toRepeat: String) {
        self.toRecord = toRecord
        self.toRepeat = toRepeat
    }

    /// Advice from three ways of saying it where the person is: recording in mode new, in mode
    /// record, and allowing repeats.
    public init(appending: String, startingOver: String, repeating: String) {
        self.init(
            toRecord: "\(appending) (keeps the recording, appends what is missing) or \(startingOver) (starts over)",
            toRepeat: "\(repeating) plays the last one again"
        )
    }

    /// In the cassette's own terms (its record modes), for a caller that has not said.
    public static let recordModes = ReplayAdvice(
        appending: "record again in mode new", startingOver: "in mode record", repeating: "allowing repeats"
    )
}

/// No recorded answer fits a request. The message names the request, the cassette and the mode,
/// shows the closest entries with what differs, and says how to record the missing answer.
public struct ReplayMiss: ReportableError, Equatable {
    public struct Candidate: Sendable, Equatable {
        public let number: Int
        public let label: String
        public let differences: [String]
        public let alreadyUsed: Bool
    }

    public let request: String
    public let cassettePath: String
    public let mode: RecordMode
    public let entryCount: Int
    public let closest: [Candidate]
    /// Entries that match but were already replayed (1-based).
    public let alreadyUsedMatches: [Int]
    public let advice: ReplayAdvice

    public var message: String {
        var lines = ["no recorded answer for \(request) in \(cassettePath) (mode \(mode.rawValue), \(entryCount) entries)"]
        if !alreadyUsedMatches.isEmpty {
            let list = alreadyUsedMatches.map { "#\($0)" }.joined(separator: ", ")
            lines.append("  \(list) \(alreadyUsedMatches.count == 1 ? "matches" : "match") but \(alreadyUsedMatches.count == 1 ? "was" : "were") already used: each recorded answer plays once, in order; \(advice.toRepeat)")
        }
        if !closest.isEmpty {
            lines.append("  closest recorded entries:")
            for candidate in closest {
                lines.append("    #\(candidate.number) \(candidate.label)\(candidate.alreadyUsed ? " (already used)" : "")")
                for difference in candidate.differences {
                    lines.append("        \(difference)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    public var hint: String? { "to record it: \(advice.toRecord)" }
    public static var hintsOnItsOwnLine: Bool { true }
}

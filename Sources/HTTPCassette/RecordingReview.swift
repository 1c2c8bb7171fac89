import Foundation

/// A re-recording set against the recording it would replace, exchange by exchange, so that a
/// person can take the changes they mean and leave the rest as it was (`nexsh cassette rerecord`).
///
/// New exchanges are paired with old ones as replay would answer them (the match rules, repeats
/// in order), and each pair is classified as the drift check classifies a live answer
/// (``DriftReport``, with the old file's volatile paths). An exchange of the new recording that
/// no old one answers is new; an old one no new request asked for is gone.
public struct RecordingReview: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case unchanged
        case value
        case schema
        case new
        case gone

        /// `value drift`, as the drift check says it.
        public var name: String {
            switch self {
            case .unchanged: DriftReport.Verdict.unchanged.rawValue
            case .value: DriftReport.Verdict.valueDrift.rawValue
            case .schema: DriftReport.Verdict.schemaDrift.rawValue
            case .new, .gone: rawValue
            }
        }
    }

    public struct Change: Sendable {
        public let kind: Kind
        /// In the old recording's entries; nil for a new exchange.
        public let oldIndex: Int?
        /// In the new recording's entries; nil for a gone one.
        public let newIndex: Int?
        /// `GET /api/public/coworkers/profiles`.
        public let request: String
        /// The drift check's report for a pair.
        public let drift: DriftReport?

        /// `#4 GET /api/… — schema drift: new field .Profiles[*].PortalTheme (2×): "light"`,
        /// numbered as in the old recording (a new exchange as in the new one).
        public var description: String {
            let number = oldIndex.map { "#\($0 + 1)" } ?? "new #\(newIndex.map { $0 + 1 } ?? 0)"
            let detail = switch kind {
            case .new: "new: no exchange of the old recording answers it"
            case .gone: "gone: the script no longer asks for it"
            default: drift?.summary(limit: 10) ?? kind.name
            }
            return "\(number) \(request) — \(detail)"
        }
    }

    public let old: Cassette
    public let new: Cassette
    /// The new recording's exchanges in order, then the gone ones in the old order.
    public let changes: [Change]

    public init(old: Cassette, new: Cassette, rules: MatchRules = .standard, redaction: RedactionRules = .standard) {
        self.old = old
        self.new = new
        var player = CassettePlayer(
            entries: CassetteIndex(cassette: old, path: ""), path: "", mode: .replay, rules: rules, redaction: redaction, allowRepeats: false, advice: .recordModes
        )
        let volatile = VolatilePaths(log: old.log)
        var changes: [Change] = []
        for (index, entry) in new.entries.enumerated() {
            let label = RequestShape.label(entry.request)
            guard let request = try? entry.request.httpRequest(), let response = try? entry.response.httpResponse(),
                case .answer(let oldIndex) = try? player.answer(request)
            else {
                changes.append(Change(kind: .new, oldIndex: nil, newIndex: index, request: label, drift: nil))
                continue
            }
            let drift = DriftReport.compare(recorded: old.entries[oldIndex].response, number: oldIndex + 1, live: response, request: label, volatile: volatile)
            let kind: Kind = switch drift.verdict {
            case .unchanged, .notRecorded: .unchanged
            case .valueDrift: .value
            case .schemaDrift: .schema
            }
            changes.append(Change(kind: kind, oldIndex: oldIndex, newIndex: index, request: label, drift: drift))
        }
        for number in player.unusedEntryNumbers {
            changes.append(Change(kind: .gone, oldIndex: number - 1, newIndex: nil, request: player.label(ofEntry: number - 1), drift: nil))
        }
        self.changes = changes
    }

    /// How many changes of each kind.
    public var counts: [Kind: Int] {
        Dictionary(grouping: changes, by: \.kind).mapValues(\.count)
    }

    /// What to write, and how far it lies from the old file.
    public struct Merge: Sendable {
        public let cassette: Cassette
        /// Lines a line diff of the old file and the new would remove and add: counted exchange
        /// by exchange (the log around them is the old file's), so that it stays cheap for a large
        /// cassette.
        public let linesRemoved: Int
        public let linesAdded: Int
    }

    /// The cassette to write, given whether each change (as in ``changes``) is accepted: the
    /// old file's log (creator, comment, `_` fields) around the new exchange where a change was
    /// accepted and the old one where it was not. A rejected new exchange is left out, a
    /// rejected gone one kept after the old exchange it followed. A kept exchange is the old
    /// entry as read, which the cassette writer writes back as it was (for a file nexsh wrote:
    /// see ``Cassette/isInWrittenLayout(_:)``).
    public func merged(accepting accepted: [Bool]) -> Merge {
        precondition(accepted.count == changes.count, "one decision per change")
        var entries: [(entry: HAR.Entry, oldIndex: Int?)] = []
        var keptGone: [Int] = []
        var removed = 0
        var added = 0
        for (change, isAccepted) in zip(changes, accepted) {
            switch (change.kind, isAccepted) {
            case (.gone, false):
                keptGone.append(change.oldIndex!)
            case (.gone, true):
                removed += Self.lines(old.entries[change.oldIndex!]).count
            case (.new, false):
                break
            case (.new, true):
                entries.append((new.entries[change.newIndex!], nil))
                added += Self.lines(new.entries[change.newIndex!]).count
            case (_, true):
                let before = Self.lines(old.entries[change.oldIndex!])
                let after = Self.lines(new.entries[change.newIndex!])
                let common = LineDifference.commonCount(before, after)
                removed += before.count - common
                added += after.count - common
                entries.append((new.entries[change.newIndex!], change.oldIndex))
            case (_, false):
                entries.append((old.entries[change.oldIndex!], change.oldIndex))
            }
        }
        for oldIndex in keptGone.sorted() {
            let after = entries.lastIndex { ($0.oldIndex ?? .max) < oldIndex }.map { $0 + 1 } ?? 0
            entries.insert((old.entries[oldIndex], oldIndex), at: after)
        }
        var log = old.log
        log.entries = entries.map(\.entry)
        return Merge(cassette: Cassette(log: log), linesRemoved: removed, linesAdded: added)
    }

    private static func lines(_ entry: HAR.Entry) -> [Substring] {
        CassetteText.entryText(entry).split(separator: "\n", omittingEmptySubsequences: false)
    }
}

extension Cassette {
    /// True when `data` is exactly what this cassette writes: a file nexsh wrote and nobody
    /// reformatted. Then an entry kept as read is written back byte for byte.
    public func isInWrittenLayout(_ data: Data) -> Bool {
        encoded() == data
    }
}

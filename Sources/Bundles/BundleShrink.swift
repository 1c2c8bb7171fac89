import HTTPCassette

/// Shrinking a bug report: which of a bundle's script lines and cassette entries to keep, found
/// by ``DeltaDebugging`` while a replay still fails the same way, and the bundle that keeps them.
/// Running a replay is the caller's (it knows the shell); this part is pure.
public struct BundleShrink: Sendable {
    /// What a candidate keeps, as positions (from 0) in the original script's lines and the
    /// original cassette's entries, in order.
    public struct Selection: Equatable, Sendable {
        public var lines: [Int]
        public var entries: [Int]

        public init(lines: [Int], entries: [Int]) {
            self.lines = lines
            self.entries = entries
        }
    }

    public let original: ReproductionBundle
    public let log: HAR.Log
    /// The original script's lines (a final line break does not make an empty last line).
    public let lines: [String]

    public init(_ bundle: ReproductionBundle, log: HAR.Log) {
        original = bundle
        self.log = log
        var lines = bundle.script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        self.lines = lines
    }

    public var everything: Selection {
        Selection(lines: Array(lines.indices), entries: Array(log.entries.indices))
    }

    /// Lines, then entries, again until neither shrinks: the result is 1-minimal in both unless
    /// the budget ran out (`finished` false). `requested` says which entries (positions) each line
    /// (position) was answered from in the original replay: a line goes with them, since an
    /// entry left behind would answer a later line's identical request with an older answer.
    public func minimize(
        requested: [Int: [Int]], budget: inout DeltaDebugging.Budget, keepsFailure: (Selection) async -> Bool
    ) async -> (kept: Selection, finished: Bool) {
        var kept = everything
        /// The kept entries, less those of the lines no longer kept.
        func entries(keeping lines: [Int]) -> [Int] {
            let gone = Set(Set(kept.lines).subtracting(lines).flatMap { requested[$0] ?? [] })
            return kept.entries.filter { !gone.contains($0) }
        }
        while true {
            let before = kept
            let linePass = await DeltaDebugging.minimize(kept.lines, budget: &budget) { candidate in
                await keepsFailure(Selection(lines: candidate, entries: entries(keeping: candidate)))
            }
            kept = Selection(lines: linePass.kept, entries: entries(keeping: linePass.kept))
            guard linePass.finished else { return (kept, false) }
            let entryPass = await DeltaDebugging.minimize(kept.entries, budget: &budget) { candidate in
                await keepsFailure(Selection(lines: kept.lines, entries: candidate))
            }
            kept.entries = entryPass.kept
            guard entryPass.finished else { return (kept, false) }
            if kept == before { return (kept, true) }
        }
    }

    /// The script a candidate runs.
    public func script(_ selection: Selection) -> String {
        selection.lines.map { lines[$0] + "\n" }.joined()
    }

    /// The candidate as a bundle file: the original's variables, server and match rules, the
    /// kept lines under `header`, and the kept entries.
    public func cassette(_ selection: Selection, header: [String] = []) -> Cassette {
        var bundle = original
        bundle.script = header.map { "# \($0)\n" }.joined() + script(selection)
        var log = log
        log.entries = selection.entries.map { log.entries[$0] }
        return bundle.cassette(around: log)
    }

    /// The header comment of a shrunk bundle: what was removed, counted from 1 as `nexsh bundle
    /// show` and `nexsh cassette inspect` count.
    public func header(for selection: Selection, finished: Bool, maximumRuns: Int) -> [String] {
        let removedLines = Set(lines.indices).subtracting(selection.lines).sorted()
        let removedEntries = Set(log.entries.indices).subtracting(selection.entries).sorted()
        var header = [
            "Shrunk by nexsh bundle shrink from \(Self.counted(lines.count, "line")) and \(Self.counted(log.entries.count, "entry", "entries"))"
                + " to \(Self.counted(selection.lines.count, "line")) and \(Self.counted(selection.entries.count, "entry", "entries")); removed:",
            "  lines of the original script: \(Self.ranges(removedLines))",
            "  entries: \(Self.ranges(removedEntries))",
        ]
        if !finished {
            header.append("Stopped at --max-runs \(maximumRuns): a smaller bundle may still fail the same way.")
        }
        return header
    }

    private static func counted(_ count: Int, _ one: String, _ many: String? = nil) -> String {
        "\(count) \(count == 1 ? one : many ?? one + "s")"
    }

    /// `2-5, 7, 9` for positions 1, 2, 3, 4, 6, 8 (counted from 0); `none` for none.
    static func ranges(_ positions: [Int]) -> String {
        guard !positions.isEmpty else { return "none" }
        var runs: [ClosedRange<Int>] = []
        for position in positions {
            if let last = runs.last, last.upperBound + 1 == position {
                runs[runs.count - 1] = last.lowerBound...position
            } else {
                runs.append(position...position)
            }
        }
        return runs.map { $0.count == 1 ? "\($0.lowerBound + 1)" : "\($0.lowerBound + 1)-\($0.upperBound + 1)" }.joined(separator: ", ")
    }
}

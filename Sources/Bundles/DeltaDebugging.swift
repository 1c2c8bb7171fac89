/// Delta debugging (Zeller and Hildebrandt's ddmin) over a list, removing complements only:
/// remove half of what is left, then quarters, and so on down to one item at a time, keeping
/// every removal after which the test still fails the same way. It ends 1-minimal: no single
/// item can be removed any more, since the last round tries each one alone. Removing big
/// chunks first is what makes it fast when most of a bug report does not matter.
public enum DeltaDebugging {
    /// How many tests a whole shrink may run. A test asked for past the bound is not run.
    public struct Budget: Sendable {
        public let limit: Int
        public private(set) var used = 0

        public init(limit: Int) {
            self.limit = limit
        }

        public var isExhausted: Bool { used >= limit }

        /// Takes one test from the budget; false when none is left.
        public mutating func spend() -> Bool {
            guard !isExhausted else { return false }
            used += 1
            return true
        }
    }

    /// The smallest sublist of `items` (in their order) found to keep the failure, and whether
    /// the search finished (false: the budget ran out first, so it may not be 1-minimal).
    /// `keepsFailure` is never asked about `items` itself: the caller knows it fails.
    public static func minimize<Item>(
        _ items: [Item], budget: inout Budget, keepsFailure: ([Item]) async -> Bool
    ) async -> (kept: [Item], finished: Bool) {
        var current = items
        var granularity = min(2, current.count)
        while !current.isEmpty {
            let chunks = split(current, into: granularity)
            var reduced = false
            for removed in chunks.indices {
                guard budget.spend() else { return (current, false) }
                let complement = chunks.indices.filter { $0 != removed }.flatMap { chunks[$0] }
                if await keepsFailure(complement) {
                    current = complement
                    granularity = max(min(granularity - 1, current.count), min(2, current.count))
                    reduced = true
                    break
                }
            }
            if !reduced {
                if granularity >= current.count { break }
                granularity = min(granularity * 2, current.count)
            }
        }
        return (current, true)
    }

    /// `items` in `count` runs of nearly equal length, in order.
    static func split<Item>(_ items: [Item], into count: Int) -> [[Item]] {
        let size = items.count / count
        let longer = items.count % count
        var chunks: [[Item]] = []
        var start = 0
        for index in 0..<count {
            let end = start + size + (index < longer ? 1 : 0)
            chunks.append(Array(items[start..<end]))
            start = end
        }
        return chunks
    }
}

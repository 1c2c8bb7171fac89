/// How many lines two texts share in order (the longest common subsequence), which is what a
/// line diff keeps; the rest it removes and adds.
enum LineDifference {
    /// Beyond this many line pairs the texts are taken to share nothing: the count is a size
    /// for a summary, and a quadratic comparison of two huge entries is not worth its time.
    static let largestComparison = 4_000_000

    static func commonCount(_ before: [Substring], _ after: [Substring]) -> Int {
        guard !before.isEmpty, !after.isEmpty, before.count * after.count <= largestComparison else { return 0 }
        // One row of the table at a time.
        var previous = [Int](repeating: 0, count: after.count + 1)
        var current = previous
        for line in before {
            for (column, other) in after.enumerated() {
                current[column + 1] = line == other ? previous[column] + 1 : max(previous[column + 1], current[column])
            }
            swap(&previous, &current)
        }
        return previous[after.count]
    }
}

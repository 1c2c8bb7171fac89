import Foundation
import Synchronization

/// A cassette's index, read on a thread of its own while the run does other work: `nexsh run`
/// reads its script while the cassette it replays is indexed, and on two cores the two take the
/// time of the longer. The replay takes the index from here (``index()`` waits for it) instead of
/// reading the file itself; an error is the one reading it there would have thrown.
///
/// With the index read, the thread goes on to key the recorded requests, in order, by the match
/// rules the replay will use, as the replay would key them
/// (``RequestShape/init(recordedEntry:in:rules:)``). The replay takes the keys made by the time
/// it starts (``keys(for:)``), and never waits for more: it keys the other entries itself, as it
/// needs them.
///
/// A thread, not a task: the replay waits for it from a task, and a task it waited for might
/// never get a thread of the pool to run on.
public final class CassetteReadAhead: Sendable {
    /// The cassette being read, as the replay will name it.
    public let file: URL
    private let rules: MatchRules
    private let read = Mutex<Result<CassetteIndex, CassetteError>?>(nil)
    private let finished = DispatchSemaphore(value: 0)
    private let keying = Mutex(Keying())

    private struct Keying {
        /// The first entries' keys (nil where shaping one threw).
        var keys: [String?] = []
        /// Set when the replay took them: the thread stops making more.
        var taken = false
    }

    /// Starts reading `file`'s index at once, then keying its entries by `rules`.
    public init(file: URL, rules: MatchRules) {
        self.file = file
        self.rules = rules
        Thread.detachNewThread { [self] in
            let result = Result { () throws(CassetteError) in try CassetteIndex(file: file) }
            read.withLock { $0 = result }
            finished.signal()
            if case .success(let index) = result { key(index) }
        }
    }

    /// The index, once read; throws what reading it threw.
    func index() throws(CassetteError) -> CassetteIndex {
        finished.wait()
        // For any later caller too.
        finished.signal()
        return try read.withLock { $0! }.get()
    }

    /// The keys of the first entries by `rules`, as many as are made (none for other rules);
    /// the thread makes no more.
    func keys(for rules: MatchRules) -> [String?] {
        keying.withLock { keying in
            keying.taken = true
            return rules == self.rules ? keying.keys : []
        }
    }

    private func key(_ index: CassetteIndex) {
        var entry = 0
        while entry < index.count {
            // Handed over 256 at a time: the lock is taken for each batch, not for each entry.
            let batch = (entry..<min(entry + 256, index.count)).map { entry in
                try? RequestShape(recordedEntry: entry, in: index, rules: rules).key
            }
            let taken = keying.withLock { keying in
                if !keying.taken { keying.keys += batch }
                return keying.taken
            }
            if taken { return }
            entry += batch.count
        }
    }
}

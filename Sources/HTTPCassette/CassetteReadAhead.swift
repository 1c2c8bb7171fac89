import Foundation
import Synchronization

/// A cassette's index, read on a thread of its own while the run does other work: `nexsh run`
/// reads its script while the cassette it replays is indexed, and on two cores the two take the
/// time of the longer. The replay takes the index from here (``index()`` waits for it) instead of
/// reading the file itself; an error is the one reading it there would have thrown.
///
/// A thread, not a task: the replay waits for it from a task, and a task it waited for might
/// never get a thread of the pool to run on.
public final class CassetteReadAhead: Sendable {
    /// The cassette being read, as the replay will name it.
    public let file: URL
    private let read = Mutex<Result<CassetteIndex, CassetteError>?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts reading `file`'s index at once.
    public init(file: URL) {
        self.file = file
        Thread.detachNewThread { [self] in
            let result = Result { () throws(CassetteError) in try CassetteIndex(file: file) }
            read.withLock { $0 = result }
            finished.signal()
        }
    }

    /// The index, once read; throws what reading it threw.
    func index() throws(CassetteError) -> CassetteIndex {
        finished.wait()
        // For any later caller too.
        finished.signal()
        return try read.withLock { $0! }.get()
    }
}

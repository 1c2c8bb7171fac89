import Foundation
import JSONValues
import SecureFiles

/// Keeps a second process from recording into a cassette that one is recording into already:
/// an exclusive `flock` on `<cassette>.lock` beside it.
///
/// The kernel drops the lock when its holder exits, however it exits, so a recording killed
/// with SIGKILL never leaves the cassette locked. The lock file holds the holder's process id,
/// for the message the second recorder gets.
public final class CassetteLock: Sendable {
    public let path: String
    private let file: OpenFile

    /// Takes the lock or throws at once (never waits): a recording that waited would record
    /// into a file that another session has just rewritten. A lock file that is a link, a
    /// fifo, another user's, or a second name of another file is refused (``LockFile``): its
    /// name is known in advance, so anyone who can write in the folder could have planted it.
    public init(cassette: URL) throws(CassetteError) {
        path = cassette.path + ".lock"
        while true {
            let file: OpenFile
            do throws(SecureFileError) {
                file = try LockFile.open(path)
            } catch {
                throw .writeFailed(path: cassette.path, reason: "the lock file \(error.description)")
            }
            if flock(file.descriptor, LOCK_EX | LOCK_NB) != 0 {
                throw .locked(path: cassette.path, holder: Self.holder(file))
            }
            // The previous holder may have removed the file between our open and our lock;
            // a lock on a removed file protects nothing, so take the new file's instead.
            if file.isNamed(by: path) {
                // A recorder that died inside an append left word of how to mend the cassette.
                if let record = Self.appendRecord(file.contents()) {
                    CassetteRepair.mend(cassette, record)
                }
                try? file.truncate(to: 0)
                try? file.write(Data("\(getpid())\n".utf8), at: 0)
                self.file = file
                return
            }
        }
    }

    deinit {
        // Only our own lock file: whatever took its name since is left alone.
        if file.isNamed(by: path) { unlink(path) }
    }

    // MARK: Appends in place

    private static let appendLabel = "append-at "

    /// Written before a recorder starts appending in place: where the closing brackets start
    /// and what they are, so that an append cut short can be undone (``CassetteRepair``).
    func noteAppend(closingOffset: Int, closing: Data) {
        let text = Data("\(getpid())\n\(Self.appendLabel)\(Self.padded(closingOffset))\n".utf8) + closing
        try? file.truncate(to: 0)
        try? file.write(text, at: 0)
    }

    /// After each append: only the offset changes, in place, at a fixed width.
    func noteAppended(closingOffset: Int) {
        let offset = "\(getpid())\n\(Self.appendLabel)".utf8.count
        try? file.write(Data(Self.padded(closingOffset).utf8), at: offset)
    }

    private static func padded(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// What a lock file says about an append in progress.
    static func appendRecord(_ contents: Data) -> CassetteRepair.Record? {
        let bytes = [UInt8](contents)
        guard let first = bytes.firstIndex(of: 0x0A) else { return nil }
        let rest = bytes[(first + 1)...]
        guard let second = rest.firstIndex(of: 0x0A) else { return nil }
        let line = String(decoding: rest[..<second], as: UTF8.self)
        guard line.hasPrefix(appendLabel), let offset = Int(line.dropFirst(appendLabel.count)) else { return nil }
        return CassetteRepair.Record(closingOffset: offset, closing: Data(bytes[(second + 1)...]))
    }

    private static func holder(_ file: OpenFile) -> Int32? {
        Int32(String(decoding: file.contents().prefix(31), as: UTF8.self).prefix { $0 != "\n" })
    }
}

/// Mends a cassette whose recorder died inside an in-place append (``CassetteRecorder``): the
/// file is cut back to its last complete entry and closed again, as it was before that append.
enum CassetteRepair {
    struct Record {
        /// Where the closing brackets started before the append.
        let closingOffset: Int
        let closing: Data
    }

    /// Mends `cassette` if it does not read as JSON and the mended text does; returns whether
    /// it did. Anything else is left alone.
    @discardableResult
    static func mend(_ cassette: URL, _ record: Record) -> Bool {
        guard let data = try? Data(contentsOf: cassette), data.count >= record.closingOffset,
            (try? JSONValue.parse(data)) == nil
        else { return false }
        let mended = data.prefix(record.closingOffset) + record.closing
        guard (try? JSONValue.parse(mended)) != nil else { return false }
        return (try? Cassette.replaceFile(at: cassette, with: mended)) != nil
    }

    /// For a reader that found `cassette` unreadable: if a recorder died appending to it (its
    /// lock file is left, and nobody holds it), mends it. Returns whether it did. A lock file
    /// ``LockFile`` refuses is no word from a recorder of ours: nothing is mended.
    static func mendAfterCrash(_ cassette: URL) -> Bool {
        guard let file = try? LockFile.openExisting(cassette.path + ".lock") else { return false }
        guard flock(file.descriptor, LOCK_EX | LOCK_NB) == 0 else { return false }
        defer { flock(file.descriptor, LOCK_UN) }
        guard let record = CassetteLock.appendRecord(file.contents()) else { return false }
        return mend(cassette, record)
    }
}

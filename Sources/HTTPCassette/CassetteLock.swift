import Foundation
import JSONValues

/// Keeps a second process from recording into a cassette that one is recording into already:
/// an exclusive `flock` on `<cassette>.lock` beside it.
///
/// The kernel drops the lock when its holder exits, however it exits, so a recording killed
/// with SIGKILL never leaves the cassette locked. The lock file holds the holder's process id,
/// for the message the second recorder gets.
public final class CassetteLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock or throws at once (never waits): a recording that waited would record
    /// into a file that another session has just rewritten.
    public init(cassette: URL) throws(CassetteError) {
        path = cassette.path + ".lock"
        while true {
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw .writeFailed(path: cassette.path, reason: FileErrorText.errno(errno, doing: "create the lock file \(path)"))
            }
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                let holder = Self.holder(descriptor)
                close(descriptor)
                throw .locked(path: cassette.path, holder: holder)
            }
            // The previous holder may have removed the file between our open and our lock;
            // a lock on a removed file protects nothing, so take the new file's instead.
            var opened = stat()
            var current = stat()
            if fstat(descriptor, &opened) == 0, stat(path, &current) == 0, opened.st_ino == current.st_ino, opened.st_dev == current.st_dev {
                // A recorder that died inside an append left word of how to mend the cassette.
                if let record = Self.appendRecord(Self.contents(descriptor)) {
                    CassetteRepair.mend(cassette, record)
                }
                let text = "\(getpid())\n"
                ftruncate(descriptor, 0)
                _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
                self.descriptor = descriptor
                return
            }
            close(descriptor)
        }
    }

    deinit {
        unlink(path)
        close(descriptor)
    }

    // MARK: Appends in place

    private static let appendLabel = "append-at "

    /// Written before a recorder starts appending in place: where the closing brackets start
    /// and what they are, so that an append cut short can be undone (``CassetteRepair``).
    func noteAppend(closingOffset: Int, closing: Data) {
        let text = Data("\(getpid())\n\(Self.appendLabel)\(Self.padded(closingOffset))\n".utf8) + closing
        ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress!, $0.count, 0) }
    }

    /// After each append: only the offset changes, in place, at a fixed width.
    func noteAppended(closingOffset: Int) {
        let offset = "\(getpid())\n\(Self.appendLabel)".utf8.count
        _ = Self.padded(closingOffset).withCString { pwrite(descriptor, $0, 20, off_t(offset)) }
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

    static func contents(_ descriptor: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var offset: off_t = 0
        while true {
            let count = pread(descriptor, &buffer, buffer.count, offset)
            guard count > 0 else { return data }
            data.append(contentsOf: buffer[..<count])
            offset += off_t(count)
        }
    }

    private static func holder(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count - 1, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).prefix { $0 != "\n" })
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
        return (try? AtomicFile.write(mended, to: cassette)) != nil
    }

    /// For a reader that found `cassette` unreadable: if a recorder died appending to it (its
    /// lock file is left, and nobody holds it), mends it. Returns whether it did.
    static func mendAfterCrash(_ cassette: URL) -> Bool {
        let path = cassette.path + ".lock"
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return false }
        defer { flock(descriptor, LOCK_UN) }
        guard let record = CassetteLock.appendRecord(CassetteLock.contents(descriptor)) else { return false }
        return mend(cassette, record)
    }
}

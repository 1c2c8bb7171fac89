import Foundation

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

    private static func holder(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count - 1, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

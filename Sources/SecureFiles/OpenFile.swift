import Foundation

/// A file nexsh opened itself and keeps open: later writes go to the descriptor, never back
/// through the path, so renaming or replacing the path cannot redirect them. Closed when the
/// last reference goes away.
public final class OpenFile: Sendable {
    public let descriptor: Int32
    /// The path it was opened as, for messages.
    public let path: String

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    /// All of `data` at `offset`.
    public func write(_ data: Data, at offset: Int) throws(SecureFileError) {
        var failure: Int32 = 0
        data.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let written = pwrite(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                done += written
            }
        }
        if failure != 0 { throw failed(failure, doing: "write") }
    }

    /// Cuts the file to `length` bytes.
    public func truncate(to length: Int) throws(SecureFileError) {
        if ftruncate(descriptor, off_t(length)) != 0 { throw failed(errno, doing: "write") }
    }

    /// The whole file, read from the descriptor; no more than `limit` bytes (a file that grows
    /// while read stops there).
    public func contents(limit: Int = .max) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var offset: off_t = 0
        while true {
            let count = pread(descriptor, &buffer, buffer.count, offset)
            if count < 0, errno == EINTR { continue }
            guard count > 0, data.count < limit else { return data }
            data.append(contentsOf: buffer[..<min(count, limit - data.count)])
            offset += off_t(count)
        }
    }

    /// Whether `path` still names this file (and not one put there since).
    public func isNamed(by path: String) -> Bool {
        var opened = stat()
        var named = stat()
        return fstat(descriptor, &opened) == 0 && lstat(path, &named) == 0
            && opened.st_dev == named.st_dev && opened.st_ino == named.st_ino
    }

    /// An error of the system's about this file.
    public func failed(_ code: Int32, doing action: String) -> SecureFileError {
        SecureFileError(path: path, problem: .system(errno: code, action: action))
    }
}

import Foundation

/// Reading a file whole, within a bound: a cassette or a script that is larger than any real
/// one (or a fifo that never ends) is refused with the bound named, instead of filling memory.
public enum BoundedRead {
    /// The bytes of `path`, or ``SecureFileError/Problem/tooLarge(limit:what:)`` past `limit`.
    /// `what` names the kind of file in that message ("a cassette").
    public static func contents(of path: String, limit: Int, what: String) throws(SecureFileError) -> Data {
        let (file, info) = try open(path, limit: limit, what: what)
        return try contents(of: file, info: info, limit: limit, what: what)
    }

    /// `path` opened for reading, and what `fstat` says of it; a regular file larger than
    /// `limit` is refused here, before any of it is read.
    static func open(_ path: String, limit: Int, what: String) throws(SecureFileError) -> (OpenFile, stat) {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SecureFileError(path: path, problem: .system(errno: errno, action: "read it"))
        }
        let file = OpenFile(descriptor: descriptor, path: path)
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw file.failed(errno, doing: "read it") }
        if info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) > limit {
            throw SecureFileError(path: path, problem: .tooLarge(limit: limit, what: what))
        }
        return (file, info)
    }

    /// The rest of an open file, bounded as it comes.
    static func contents(of file: OpenFile, info: stat, limit: Int, what: String) throws(SecureFileError) -> Data {
        var data = Data()
        if info.st_mode & S_IFMT == S_IFREG { data.reserveCapacity(Int(info.st_size)) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(file.descriptor, &buffer, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw file.failed(errno, doing: "read it")
            }
            if count == 0 { return data }
            data.append(buffer, count: count)
            // A file that grows while read, or a pipe, is bounded as it comes.
            if data.count > limit { throw SecureFileError(path: file.path, problem: .tooLarge(limit: limit, what: what)) }
        }
    }
}

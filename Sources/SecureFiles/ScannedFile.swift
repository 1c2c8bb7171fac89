import Foundation

/// A file read once from end to end, then a part at a time: how a cassette index reads a large
/// HAR file without holding it. The scan sees the whole file as one buffer, mapped into memory,
/// and may let go of the pages it is done with, so that memory holds a window of the file
/// rather than all of it. Later parts are read from the descriptor, which still names the file
/// that was scanned if the path is replaced meanwhile (as nexsh replaces a cassette: by renaming
/// a new file over it).
///
/// A file that cannot be mapped (a fifo, a device, an empty file) is read whole into memory
/// instead, within the same bound, and parts come from that copy; so do bytes that were never a
/// file.
public final class ScannedFile: Sendable {
    public let path: String
    private let source: Source

    private enum Source {
        /// A regular file of `size` bytes, read where it is.
        case file(OpenFile, size: Int)
        case memory(Data)
    }

    /// Opens `path` for reading; a file larger than `limit` is refused (`what` names its kind
    /// in the message, "a cassette").
    public init(path: String, limit: Int, what: String) throws(SecureFileError) {
        self.path = path
        let (file, info) = try BoundedRead.open(path, limit: limit, what: what)
        if info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 {
            source = .file(file, size: Int(info.st_size))
        } else {
            source = .memory(try BoundedRead.contents(of: file, info: info, limit: limit, what: what))
        }
    }

    /// Bytes already in memory, read as a file would be (`path` names them in messages).
    public init(data: Data, path: String) {
        self.path = path
        source = .memory(data)
    }

    private var size: Int {
        switch source {
        case .file(_, let size): size
        case .memory(let data): data.count
        }
    }

    /// Calls `body` with the file's bytes. `release(offset)` says the scan will not look before
    /// `offset` again, so that memory can let those pages go. Once `body` returns, the buffer is
    /// gone: keep offsets, not pointers.
    public func scan<Result, Failure: Error>(
        _ body: (_ bytes: UnsafeBufferPointer<UInt8>, _ release: (_ before: Int) -> Void) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        switch source {
        case .memory(let data): try Self.scan(data, body)
        case .file(let file, let size): try Self.scanMapped(file, size: size, body)
        }
    }

    private static func scanMapped<Result, Failure: Error>(
        _ file: OpenFile, size: Int, _ body: (UnsafeBufferPointer<UInt8>, (Int) -> Void) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, file.descriptor, 0), base != MAP_FAILED else {
            // Mapping failed (a file system that does not map, or no address space): the copy
            // costs memory, not correctness.
            return try scan(file.contents(limit: size), body)
        }
        defer { munmap(base, size) }
        _ = madvise(base, size, MADV_SEQUENTIAL)
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        var released = 0
        let bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size)
        return try body(bytes) { offset in
            // Whole pages only, and in steps of a few megabytes: each call is a system call.
            let end = min(offset, size) / pageSize * pageSize
            guard end - released >= 4 << 20 else { return }
            _ = madvise(base + released, end - released, MADV_DONTNEED)
            released = end
        }
    }

    private static func scan<Result, Failure: Error>(
        _ data: Data, _ body: (UnsafeBufferPointer<UInt8>, (Int) -> Void) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let outcome = data.withUnsafeBytes { raw in
            Swift.Result { () throws(Failure) in try body(raw.bindMemory(to: UInt8.self), { _ in }) }
        }
        return try outcome.get()
    }

    /// The bytes in `range`, read now.
    public func bytes(in range: Range<Int>) throws(SecureFileError) -> [UInt8] {
        guard range.upperBound <= size else { throw SecureFileError(path: path, problem: .shortened) }
        switch source {
        case .memory(let data):
            return [UInt8](data[data.startIndex + range.lowerBound..<data.startIndex + range.upperBound])
        case .file(let file, _):
            return try Self.read(range, from: file)
        }
    }

    private static func read(_ range: Range<Int>, from file: OpenFile) throws(SecureFileError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: range.count)
        var done = 0
        var failure: Int32 = 0
        bytes.withUnsafeMutableBytes { buffer in
            while done < range.count {
                let count = pread(file.descriptor, buffer.baseAddress! + done, range.count - done, off_t(range.lowerBound + done))
                if count < 0, errno == EINTR { continue }
                if count < 0 { failure = errno }
                guard count > 0 else { return }
                done += count
            }
        }
        if failure != 0 { throw file.failed(failure, doing: "read it") }
        guard done == range.count else { throw SecureFileError(path: file.path, problem: .shortened) }
        return bytes
    }
}

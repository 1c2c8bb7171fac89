import Foundation

/// Opens the small files that sit beside the files nexsh writes (`<cassette>.lock`) and that it
/// overwrites in place. Their names are known in advance, so anyone who can write in the
/// folder can plant something there first: a link to a precious file, a second name for one,
/// a fifo. Nothing is truncated or written before the file is known to be a regular file of
/// the user's own, with no other name.
public enum LockFile {
    /// Opens the lock file at `path` for reading and writing, creating it (mode 0600) when
    /// there is none.
    public static func open(_ path: String) throws(SecureFileError) -> OpenFile {
        let descriptor = Foundation.open(path, flags | O_CREAT, 0o600)
        guard descriptor >= 0 else { throw refusal(path, errno) }
        return try checked(path, descriptor)
    }

    /// Opens the lock file at `path` if there is one; nil when there is none.
    public static func openExisting(_ path: String) throws(SecureFileError) -> OpenFile? {
        let descriptor = Foundation.open(path, flags)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw refusal(path, code)
        }
        return try checked(path, descriptor)
    }

    /// `O_NOFOLLOW`: a link is refused, not followed. `O_NONBLOCK`: a fifo or device planted
    /// there cannot hang the open (it changes nothing for a regular file).
    private static let flags = O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC

    private static func refusal(_ path: String, _ code: Int32) -> SecureFileError {
        switch code {
        // O_NOFOLLOW refuses a link at the last component with ELOOP.
        case ELOOP: SecureFileError(path: path, problem: .symbolicLink)
        case EISDIR: SecureFileError(path: path, problem: .notRegularFile(kind: "directory"))
        default: SecureFileError(path: path, problem: .system(errno: code, action: "open it"))
        }
    }

    private static func checked(_ path: String, _ descriptor: Int32) throws(SecureFileError) -> OpenFile {
        let file = OpenFile(descriptor: descriptor, path: path)
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw file.failed(errno, doing: "open it") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SecureFileError(path: path, problem: .notRegularFile(kind: SecureFileError.kind(of: info.st_mode)))
        }
        guard info.st_uid == geteuid() else { throw SecureFileError(path: path, problem: .ownedByAnotherUser(uid: info.st_uid)) }
        guard info.st_nlink == 1 else { throw SecureFileError(path: path, problem: .hardLinks(count: Int(info.st_nlink))) }
        return file
    }
}

import Foundation

/// A file only its owner may read, in a folder only its owner may enter: where nexsh keeps a
/// saved sign-in. Stricter than ``AtomicFile`` alone: the folder and the file must be the
/// user's own and closed to everyone else, and a link is never followed, not even the user's
/// own (nobody else can put one there, so one that is there was not put there by nexsh).
public enum PrivateFile {
    /// The bytes of the file at `path`, or nil when there is none. Refused: a link, anything but
    /// a regular file, another user's file, one that group or others may use, one with other
    /// names, one larger than `limit`, or one in a folder that is not private.
    public static func read(_ path: String, limit: Int, what: String) throws(SecureFileError) -> Data? {
        try checkFolder(of: path)
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw SecureFileError(path: path, problem: code == ELOOP ? .symbolicLink : .system(errno: code, action: "read it"))
        }
        let file = OpenFile(descriptor: descriptor, path: path)
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw file.failed(errno, doing: "read it") }
        try check(info, of: path)
        guard Int(info.st_size) <= limit else { throw SecureFileError(path: path, problem: .tooLarge(limit: limit, what: what)) }
        let data = file.contents(limit: limit + 1)
        guard data.count <= limit else { throw SecureFileError(path: path, problem: .tooLarge(limit: limit, what: what)) }
        return data
    }

    /// Replaces the file at `path` with `data` (mode 0600), making its folder (mode 0700, and any
    /// missing folder above it) first. What ``read(_:limit:what:)`` refuses is refused here too.
    public static func write(_ data: Data, to path: String) throws(SecureFileError) {
        try makeFolder(of: path)
        try checkExisting(path)
        try AtomicFile.write(data, to: path, permissions: .private)
    }

    /// Removes the file at `path` (a link there is removed itself, never what it names); nothing
    /// when there is none.
    public static func remove(_ path: String) throws(SecureFileError) {
        try checkFolder(of: path)
        if unlink(path) != 0, errno != ENOENT { throw SecureFileError(path: path, problem: .system(errno: errno, action: "remove it")) }
    }

    // MARK: Checks

    private static func checkExisting(_ path: String) throws(SecureFileError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw SecureFileError(path: path, problem: .system(errno: errno, action: "look at it"))
        }
        if info.st_mode & S_IFMT == S_IFLNK { throw SecureFileError(path: path, problem: .symbolicLink) }
        try check(info, of: path)
    }

    private static func check(_ info: stat, of path: String) throws(SecureFileError) {
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SecureFileError(path: path, problem: .notRegularFile(kind: SecureFileError.kind(of: info.st_mode)))
        }
        guard info.st_uid == geteuid() else { throw SecureFileError(path: path, problem: .ownedByAnotherUser(uid: info.st_uid)) }
        guard info.st_mode & 0o077 == 0 else { throw SecureFileError(path: path, problem: .notPrivate(mode: info.st_mode & 0o7777)) }
        guard info.st_nlink == 1 else { throw SecureFileError(path: path, problem: .hardLinks(count: Int(info.st_nlink))) }
    }

    /// The folder must be a folder itself (not a link to one), the user's own, mode 0700 or
    /// closer; a folder that is not there yet is no problem for reading.
    private static func checkFolder(of path: String) throws(SecureFileError) {
        let folder = FileDestination.folder(of: path)
        var info = stat()
        guard lstat(folder, &info) == 0 else {
            if errno == ENOENT { return }
            throw SecureFileError(path: path, problem: .system(errno: errno, action: "look at \(folder)"))
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw SecureFileError(path: path, problem: .folderNotPrivate(folder, why: info.st_mode & S_IFMT == S_IFLNK ? "it is a symbolic link" : "it is not a folder"))
        }
        guard info.st_uid == geteuid() else {
            throw SecureFileError(path: path, problem: .folderNotPrivate(folder, why: "it belongs to another user (uid \(info.st_uid))"))
        }
        guard info.st_mode & 0o077 == 0 else {
            throw SecureFileError(path: path, problem: .folderNotPrivate(folder, why: "others may use it (mode \(String(info.st_mode & 0o7777, radix: 8)))"))
        }
    }

    /// Makes the folder of `path` with mode 0700, and any missing folder above it, as the XDG
    /// base-directory rules ask for the state folder; then checks it.
    private static func makeFolder(of path: String) throws(SecureFileError) {
        let folder = FileDestination.folder(of: path)
        var missing: [String] = []
        var current = folder
        var info = stat()
        while !current.isEmpty, current != "/", current != ".", lstat(current, &info) != 0, errno == ENOENT {
            missing.append(current)
            current = FileDestination.folder(of: current)
        }
        for created in missing.reversed() where mkdir(created, 0o700) != 0 && errno != EEXIST {
            throw SecureFileError(path: path, problem: problemMaking(created, errno))
        }
        try checkFolder(of: path)
    }

    private static func problemMaking(_ folder: String, _ code: Int32) -> SecureFileError.Problem {
        code == ENOTDIR ? .notAFolder(folder) : .system(errno: code, action: "create the folder \(folder)")
    }
}

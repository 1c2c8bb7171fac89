import Foundation

/// Who may read a file nexsh creates.
public enum FilePermissions: Sendable {
    /// The owner alone (0600): cassettes, bundles, lock files and the history hold personal data.
    case `private`
    /// As the user's umask allows (0666 & ~umask): reports and saved scripts, which hold no
    /// secrets and are meant to be handed around.
    case shared
}

/// Replaces files so that a reader, or a crash, never sees half of one, and so that no name
/// planted beside or in place of the file can redirect the write.
public enum AtomicFile {
    /// Writes `data` in place of the file at `path` (see ``write(to:permissions:contents:)``).
    @discardableResult
    public static func write(_ data: Data, to path: String, permissions: FilePermissions) throws(SecureFileError) -> OpenFile {
        try write(to: path, permissions: permissions) { file throws(SecureFileError) in try file.write(data, at: 0) }
    }

    /// Replaces the file at `path` in one step: `contents` fills a new file in the same folder
    /// (created afresh, never through a link), which is then renamed over the old one. A path
    /// that ``FileDestination`` refuses is refused; a link it trusts keeps being a link, and
    /// its target is replaced. A new file gets `permissions`; an existing one keeps its own
    /// read and write bits (never execute or set-id bits).
    ///
    /// Returns the new file, still open: whoever appends to it later (a recorder) writes to
    /// the very file that was renamed into place, whatever the path names by then.
    @discardableResult
    public static func write(
        to path: String, permissions: FilePermissions, contents: (OpenFile) throws(SecureFileError) -> Void
    ) throws(SecureFileError) -> OpenFile {
        let destination = try FileDestination(resolving: path)
        // A new shared file is created 0666 for the kernel to apply the umask: reading the
        // umask would mean changing it, for every thread at once. Everything else starts 0600.
        let createdShared = destination.existingMode == nil && permissions == .shared
        let (file, temporaryPath) = try createTemporaryFile(beside: destination, named: path, mode: createdShared ? 0o666 : 0o600)
        do throws(SecureFileError) {
            try contents(file)
            if !createdShared, fchmod(file.descriptor, destination.existingMode.map { $0 & 0o666 } ?? 0o600) != 0 {
                throw file.failed(errno, doing: "write")
            }
            if rename(temporaryPath, destination.path) != 0 { throw file.failed(errno, doing: "write") }
        } catch {
            unlink(temporaryPath)
            throw error
        }
        return file
    }

    /// A file of a new name in the destination's folder: `O_EXCL` and `O_NOFOLLOW`, so that
    /// nothing already there (a planted link, say) is opened.
    private static func createTemporaryFile(
        beside destination: FileDestination, named path: String, mode: mode_t
    ) throws(SecureFileError) -> (OpenFile, String) {
        let name = (destination.path as NSString).lastPathComponent
        while true {
            let temporaryPath = destination.folder + "/.\(name).\(getpid()).\(UInt32.random(in: 0 ... .max)).tmp"
            let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if descriptor >= 0 { return (OpenFile(descriptor: descriptor, path: path), temporaryPath) }
            let code = errno
            if code == EEXIST || code == EINTR { continue }
            throw SecureFileError(path: path, problem: problemCreating(in: destination.folder, errno: code))
        }
    }

    /// Why no file could be made in `folder`, said of the folder where that is what is wrong:
    /// it is missing, it is not a folder, or it takes no new files.
    private static func problemCreating(in folder: String, errno code: Int32) -> SecureFileError.Problem {
        var info = stat()
        guard code == ENOENT || code == ENOTDIR else { return .system(errno: code, action: "create a file in \(folder)") }
        guard stat(folder, &info) == 0 else {
            // A part of the way there that is a file, not a folder (`notes.txt/x.har`).
            return errno == ENOTDIR ? .notAFolder(folder) : .folderMissing(folder)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { return .notAFolder(folder) }
        // There, and a folder, but refusing new names (/proc, /sys).
        return .folderNotWritable(folder)
    }
}

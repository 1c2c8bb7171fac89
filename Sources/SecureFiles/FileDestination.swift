import Foundation

/// Where writing a path lands, decided before anything is written: the path itself when it is
/// a regular file or nothing yet; the final target of a symbolic link only when every link of
/// the chain and the target are the writer's own and the target is a regular file. Anything
/// else (a folder, fifo, device or socket; a dangling link, another user's link or file, a
/// loop) is refused, so a name someone else planted can never redirect a write.
public struct FileDestination: Sendable {
    /// The file a write replaces: the path named, or the target of the link it names.
    public let path: String
    /// The permission bits of the file there now; nil when there is none yet.
    public let existingMode: mode_t?

    /// More links than this in one chain is a loop (Linux gives up after 40 too).
    static let maximumLinks = 40

    /// Resolves `path` as described above, or throws why it is refused.
    public init(resolving path: String) throws(SecureFileError) {
        guard !path.isEmpty else { throw SecureFileError(path: path, problem: .emptyPath) }
        var current = path
        for hop in 0...Self.maximumLinks {
            // Past the first hop, `current` is where a link led.
            let isLinkTarget = hop > 0
            var info = stat()
            guard lstat(current, &info) == 0 else {
                let code = errno
                guard isLinkTarget else {
                    // Nothing there yet (or no folder to hold it, which the write will report).
                    guard code == ENOENT || code == ENOTDIR else {
                        throw SecureFileError(path: path, problem: .system(errno: code, action: "look at it"))
                    }
                    self.init(path: path, existingMode: nil)
                    return
                }
                if code == ENOENT || code == ENOTDIR { throw Self.refusal(path, .dangling(target: current)) }
                throw SecureFileError(path: path, problem: .system(errno: code, action: "follow the link to \(current)"))
            }
            let kind = info.st_mode & S_IFMT
            if kind == S_IFLNK {
                guard info.st_uid == geteuid() else { throw Self.refusal(path, .linkOwnedByAnotherUser(link: current)) }
                current = try Self.target(of: current, named: path)
                continue
            }
            guard kind == S_IFREG else {
                let name = SecureFileError.kind(of: info.st_mode)
                guard isLinkTarget else { throw SecureFileError(path: path, problem: .notRegularFile(kind: name)) }
                throw Self.refusal(path, .targetNotRegular(target: current, kind: name))
            }
            if isLinkTarget, info.st_uid != geteuid() { throw Self.refusal(path, .targetOwnedByAnotherUser(target: current)) }
            self.init(path: current, existingMode: info.st_mode & 0o7777)
            return
        }
        throw Self.refusal(path, .loop)
    }

    private init(path: String, existingMode: mode_t?) {
        self.path = path
        self.existingMode = existingMode
    }

    /// Refuses, before anything is sent or written, a path that writing would refuse, or whose
    /// folder cannot take the file: what a recorder calls before its first request. Returns
    /// the file a write would replace.
    @discardableResult
    public static func check(_ path: String) throws(SecureFileError) -> FileDestination {
        let destination = try FileDestination(resolving: path)
        let folder = destination.folder
        var info = stat()
        guard stat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw SecureFileError(path: path, problem: .folderMissing(folder))
        }
        guard access(folder, W_OK) == 0 else {
            throw SecureFileError(path: path, problem: .folderNotWritable(folder))
        }
        return destination
    }

    /// The folder the file is in: where its replacement is made, so that a rename can move it
    /// into place.
    public var folder: String {
        Self.folder(of: path)
    }

    /// Everything before the last slash (`/` itself for `/x`), or `.` for a bare name. Split by
    /// hand: Foundation's `deletingLastPathComponent` traps on a one-character name.
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Where the link at `link` points, as a path (a relative target is relative to the
    /// link's folder).
    private static func target(of link: String, named path: String) throws(SecureFileError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(link, &buffer, buffer.count - 1)
        guard count >= 0 else { throw SecureFileError(path: path, problem: .system(errno: errno, action: "read the link \(link)")) }
        let text = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.hasPrefix("/") ? text : folder(of: link) + "/" + text
    }

    private static func refusal(_ path: String, _ problem: SecureFileError.LinkProblem) -> SecureFileError {
        SecureFileError(path: path, problem: .untrustedLink(problem))
    }
}

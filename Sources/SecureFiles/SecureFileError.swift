import Foundation

/// Why nexsh did not write, or could not write, a file: the path and what is wrong with it,
/// worded for the person who named the path.
public struct SecureFileError: LocalizedError, Sendable, Equatable, CustomStringConvertible {
    /// The path nexsh was asked to write (for a symbolic link, the link's own path).
    public let path: String
    public let problem: Problem

    public enum Problem: Sendable, Equatable {
        /// The path names a folder, fifo, device or socket: nothing nexsh writes goes there.
        case notRegularFile(kind: String)
        /// A symbolic link where nexsh opens only the file itself (a lock file).
        case symbolicLink
        /// A symbolic link nexsh does not write through, and why.
        case untrustedLink(LinkProblem)
        /// The file belongs to someone else (a lock file another user planted).
        case ownedByAnotherUser(uid: UInt32)
        /// The file has other names too: writing it would change what those names show.
        case hardLinks(count: Int)
        /// The folder to hold the file is not there.
        case folderMissing(String)
        /// The folder to hold the file does not let nexsh add a file.
        case folderNotWritable(String)
        /// What should be the folder to hold the file, or a folder on the way to it, is a file.
        case notAFolder(String)
        /// No path was given at all.
        case emptyPath
        /// The system refused: `errno`, and what nexsh was doing ("write", "create a file in /x").
        case system(errno: Int32, action: String)
        /// A file to read is larger than nexsh reads of its kind.
        case tooLarge(limit: Int, what: String)
        /// A file read in parts ended before a part nexsh found in it earlier: it was cut
        /// short since.
        case shortened
        /// A file that holds secrets, open to its group or to others (its permission bits).
        case notPrivate(mode: mode_t)
        /// The folder meant to keep a file private does not, and why.
        case folderNotPrivate(String, why: String)
    }

    /// What is wrong with a symbolic link nexsh was asked to write through.
    public enum LinkProblem: Sendable, Equatable {
        /// A link in the chain (the one named, or one it leads to) belongs to another user.
        case linkOwnedByAnotherUser(link: String)
        /// The chain ends at nothing.
        case dangling(target: String)
        /// The chain ends at a file owned by another user.
        case targetOwnedByAnotherUser(target: String)
        /// The chain ends at a folder, fifo, device or socket.
        case targetNotRegular(target: String, kind: String)
        /// The chain never ends.
        case loop
    }

    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// The whole message: `/x/c.har is a fifo, not a regular file`.
    public var description: String {
        // An empty path has nothing to name.
        if path.isEmpty { return reason }
        return switch wording {
        case .saidOfTheFile(let predicate): "\(path) \(predicate)"
        case .statement(let statement): "\(path): \(statement)"
        }
    }

    /// The message wherever Foundation shows an error (`localizedDescription`).
    public var errorDescription: String? { description }

    /// What is wrong, for a message that names the path already: `it is a fifo, not a regular
    /// file`, or `cannot write: the disk is full`.
    public var reason: String {
        switch wording {
        case .saidOfTheFile(let predicate): "it \(predicate)"
        case .statement(let statement): statement
        }
    }

    /// A refusal is said of the file ("is a fifo"); a failure is a statement of its own.
    private enum Wording {
        case saidOfTheFile(String)
        case statement(String)
    }

    private var wording: Wording {
        switch problem {
        case .notRegularFile(let kind):
            .saidOfTheFile("is \(Self.article(kind)) \(kind), not a regular file")
        case .symbolicLink:
            .saidOfTheFile("is a symbolic link; nexsh does not open this file through a link")
        case .untrustedLink(let link):
            .saidOfTheFile(Self.describe(link, named: path) + "; nexsh does not write through it")
        case .ownedByAnotherUser(let uid):
            .saidOfTheFile("belongs to another user (uid \(uid)); nexsh does not use it")
        case .hardLinks(let count):
            .saidOfTheFile("has \(count) hard links (other names share the file); nexsh does not write it")
        case .folderMissing(let folder):
            .statement("the folder \(folder) does not exist")
        case .folderNotWritable(let folder):
            .statement("the folder \(folder) is not writable")
        case .notAFolder(let folder):
            .statement("\(folder) is not a folder")
        case .emptyPath:
            .statement("no file name was given")
        case .system(let code, let action):
            .statement("cannot \(action): \(Self.explain(code))")
        case .tooLarge(let limit, let what):
            .saidOfTheFile("is larger than \(Self.size(limit)), the most nexsh reads of \(what)")
        case .shortened:
            .saidOfTheFile("was cut short while nexsh was reading it")
        case .notPrivate(let mode):
            .saidOfTheFile("has mode \(String(mode, radix: 8)): others may use it; nexsh keeps secrets only in a file of mode 0600")
        case .folderNotPrivate(let folder, let why):
            .statement("the folder \(folder) is not private: \(why); nexsh keeps secrets only in a folder of mode 0700 of your own")
        }
    }

    private static func describe(_ problem: LinkProblem, named path: String) -> String {
        switch problem {
        case .linkOwnedByAnotherUser(let link) where link == path:
            "is a symbolic link owned by another user"
        case .linkOwnedByAnotherUser(let link):
            "is a symbolic link that leads through \(link), a link owned by another user"
        case .dangling(let target):
            "is a symbolic link to \(target), which does not exist"
        case .targetOwnedByAnotherUser(let target):
            "is a symbolic link to \(target), a file owned by another user"
        case .targetNotRegular(let target, let kind):
            "is a symbolic link to \(target), \(article(kind)) \(kind), not a regular file"
        case .loop:
            "is a symbolic link in a loop of links"
        }
    }

    /// `4 MiB`, or `64 KiB` for a bound below a mebibyte.
    private static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB"
    }

    private static func article(_ noun: String) -> String {
        noun.first.map { "aeiou".contains($0) } == true ? "an" : "a"
    }

    /// An `errno` in words a person can act on.
    public static func explain(_ code: Int32) -> String {
        switch code {
        case ENOSPC: "the disk is full"
        case EACCES, EPERM: "permission denied"
        case EROFS: "the file system is read-only"
        case ENOENT: "the folder does not exist"
        case EDQUOT: "the disk quota is exceeded"
        default: String(cString: strerror(code))
        }
    }

    /// What kind of file a `stat` mode describes, as the messages name it.
    static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: "regular file"
        case S_IFDIR: "directory"
        case S_IFIFO: "fifo"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        case S_IFSOCK: "socket"
        case S_IFLNK: "symbolic link"
        default: "special file"
        }
    }
}

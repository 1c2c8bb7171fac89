import Foundation

/// A path as a person types it in a command: `~/` at its start stands for the home folder, as
/// in a POSIX shell, so that what completion offers (`~/recordings/a.har`) also opens. (`~user`
/// is not expanded.)
public enum TypedPath {
    public static func expandingHome(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return home + path.dropFirst()
    }

    /// The folder relative paths start from: nil for the process's current directory. A run of
    /// the app in-process (a test) sets its own, since the process has only one.
    @TaskLocal public static var workingDirectory: URL?

    /// ``workingDirectory``'s path, or the process's current directory.
    public static var currentDirectoryPath: String {
        workingDirectory?.path ?? FileManager.default.currentDirectoryPath
    }

    /// `path` as the file system takes it, a relative one starting from ``workingDirectory``:
    /// for opening a file, or asking whether one exists. (Not through ``fileURL(_:)``: a URL's
    /// path is worked out anew, and making one cost a one-line script 0.05 ms.)
    public static func filePath(_ path: String) -> String {
        guard let workingDirectory, !path.hasPrefix("/") else { return path }
        return workingDirectory.path + "/" + path
    }

    /// `path` as a file URL, a relative one starting from ``workingDirectory``. (`~` is left
    /// as it is: expanding it is ``expandingHome(_:)``'s job, for paths typed in commands.)
    public static func fileURL(_ path: String) -> URL {
        guard let workingDirectory, !path.hasPrefix("/") else { return URL(fileURLWithPath: path) }
        // A base that is not marked a folder would lose its last component.
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: workingDirectory.path, isDirectory: true))
    }

    /// The environment `$HOME` is read from: nil for the process's; a run of the app in-process
    /// (a test) sets its own.
    @TaskLocal public static var environment: [String: String]?

    /// `$HOME`, or the account's home folder when it is unset.
    static var home: String {
        (environment ?? ProcessEnvironment.variables)["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }
}

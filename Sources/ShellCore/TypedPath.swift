import Foundation

/// A path as a person types it in a command: `~/` at its start stands for the home folder, as
/// in a POSIX shell, so that what completion offers (`~/recordings/a.har`) also opens. (`~user`
/// is not expanded.)
public enum TypedPath {
    public static func expandingHome(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return home + path.dropFirst()
    }

    /// `$HOME`, or the account's home folder when it is unset.
    static var home: String {
        ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }
}

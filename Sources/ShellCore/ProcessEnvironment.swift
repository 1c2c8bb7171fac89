#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The environment variables of the process, the defaults wherever a value of its own is not
/// given (a test runs the app in-process with one).
public enum ProcessEnvironment {
    /// Read from `environ` directly: `ProcessInfo`'s copy sets up its singleton first and builds
    /// a dictionary whose type it looks up while the program runs, 0.3 ms of every start. An
    /// entry is split at its first `=` (one without is skipped), invalid UTF-8 repaired; a later
    /// entry of the same name wins.
    public static var variables: [String: String] {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
                variables[String(text[..<equals])] = String(text[text.utf8.index(after: equals)...])
            }
            entry += 1
        }
        return variables
    }
}

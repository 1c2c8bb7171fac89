import Foundation

/// Writes whole lines straight to the file descriptors, so output reaches pipes at once and the
/// order of standard output and standard error is the order of the calls.
enum Console {
    static func output(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

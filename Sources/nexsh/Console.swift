import Foundation
import ShellCore

/// Writes whole lines straight to the file descriptors, so output reaches pipes at once and the
/// order of standard output and standard error is the order of the calls.
enum Console {
    static func output(_ text: String) {
        Descriptor.write(text + "\n", to: STDOUT_FILENO)
    }

    static func error(_ text: String) {
        Descriptor.write(text + "\n", to: STDERR_FILENO)
    }
}

import ArgumentParser
import Diagnostics
import Foundation
import ShellCore

/// Writes whole lines to the run's standard output and standard error (``AppEnvironment``):
/// straight to the file descriptors in the binary, so output reaches pipes at once and the
/// order of standard output and standard error is the order of the calls.
enum Console {
    static func output(_ text: String) {
        AppEnvironment.current.standardOutput.write(text + "\n")
    }

    static func error(_ text: String) {
        AppEnvironment.current.standardError.write(text + "\n")
    }

    /// Says what stopped `nexsh <command>` and gives the exit status its category means.
    static func failure(_ command: String, _ error: any ReportableError) -> ExitCode {
        Console.error("nexsh \(command): \(Terminal.safe(error.description))")
        return ExitCode(error.exitCategory.rawValue)
    }
}

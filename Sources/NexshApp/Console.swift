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

    /// `-o FILE` naming a file that is there already: refused (status 2) unless `--force`, so
    /// that a mistyped name never replaces a file.
    static func refuseToReplace(_ path: String, force: Bool, command: String) throws {
        guard !force, FileManager.default.fileExists(atPath: TypedPath.fileURL(path).path) else { return }
        error("nexsh \(command): \(Terminal.safe(path)) already exists; use --force to replace it")
        throw ExitCode(2)
    }

    /// Says what stopped `nexsh <command>` and gives the exit status its category means.
    static func failure(_ command: String, _ error: any ReportableError) -> ExitCode {
        Console.error("nexsh \(command): \(Terminal.safe(error.description))")
        return ExitCode(error.exitCategory.rawValue)
    }
}

import Foundation
import SecureFiles
import ShellCore

/// Writes the reports `nexsh run --report` asks for, once every job has run.
enum ReportFiles {
    /// A report that cannot be written is said on standard error; the others are still written.
    static func write(_ reports: [ReportSpec], results: [JobResult], duration: Duration) {
        let outcomes = results.map(\.outcome)
        for report in reports {
            let text = switch report.format {
            case .html: HTMLReport.render(results, duration: duration)
            case .junit: RunReport.junit(outcomes)
            case .tap: RunReport.tap(outcomes)
            }
            // Absolute, as the message names it.
            let path = TypedPath.fileURL(report.file).path
            do throws(SecureFileError) {
                // Reports hold no secrets and are meant to be passed on: the umask decides.
                try AtomicFile.write(Data(text.utf8), to: path, permissions: .shared)
            } catch {
                Console.error("nexsh run: cannot write the \(report.format.rawValue) report \(Terminal.safe(path)): \(Terminal.safe(error.reason))")
            }
        }
    }
}

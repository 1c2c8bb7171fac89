import Foundation
import ShellCore

/// Where the run's summary lines go: `nexsh run --summary stderr` (the default), `stdout`
/// (every line on standard output, the layout of nexsh before issue 18), or nowhere (a
/// one-shot `nexsh -c`, whose status says how it went).
enum SummaryStream: String, Sendable, CaseIterable {
    case standardError = "stderr"
    case standardOutput = "stdout"
    case none
}

/// `--summary stderr|stdout`; a one-shot's `none` is not a word of the command line.
extension SummaryStream: RunArgument {
    init?(argument: String) {
        guard let stream = SummaryStream(rawValue: argument), stream != .none else { return nil }
        self = stream
    }

    static func refusal(of text: String) -> String {
        "--summary must be stderr or stdout, not '\(text)'"
    }
}

/// A job's two streams: what its commands print (data: tables, bodies), and the rest (errors,
/// failed expectations, notes), which goes with the summary unless that is on standard output.
struct JobStreams: Sendable {
    let output: any ShellOutput
    let diagnostics: any ShellOutput

    /// Straight to the process's streams, for a job run on its own.
    init(summary: SummaryStream) {
        output = AppEnvironment.current.standardOutput
        diagnostics = summary == .standardOutput ? AppEnvironment.current.standardOutput : AppEnvironment.current.standardError
    }

    init(output: any ShellOutput, diagnostics: any ShellOutput) {
        self.output = output
        self.diagnostics = diagnostics
    }

    /// A job among several at once: both streams kept until the job's turn to be shown. With
    /// the summary on standard output, one buffer keeps the lines in the order they came.
    struct Buffered: Sendable {
        private let output = BufferedOutput()
        private let diagnostics: BufferedOutput

        init(summary: SummaryStream) {
            diagnostics = summary == .standardOutput ? output : BufferedOutput()
        }

        var streams: JobStreams { JobStreams(output: output, diagnostics: diagnostics) }

        func flush() {
            if !output.text.isEmpty { AppEnvironment.current.standardOutput.write(output.text) }
            if diagnostics !== output, !diagnostics.text.isEmpty { AppEnvironment.current.standardError.write(diagnostics.text) }
        }
    }
}

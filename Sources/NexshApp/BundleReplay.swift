import Bundles
import Foundation
import HTTPCassette
import NexudusCommands
import ShellCore

/// Replays candidates of a shrinking bundle as `nexsh run BUNDLE.har` would, in this process and
/// offline, each from one private file in a temporary folder (removed by ``remove()``), and says
/// how each replay failed.
final class BundleReplay {
    enum Outcome: Equatable {
        case passed
        case failed(FailureSignature)
        /// The candidate's script does not read (a line that sets a variable a kept line uses
        /// was removed, say): never the failure being shrunk.
        case unreadable
    }

    private let shrink: BundleShrink
    /// The name failures are reported under: the bundle's, as `nexsh run` gives it.
    private let file: String
    private let folder: URL
    private let candidateURL: URL
    private let runner: JobRunner
    /// Replays run so far.
    private(set) var runs = 0

    init(_ shrink: BundleShrink, file: String) throws {
        self.shrink = shrink
        self.file = file
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("nexsh-shrink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        candidateURL = folder.appendingPathComponent("candidate.har")
        runner = JobRunner(
            // Never reached: a bundle's cassette answers every request of a replay.
            target: .sandbox(.init()), connection: ConnectionSettings(), cassetteOptions: CassetteOptions(allowRepeats: false, strictUnused: false),
            keepGoing: false, showsSpinner: false, keepsExchanges: true, scrubsOutcomes: false, style: .plain, usesSavedSession: false
        )
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// How the candidate's replay ended, and which entries (positions in the original) each of
    /// its lines (positions in the original script) was answered from.
    func replay(_ selection: BundleShrink.Selection) async -> (outcome: Outcome, requested: [Int: [Int]]) {
        runs += 1
        let bundle = shrink.original
        let script: Script
        do {
            script = try Script(
                text: shrink.script(selection), file: file, commands: NexudusCommands.table,
                knownVariables: Set(bundle.variables.map(\.name)), environment: AppEnvironment.current.variables
            )
            try shrink.cassette(selection).write(to: candidateURL)
        } catch {
            return (.unreadable, [:])
        }
        let job = ScriptJob(
            script: script, cassette: candidateURL, mode: .replay,
            variables: Dictionary(bundle.variables.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }),
            matchRules: bundle.matchRules, replayAdvice: .bundle
        )
        // What the replay prints is not shown: only how it ended matters.
        let result = await runner.run(job, streams: JobStreams(output: BufferedOutput(), diagnostics: BufferedOutput()))
        var requested: [Int: [Int]] = [:]
        for step in result.outcome.steps where selection.lines.indices.contains(step.location.line - 1) {
            let entries = step.exchanges.compactMap { result.exchanges.indices.contains($0) ? result.exchanges[$0].replayedEntry : nil }
            requested[selection.lines[step.location.line - 1], default: []] += entries.compactMap { number in
                selection.entries.indices.contains(number - 1) ? selection.entries[number - 1] : nil
            }
        }
        return (outcome(result), requested)
    }

    /// The first failure's signature: a failed expectation by its values and the request whose
    /// answer it read, anything else by its message.
    private func outcome(_ result: JobResult) -> Outcome {
        let outcome = result.outcome
        guard let first = outcome.failures.first else { return outcome.succeeded ? .passed : .failed(FailureSignature(line: nil, message: "failed")) }
        let step = first.location.flatMap { place in outcome.steps.first { $0.location == place } }
        if first.isExpectation, let record = outcome.expectations.first(where: { $0.failure != nil && $0.location == first.location }),
            let failure = record.failure
        {
            // The last answer by the end of the line: what `expect` looks at.
            let read = step.flatMap { result.exchanges.indices.contains($0.exchanges.upperBound - 1) ? result.exchanges[$0.exchanges.upperBound - 1] : nil }
            return .failed(FailureSignature(line: record.text, expected: failure.expected, actual: failure.actual, answering: read.map { Self.label($0.entry.request) }))
        }
        // A replay miss names the cassette: the bundle's name, not the candidate's file.
        return .failed(FailureSignature(line: step?.text, message: first.message.replacingOccurrences(of: candidateURL.path, with: file)))
    }

    /// `GET /api/public/billing/invoices/my?paid=false`: the server left out, as the candidates
    /// all replay against the one recorded.
    private static func label(_ request: HAR.Request) -> String {
        let components = URLComponents(string: request.url)
        return request.method + " " + (components?.percentEncodedPath ?? request.url) + (components?.percentEncodedQuery.map { "?" + $0 } ?? "")
    }
}

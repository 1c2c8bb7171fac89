import Diagnostics
import Foundation
import ShellCore

/// A run worked out from its configuration: the scripts found (``ScriptDiscovery``), run one at
/// a time or several at once (``JobRunner``), then the reports (``ReportFiles``), a summary and
/// the exit status.
struct ScriptPlan: Sendable {
    let configuration: RunConfiguration
    let jobs: [ScriptJob]
    /// Scripts that could not be read (reported, exit status 2).
    let unreadable: [ScriptOutcome]
    var runner: JobRunner
    let style: TextStyle

    /// Every script is read and checked before any runs. Throws a usage error for a server
    /// nexsh would not talk to, or options that do not fit the scripts found.
    init(_ configuration: RunConfiguration) throws {
        let environment = AppEnvironment.current.variables
        let target = try configuration.target(environment: environment)
        let discovery = try ScriptDiscovery(configuration)
        self.configuration = configuration
        jobs = discovery.jobs
        unreadable = discovery.unreadable
        style = AppEnvironment.current.outputStyle
        runner = JobRunner(
            target: target, connection: configuration.connection, cassetteOptions: configuration.cassetteOptions,
            keepGoing: configuration.keepGoing, showsSpinner: configuration.jobs == 1,
            keepsExchanges: configuration.reports.contains { $0.format == .html } || configuration.coverage != nil, scrubsOutcomes: !configuration.reports.isEmpty, style: style,
            usesSavedSession: configuration.usesSavedSession
        )
    }

    /// Runs every job and reports; returns the exit status.
    func execute() async -> Int32 {
        for outcome in unreadable {
            Console.error(outcome.parseError!.rendered(color: style.color && AppEnvironment.current.errorIsTerminal))
        }
        guard unreadable.isEmpty else {
            summarize("\(unreadable.count) \(unreadable.count == 1 ? "script" : "scripts") could not be read; nothing ran")
            return unreadable.contains { $0.parseError?.isUsageMistake == true } && configuration.origin == .oneShot ? 3 : 2
        }
        let progress = Progress(total: jobs.count)
        let showHeadings = jobs.count > 1
        var results = [JobResult?](repeating: nil, count: jobs.count)
        let started = ContinuousClock.now

        if configuration.jobs == 1 {
            for (index, job) in jobs.enumerated() {
                progress.clear()
                if showHeadings { summarize(style.bold("── \(job.script.file)")) }
                let result = await runner.run(job, streams: JobStreams(summary: configuration.summary))
                results[index] = result
                progress.finished(result.outcome)
                if !result.outcome.succeeded, !configuration.keepGoing, index < jobs.count - 1 { break }
            }
        } else {
            await withTaskGroup(of: (Int, JobResult, JobStreams.Buffered).self) { group in
                var next = 0
                var printed = 0
                var finished: [Int: JobStreams.Buffered] = [:]
                func start() {
                    guard next < jobs.count else { return }
                    let index = next
                    next += 1
                    group.addTask {
                        let buffered = JobStreams.Buffered(summary: configuration.summary)
                        let result = await runner.run(jobs[index], streams: buffered.streams)
                        return (index, result, buffered)
                    }
                }
                for _ in 0..<min(configuration.jobs, jobs.count) { start() }
                for await (index, result, buffered) in group {
                    results[index] = result
                    progress.finished(result.outcome)
                    finished[index] = buffered
                    // Output in the order of the scripts, whatever order they finish in.
                    while let buffered = finished[printed] {
                        progress.clear()
                        summarize(style.bold("── \(jobs[printed].script.file)"))
                        buffered.flush()
                        finished[printed] = nil
                        printed += 1
                    }
                    start()
                }
            }
        }
        progress.clear()

        let ran = results.compactMap { $0 }
        let outcomes = ran.map(\.outcome)
        ReportFiles.write(configuration.reports, results: ran, duration: ContinuousClock.now - started)
        for outcome in outcomes { summarize(summaryLine(outcome)) }
        let skipped = jobs.count - ran.count
        if skipped > 0 { summarize(style.dim("\(skipped) more \(skipped == 1 ? "script" : "scripts") not run (stopped at the first failure; --keep-going runs all)")) }
        if let file = configuration.coverage {
            // Before the verdict, which stays the run's last line.
            let coverage = SuiteCoverage(ran)
            CoverageReport.write(coverage, to: file)
            for line in CoverageReport.table(coverage, file: file, style: style) { summarize(line) }
        }
        let passed = outcomes.reduce(0) { $0 + $1.passedExpectations }
        let failed = outcomes.reduce(0) { $0 + $1.failedExpectations + $1.failures.filter { !$0.isExpectation }.count }
        summarize("\(passed) passed, \(failed) failed")
        // A cassette (or a sourced script) that could not be read outranks a failed request.
        if outcomes.contains(where: { $0.failures.contains { $0.category == .unreadableInput } }) { return 2 }
        // A one-shot is a command: `exit N` in it is its status, as in a shell.
        if configuration.origin == .oneShot, let code = outcomes.first?.exitCode { return code }
        return outcomes.allSatisfy(\.succeeded) && skipped == 0 ? 0 : 1
    }

    /// A line about the run, not from a script: on the summary's stream, if it has one.
    private func summarize(_ line: String) {
        switch configuration.summary {
        case .standardError: Console.error(line)
        case .standardOutput: Console.output(line)
        case .none: break
        }
    }

    private func summaryLine(_ outcome: ScriptOutcome) -> String {
        let counts = "\(outcome.passedExpectations + outcome.failedExpectations) \(outcome.passedExpectations + outcome.failedExpectations == 1 ? "expectation" : "expectations")"
        if outcome.succeeded {
            return style.success("✔") + " \(outcome.file): \(counts) passed"
        }
        let place = outcome.failures.first?.location.map { " at line \($0.line)" } ?? ""
        let detail = outcome.failedExpectations > 0 ? " (\(outcome.failedExpectations) of \(counts) failed)" : ""
        return style.error("✘") + " \(outcome.file): failed\(place)\(detail)"
    }
}

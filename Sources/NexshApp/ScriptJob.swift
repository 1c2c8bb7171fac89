import Diagnostics
import Foundation
import HTTPCassette
import NexudusCommands
import Sandbox
import HTTPValues
import ShellCore

/// One script to run, with what it runs against.
struct ScriptJob: Sendable {
    let script: Script
    let cassette: URL?
    let mode: RecordMode
    /// Set before the script starts: a bundle's, then the command line's.
    let variables: [String: String]
    let matchRules: MatchRules
    let replayAdvice: ReplayAdvice
    /// The cassette's index, read while the script was (a single script's replay).
    var readAhead: CassetteReadAhead?
}

/// What one job came to, for the summary and the reports.
struct JobResult: Sendable {
    var outcome: ScriptOutcome
    var exchanges: [ExchangeLog.Item] = []
    /// The cassette and mode, for reports.
    var cassette: String?
    var mode: RecordMode
}

/// Runs one job in its own session: a fresh sandbox unless a cassette replays everything, the
/// job's cassette inserted, and in verify mode each answer's drift reported.
struct JobRunner: Sendable {
    let target: RunConfiguration.Target
    let connection: ConnectionSettings
    let cassetteOptions: CassetteOptions
    let keepGoing: Bool
    /// A request that takes long says so (one job at a time only: parallel jobs have a
    /// progress line of their own).
    let showsSpinner: Bool
    /// Sessions keep their exchanges (for an HTML report).
    let keepsExchanges: Bool
    /// Outcomes are scrubbed of secrets: a report will write them to a file.
    let scrubsOutcomes: Bool
    let style: TextStyle
    /// `nexsh run --session`: the saved session resumed, sign-ins kept.
    let usesSavedSession: Bool
    /// Makes the live transport, when a job first needs the network.
    var openNetwork: LiveNetwork.Opener = LiveNetwork.standardOpener

    func run(_ job: ScriptJob, streams: JobStreams) async -> JobResult {
        let replayOnly = job.cassette.map { !job.mode.resolved(forCassetteAt: $0).needsNetwork } ?? false
        do {
            return try await connection.withNetwork(showsSpinner: showsSpinner, open: openNetwork) { live in
                if replayOnly {
                    return await runSession(job, baseURL: nil, live: live, streams: streams)
                }
                switch target {
                case .server(let url):
                    return await runSession(job, baseURL: url, live: live, streams: streams)
                case .sandbox(let settings):
                    let configuration = SandboxServer.Configuration(
                        port: settings.port, tokenLifetime: .seconds(settings.tokenLifetime), throttle: settings.throttle,
                        revision: settings.revision
                    )
                    return try await withSandbox(configuration) { sandbox in
                        await runSession(job, baseURL: sandbox.baseURL, live: live, streams: streams, sandboxPasswords: SandboxServer.passwordsByEmail)
                    }
                }
            }
        } catch {
            var outcome = ScriptOutcome(file: job.script.file)
            report(error, prefix: "\(job.script.file): ", in: &outcome, to: streams.diagnostics)
            return JobResult(outcome: outcome, cassette: job.cassette?.path, mode: job.mode)
        }
    }

    /// A failure outside the script's lines (starting a sandbox, opening or closing a cassette),
    /// with what it means for the exit status: the error's own (a cassette that cannot be used
    /// is 2), unless `category` says what it is here.
    private func report(
        _ error: any Error, prefix: String = "", category: ExitCategory? = nil, in outcome: inout ScriptOutcome, to diagnostics: any ShellOutput
    ) {
        let message = prefix + String(describing: error)
        diagnostics.write(style.error("error: ") + Terminal.safe(message, keepingNewlines: true) + "\n")
        outcome.failures.append(.init(location: nil, message: message, isExpectation: false, category: category ?? ShellError(error).exitCategory))
    }

    /// With no `baseURL` (a replay), the session talks to the server the cassette was recorded
    /// against, so that a replay shows the same URLs. `sandboxPasswords`: the built-in sandbox's,
    /// when `baseURL` is that sandbox.
    private func runSession(
        _ job: ScriptJob, baseURL: URL?, live: any HTTPTransport, streams: JobStreams, sandboxPasswords: [String: String] = [:]
    ) async -> JobResult {
        let session = NexudusSession(
            baseURL: baseURL ?? NexudusSession.notYetKnownServer, authenticationBaseURL: connection.authServer, live: live, allowsPlainHTTP: connection.allowHTTP,
            keepsExchanges: keepsExchanges || job.mode == .verify, maximumBodySize: connection.maximumBodyBytes,
            sandboxPasswords: sandboxPasswords
        )
        let context = ShellContext(
            commands: NexudusCommands.table, services: [session], variables: Variables(job.variables, environment: AppEnvironment.current.variables), output: streams.output,
            diagnostics: streams.diagnostics, style: style,
            networkExchanges: { session.exchanges?.count ?? 0 }, replaying: { session.isReplaying }
        )
        var result = JobResult(outcome: ScriptOutcome(file: job.script.file), cassette: job.cassette?.path, mode: job.mode)
        if let file = job.cassette {
            do {
                var options = cassetteOptions
                options.matchRules = job.matchRules
                options.replayAdvice = job.replayAdvice
                options.readAhead = job.readAhead
                let active = try session.insertCassette(file: file, mode: job.mode, options: options)
                if baseURL == nil, let recorded = active.transport.recordedOrigin {
                    session.changeServer(to: recorded)
                }
            } catch {
                report(error, in: &result.outcome, to: streams.diagnostics)
                return result
            }
        }
        if let email = await resumeSavedSession(session, onSandbox: !sandboxPasswords.isEmpty) {
            streams.diagnostics.write("note: resumed the saved session of \(Terminal.safe(email))\n")
        }
        result.outcome = await ScriptRunner.run(job.script, in: context, keepGoing: keepGoing)
        result.exchanges = session.exchanges?.items ?? []
        if job.mode == .verify { reportDrift(&result, to: streams.diagnostics) }
        do {
            if let summary = try session.ejectCassette(), summary.unusedCount > 0 {
                streams.diagnostics.write(Terminal.safe("note: \(summary.unusedCount) \(summary.unusedCount == 1 ? "entry" : "entries") of \(summary.file) never requested: \(summary.unusedList)") + "\n")
            }
        } catch {
            // The script ran; its recording could not be saved (the previous file is kept).
            report(error, category: .failure, in: &result.outcome, to: streams.diagnostics)
        }
        // Reports are files: what they say of the run holds no secret the script or the
        // session had. (The terminal has seen the run as it happened.)
        if scrubsOutcomes {
            let secrets = session.secretWords.learningVariables(from: job.script.lines)
            result.outcome = result.outcome.scrubbed(secrets.scrub)
        }
        return result
    }

    /// With `--session`, the session saved for the server the script talks to (none for the
    /// built-in sandbox, whose sessions end with it); returns its address.
    private func resumeSavedSession(_ session: NexudusSession, onSandbox: Bool) async -> String? {
        guard usesSavedSession else {
            session.keepSessions(.notKept(reason: "nexsh run keeps a session only with --session"))
            return nil
        }
        guard !onSandbox else {
            session.keepSessions(.notKept(reason: "the built-in sandbox's sessions end with it"))
            return nil
        }
        session.keepSessions(StateFiles.keeping)
        return await session.resumeSavedSession()
    }

    /// Prints each request's verdict and makes drift a failure of the line that met it.
    private func reportDrift(_ result: inout JobResult, to output: any ShellOutput) {
        let checked = result.exchanges.compactMap(\.drift)
        guard !checked.isEmpty else { return }
        output.write(style.bold("drift check against \(result.cassette ?? "the cassette"):") + "\n")
        let width = min(60, checked.map(\.request.count).max() ?? 0)
        for (index, item) in result.exchanges.enumerated() {
            guard let drift = item.drift else { continue }
            let number = drift.entryNumber.map { "#\($0)" } ?? "new"
            let request = drift.request.count > width ? String(drift.request.prefix(width - 1)) + "…" : drift.request.padding(toLength: width, withPad: " ", startingAt: 0)
            let summary = Terminal.safe(drift.summary())
            output.write("  " + Terminal.safe("\(number.padding(toLength: 5, withPad: " ", startingAt: 0)) \(request)") + "  "
                + (drift.isDrift ? style.error(summary) : style.success(summary)) + "\n")
            if drift.isDrift {
                let step = result.outcome.steps.first { $0.exchanges.contains(index) }
                result.outcome.failures.append(.init(
                    location: step?.location, message: "\(drift.request): \(drift.summary(limit: 10))", isExpectation: false
                ))
            }
        }
        // The summary names the first failing line, whichever kind of failure it had.
        result.outcome.failures = result.outcome.failures.enumerated().sorted { left, right in
            (left.element.location?.line ?? .max, left.offset) < (right.element.location?.line ?? .max, right.offset)
        }.map(\.element)
        let drifted = checked.filter(\.isDrift).count
        output.write((drifted == 0 ? style.success("no drift") : style.error("\(drifted) of \(checked.count) requests drifted")) + "\n")
    }
}

import ArgumentParser
import Foundation
import HTTPCassette
import HTTPValues
import NexudusCommands
import Sandbox
import SecureFiles
import ShellCore
import Transport

/// A run worked out from the command line: which scripts, against what, with which cassettes.
struct ScriptPlan: Sendable {
    /// Where the run was asked for, so that its hints name the options that work there.
    enum Origin: Sendable {
        /// `nexsh run …`.
        case runCommand
        /// Commands piped into the shell (`nexsh --replay C < script`), which runs them as
        /// `nexsh run -` does.
        case shellCommandLine
    }

    enum Target: Sendable {
        case sandbox(port: Int, tokenLifetime: Int, revision: SandboxRevision)
        case server(URL)
    }

    struct Job: Sendable {
        let script: Script
        let cassette: URL?
        let mode: RecordMode
        /// Set before the script starts: a bundle's, then the command line's.
        let variables: [String: String]
        let matchRules: MatchRules
        let replayAdvice: ReplayAdvice
    }

    /// What one job came to, for the summary and the reports.
    struct JobResult: Sendable {
        var outcome: ScriptOutcome
        /// The cassette could not be read (exit status 2).
        var unreadableCassette = false
        var exchanges: [ExchangeLog.Item] = []
        /// The cassette and mode, for reports.
        var cassette: String?
        var mode: RecordMode
    }

    let jobs: [Job]
    let target: Target
    let keepGoing: Bool
    let parallelism: Int
    let reports: [(ReportFormat, URL)]
    /// Sessions keep their exchanges (for an HTML report).
    let keepsExchanges: Bool
    let cassetteOptions: CassetteOptions
    let connection: ConnectionOptions
    let style: TextStyle
    /// Scripts that could not be read (reported, exit status 2).
    let unreadable: [ScriptOutcome]
    /// Makes the live transport, when a job first needs the network.
    var openNetwork: LiveNetwork.Opener = LiveNetwork.standardOpener

    init(_ command: RunCommand, origin: Origin) throws {
        let environment = ProcessInfo.processInfo.environment
        let mode = command.mode.flatMap(RecordMode.init) ?? (command.cassette == nil ? .passthrough : .replay)
        if let server = command.server ?? (command.sandbox ? nil : environment["NEXSH_SERVER"].flatMap { $0.isEmpty ? nil : $0 }),
            let url = URL(string: server)
        {
            try command.connection.check(server: url)
            target = .server(url)
        } else {
            target = .sandbox(port: command.sandboxPort, tokenLifetime: command.sandboxTokenTTL, revision: command.sandboxRevision)
        }
        let variables = Dictionary(command.variables.map { item in
            let name = String(item.prefix { $0 != "=" })
            return (name, String(item.dropFirst(name.count + 1)))
        }, uniquingKeysWith: { _, last in last })
        keepGoing = command.keepGoing
        parallelism = command.jobs
        reports = command.report.map { item in
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            return (ReportFormat(rawValue: parts[0])!, URL(fileURLWithPath: parts[1]))
        }
        keepsExchanges = reports.contains { $0.0 == .html }
        cassetteOptions = CassetteOptions(allowRepeats: command.allowRepeats, strictUnused: command.strict)
        connection = command.connection
        style = TextStyle.forStandardOutput(environment: environment)

        var files = try Self.scriptFiles(command.scripts)
        if let shard = command.shard.flatMap(RunCommand.parseShard) {
            files = files.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
        }
        let cassetteFolder = command.cassette.map { path -> Bool in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        } ?? false
        if files.count > 1, command.cassette != nil, !cassetteFolder {
            throw ValidationError("with several scripts, --cassette must name a folder (each script gets <folder>/<name>.har)")
        }

        // Every script is read and checked before any runs.
        let templateTable = NexudusCommands.table
        var jobs: [Job] = []
        var unreadable: [ScriptOutcome] = []
        for file in files {
            if file.hasSuffix(".har") {
                // A bundle carries its script, variables and cassette.
                let bundleMode = command.mode.flatMap(RecordMode.init) ?? .replay
                guard [.replay, .verify].contains(bundleMode), command.cassette == nil else {
                    throw ValidationError("a bundle (\(file)) replays its own cassette: --mode may only be replay or verify, and --cassette is not used")
                }
                switch Self.readBundle(file, commands: templateTable, variables: variables) {
                case .success(let (script, bundle)):
                    let merged = Dictionary(bundle.variables.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
                        .merging(variables) { _, commandLine in commandLine }
                    jobs.append(Job(
                        script: script, cassette: URL(fileURLWithPath: file), mode: bundleMode, variables: merged, matchRules: bundle.matchRules,
                        replayAdvice: .bundle
                    ))
                case .failure(let error):
                    var outcome = ScriptOutcome(file: file)
                    outcome.parseError = error
                    unreadable.append(outcome)
                }
                continue
            }
            switch Self.readScript(file, commands: templateTable, knownVariables: Set(variables.keys)) {
            case .success(let script):
                let cassette = command.cassette.map { path in
                    cassetteFolder
                        ? URL(fileURLWithPath: path).appendingPathComponent(((file as NSString).lastPathComponent as NSString).deletingPathExtension + ".har")
                        : URL(fileURLWithPath: path)
                }
                let advice: ReplayAdvice = switch origin {
                case .runCommand: .run
                case .shellCommandLine: .shellCommandLine(cassette: command.cassette ?? "")
                }
                jobs.append(Job(script: script, cassette: cassette, mode: mode, variables: variables, matchRules: .standard, replayAdvice: advice))
            case .failure(let error):
                var outcome = ScriptOutcome(file: file)
                outcome.parseError = error
                unreadable.append(outcome)
            }
        }
        self.jobs = jobs
        self.unreadable = unreadable
    }

    /// Scripts named, folders expanded to their `.nexsh` files (sorted, so shards are stable).
    static func scriptFiles(_ arguments: [String]) throws -> [String] {
        var files: [String] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            if argument != "-", FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
                files += names.filter { $0.hasSuffix(".nexsh") }.sorted().map { (argument as NSString).appendingPathComponent($0) }
            } else {
                files.append(argument)
            }
        }
        return files
    }

    static func readScript(_ file: String, commands: CommandTable, knownVariables: Set<String>) -> Result<Script, ShellError> {
        Result { () throws(ShellError) in
            if file == "-" {
                // Read as a file, within the same bound as one.
                return try Script(contentsOf: URL(fileURLWithPath: "/dev/stdin"), displayName: "<stdin>", commands: commands, knownVariables: knownVariables)
            }
            return try Script(contentsOf: URL(fileURLWithPath: file), displayName: file, commands: commands, knownVariables: knownVariables)
        }
    }

    /// The script a bundle carries; its lines are numbered as `nexsh bundle show` prints them.
    static func readBundle(_ file: String, commands: CommandTable, variables: [String: String]) -> Result<(Script, ReproductionBundle), ShellError> {
        Result { () throws(ShellError) in
            let found: ReproductionBundle?
            do throws(CassetteError) {
                found = try ReproductionBundle(log: Cassette.load(from: URL(fileURLWithPath: file)).log, path: file)
            } catch {
                throw .failed("\(error)")
            }
            guard let bundle = found else {
                throw .failed("\(file) is a HAR file without a nexsh script (not a bundle); replay a cassette with: nexsh run SCRIPT --cassette \(file)")
            }
            let known = Set(bundle.variables.map(\.name)).union(variables.keys)
            let script = try Script(text: bundle.script, file: file, commands: commands, knownVariables: known)
            return (script, bundle)
        }
    }

    /// Runs every job and reports; returns the exit status.
    func execute() async -> Int32 {
        for outcome in unreadable {
            Console.error(outcome.parseError!.rendered(color: style.color && isatty(STDERR_FILENO) == 1))
        }
        guard unreadable.isEmpty else {
            Console.output("\(unreadable.count) \(unreadable.count == 1 ? "script" : "scripts") could not be read; nothing ran")
            return 2
        }
        let progress = Progress(total: jobs.count)
        let showHeadings = jobs.count > 1
        var results = [JobResult?](repeating: nil, count: jobs.count)
        let started = ContinuousClock.now

        if parallelism == 1 {
            for (index, job) in jobs.enumerated() {
                progress.clear()
                if showHeadings { Console.output(style.bold("── \(job.script.file)")) }
                let result = await run(job, output: StandardOutput())
                results[index] = result
                progress.finished(result.outcome)
                if !result.outcome.succeeded, !keepGoing, index < jobs.count - 1 { break }
            }
        } else {
            await withTaskGroup(of: (Int, JobResult, String).self) { group in
                var next = 0
                var printed = 0
                var finished: [Int: String] = [:]
                func start() {
                    guard next < jobs.count else { return }
                    let index = next
                    next += 1
                    group.addTask {
                        let output = BufferedOutput()
                        let result = await run(jobs[index], output: output)
                        return (index, result, output.text)
                    }
                }
                for _ in 0..<min(parallelism, jobs.count) { start() }
                for await (index, result, text) in group {
                    results[index] = result
                    progress.finished(result.outcome)
                    finished[index] = text
                    // Output in the order of the scripts, whatever order they finish in.
                    while let text = finished[printed] {
                        progress.clear()
                        Console.output(style.bold("── \(jobs[printed].script.file)"))
                        if !text.isEmpty { Descriptor.write(text, to: STDOUT_FILENO) }
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
        for (format, url) in reports {
            let text = switch format {
            case .html: HTMLReport.render(ran, duration: ContinuousClock.now - started)
            case .junit: RunReport.render(outcomes, as: .junit)
            case .tap: RunReport.render(outcomes, as: .tap)
            }
            do throws(SecureFileError) {
                // Reports hold no secrets and are meant to be passed on: the umask decides.
                try AtomicFile.write(Data(text.utf8), to: url.path, permissions: .shared)
            } catch {
                Console.error("nexsh run: cannot write the \(format.rawValue) report \(Terminal.safe(url.path)): \(Terminal.safe(error.reason))")
            }
        }
        for outcome in outcomes { Console.output(summaryLine(outcome)) }
        let skipped = jobs.count - ran.count
        if skipped > 0 { Console.output(style.dim("\(skipped) more \(skipped == 1 ? "script" : "scripts") not run (stopped at the first failure; --keep-going runs all)")) }
        let passed = outcomes.reduce(0) { $0 + $1.passedExpectations }
        let failed = outcomes.reduce(0) { $0 + $1.failedExpectations + $1.failures.filter { !$0.isExpectation }.count }
        Console.output("\(passed) passed, \(failed) failed")
        if ran.contains(where: \.unreadableCassette) { return 2 }
        return outcomes.allSatisfy(\.succeeded) && skipped == 0 ? 0 : 1
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

    /// One script in its own session: a fresh sandbox unless a cassette replays everything.
    private func run(_ job: Job, output: any ShellOutput) async -> JobResult {
        let replayOnly = job.cassette.map { !job.mode.resolved(forCassetteAt: $0).needsNetwork } ?? false
        do {
            return try await connection.withNetwork(showsSpinner: parallelism == 1, open: openNetwork) { live in
                if replayOnly {
                    return await runSession(job, baseURL: nil, live: live, output: output)
                }
                switch target {
                case .server(let url):
                    return await runSession(job, baseURL: url, live: live, output: output)
                case .sandbox(let port, let lifetime, let revision):
                    let configuration = SandboxServer.Configuration(port: port, tokenLifetime: .seconds(lifetime), revision: revision)
                    return try await withSandbox(configuration) { sandbox in
                        await runSession(job, baseURL: sandbox.baseURL, live: live, output: output, sandboxPasswords: SandboxServer.passwordsByEmail)
                    }
                }
            }
        } catch {
            var outcome = ScriptOutcome(file: job.script.file)
            report("\(job.script.file): \(error)", in: &outcome, output: output)
            return JobResult(outcome: outcome, cassette: job.cassette?.path, mode: job.mode)
        }
    }

    /// A failure outside the script's lines (starting a sandbox, opening or closing a cassette).
    private func report(_ message: String, in outcome: inout ScriptOutcome, output: any ShellOutput) {
        output.write(style.error("error: ") + Terminal.safe(message, keepingNewlines: true) + "\n")
        outcome.failures.append(.init(location: nil, message: message, isExpectation: false))
    }

    /// With no `baseURL` (a replay), the session talks to the server the cassette was recorded
    /// against, so that a replay shows the same URLs. `sandboxPasswords`: the built-in sandbox's,
    /// when `baseURL` is that sandbox.
    private func runSession(
        _ job: Job, baseURL: URL?, live: any HTTPTransport, output: any ShellOutput, sandboxPasswords: [String: String] = [:]
    ) async -> JobResult {
        let session = NexudusSession(
            baseURL: baseURL ?? NexudusSession.notYetKnownServer, live: live, allowsPlainHTTP: connection.allowHTTP,
            keepsExchanges: keepsExchanges || job.mode == .verify, maximumBodySize: connection.maximumBodyBytes,
            sandboxPasswords: sandboxPasswords
        )
        let context = ShellContext(
            commands: NexudusCommands.table, services: [session], variables: Variables(job.variables), output: output, style: style,
            networkExchanges: { session.exchanges?.count ?? 0 }, replaying: { session.isReplaying }
        )
        var result = JobResult(outcome: ScriptOutcome(file: job.script.file), cassette: job.cassette?.path, mode: job.mode)
        if let file = job.cassette {
            do {
                var options = cassetteOptions
                options.matchRules = job.matchRules
                options.replayAdvice = job.replayAdvice
                let active = try session.insertCassette(file: file, mode: job.mode, options: options)
                if baseURL == nil, let recorded = active.transport.recordedOrigin {
                    session.changeServer(to: recorded)
                }
            } catch {
                report("\(error)", in: &result.outcome, output: output)
                result.unreadableCassette = true
                return result
            }
        }
        result.outcome = await ScriptRunner.run(job.script, in: context, keepGoing: keepGoing)
        result.exchanges = session.exchanges?.items ?? []
        if job.mode == .verify { reportDrift(&result, output: output) }
        do {
            if let summary = try session.ejectCassette(), !summary.unused.isEmpty {
                output.write(Terminal.safe("note: \(summary.unused.count) \(summary.unused.count == 1 ? "entry" : "entries") of \(summary.file) never requested: \(summary.unusedList)") + "\n")
            }
        } catch {
            report("\(error)", in: &result.outcome, output: output)
        }
        // Reports are files: what they say of the run holds no secret the script or the
        // session had. (The terminal has seen the run as it happened.)
        if !reports.isEmpty {
            let secrets = session.secretWords.learningVariables(from: job.script.lines)
            result.outcome = result.outcome.scrubbed(secrets.scrub)
        }
        return result
    }

    /// Prints each request's verdict and makes drift a failure of the line that met it.
    private func reportDrift(_ result: inout JobResult, output: any ShellOutput) {
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

    /// `scheme://host:port` of a URL.
    static func origin(of url: URL) -> URL? {
        guard let scheme = url.scheme, let host = url.host else { return nil }
        return URL(string: "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")")
    }
}

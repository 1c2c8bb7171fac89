import ArgumentParser
import Foundation
import HTTPCassette
import NexudusCommands
import Sandbox
import ShellCore
import Transport

/// A run worked out from the command line: which scripts, against what, with which cassettes.
struct ScriptPlan: Sendable {
    enum Target: Sendable {
        case sandbox(port: Int, tokenLifetime: Int)
        case server(URL)
    }

    struct Job: Sendable {
        let script: Script
        let cassette: URL?
    }

    let jobs: [Job]
    let target: Target
    let mode: RecordMode
    let variables: [String: String]
    let keepGoing: Bool
    let parallelism: Int
    let reports: [(RunReport.Format, URL)]
    let cassetteOptions: CassetteOptions
    let connection: ConnectionOptions
    let style: TextStyle
    /// Scripts that could not be read (reported, exit status 2).
    let unreadable: [ScriptOutcome]

    init(_ command: RunCommand) throws {
        let environment = ProcessInfo.processInfo.environment
        mode = command.mode.flatMap(RecordMode.init) ?? (command.cassette == nil ? .passthrough : .replay)
        if let server = command.server ?? (command.sandbox ? nil : environment["NEXSH_SERVER"].flatMap { $0.isEmpty ? nil : $0 }),
            let url = URL(string: server)
        {
            try command.connection.check(server: url)
            target = .server(url)
        } else {
            target = .sandbox(port: command.sandboxPort, tokenLifetime: command.sandboxTokenTTL)
        }
        variables = Dictionary(command.variables.map { item in
            let name = String(item.prefix { $0 != "=" })
            return (name, String(item.dropFirst(name.count + 1)))
        }, uniquingKeysWith: { _, last in last })
        keepGoing = command.keepGoing
        parallelism = command.jobs
        reports = command.report.map { item in
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            return (RunReport.Format(rawValue: parts[0])!, URL(fileURLWithPath: parts[1]))
        }
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
        let templateTable = NexudusCommands.table(session: NexudusSession(baseURL: URL(string: "http://localhost")!, live: OfflineTransport()))
        var jobs: [Job] = []
        var unreadable: [ScriptOutcome] = []
        for file in files {
            switch Self.readScript(file, commands: templateTable, knownVariables: Set(variables.keys)) {
            case .success(let script):
                let cassette = command.cassette.map { path in
                    cassetteFolder
                        ? URL(fileURLWithPath: path).appendingPathComponent(((file as NSString).lastPathComponent as NSString).deletingPathExtension + ".har")
                        : URL(fileURLWithPath: path)
                }
                jobs.append(Job(script: script, cassette: cassette))
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
                return try Script(data: FileHandle.standardInput.readDataToEndOfFile(), file: "<stdin>", commands: commands, knownVariables: knownVariables)
            }
            return try Script(contentsOf: URL(fileURLWithPath: file), displayName: file, commands: commands, knownVariables: knownVariables)
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
        var outcomes = [ScriptOutcome?](repeating: nil, count: jobs.count)
        var cassetteProblem = false

        if parallelism == 1 {
            for (index, job) in jobs.enumerated() {
                progress.clear()
                if showHeadings { Console.output(style.bold("── \(job.script.file)")) }
                let (outcome, unreadableCassette) = await run(job, output: StandardOutput())
                outcomes[index] = outcome
                cassetteProblem = cassetteProblem || unreadableCassette
                progress.finished(outcome)
                if !outcome.succeeded, !keepGoing, index < jobs.count - 1 { break }
            }
        } else {
            await withTaskGroup(of: (Int, ScriptOutcome, Bool, String).self) { group in
                var next = 0
                var printed = 0
                var finished: [Int: (ScriptOutcome, String)] = [:]
                func start() {
                    guard next < jobs.count else { return }
                    let index = next
                    next += 1
                    group.addTask {
                        let output = BufferedOutput()
                        let (outcome, problem) = await run(jobs[index], output: output)
                        return (index, outcome, problem, output.text)
                    }
                }
                for _ in 0..<min(parallelism, jobs.count) { start() }
                for await (index, outcome, problem, text) in group {
                    outcomes[index] = outcome
                    cassetteProblem = cassetteProblem || problem
                    progress.finished(outcome)
                    finished[index] = (outcome, text)
                    // Output in the order of the scripts, whatever order they finish in.
                    while let (_, text) = finished[printed] {
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

        let ran = outcomes.compactMap { $0 }
        for (format, url) in reports {
            do {
                try Data(RunReport.render(ran, as: format).utf8).write(to: url, options: .atomic)
            } catch {
                Console.error("nexsh run: cannot write the \(format.rawValue) report \(url.path): \((error as NSError).localizedDescription)")
            }
        }
        for outcome in ran { Console.output(summaryLine(outcome)) }
        let skipped = jobs.count - ran.count
        if skipped > 0 { Console.output(style.dim("\(skipped) more \(skipped == 1 ? "script" : "scripts") not run (stopped at the first failure; --keep-going runs all)")) }
        let passed = ran.reduce(0) { $0 + $1.passedExpectations }
        let failed = ran.reduce(0) { $0 + $1.failedExpectations + $1.failures.filter { !$0.isExpectation }.count }
        Console.output("\(passed) passed, \(failed) failed")
        if cassetteProblem { return 2 }
        return ran.allSatisfy(\.succeeded) && skipped == 0 ? 0 : 1
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
    private func run(_ job: Job, output: any ShellOutput) async -> (ScriptOutcome, Bool) {
        let replayOnly = job.cassette.map { cassette in
            mode == .replay || (mode == .once && FileManager.default.fileExists(atPath: cassette.path))
        } ?? false
        do {
            return try await withLiveTransport(configuration: connection.transportConfiguration) { liveTransport in
                let live = connection.network(liveTransport)
                if replayOnly {
                    return await runSession(job, baseURL: nil, live: live, output: output)
                }
                switch target {
                case .server(let url):
                    return await runSession(job, baseURL: url, live: live, output: output)
                case .sandbox(let port, let lifetime):
                    let configuration = SandboxServer.Configuration(port: port, tokenLifetime: .seconds(lifetime))
                    return try await withSandbox(configuration) { sandbox in
                        await runSession(job, baseURL: sandbox.baseURL, live: live, output: output)
                    }
                }
            }
        } catch {
            var outcome = ScriptOutcome(file: job.script.file)
            report("\(job.script.file): \(error)", in: &outcome, output: output)
            return (outcome, false)
        }
    }

    /// A failure outside the script's lines (starting a sandbox, opening or closing a cassette).
    private func report(_ message: String, in outcome: inout ScriptOutcome, output: any ShellOutput) {
        output.write(style.error("error: ") + Terminal.safe(message) + "\n")
        outcome.failures.append(.init(location: nil, message: message, isExpectation: false))
    }

    /// With no `baseURL` (a replay), the session talks to the server the cassette was recorded
    /// against, so that a replay shows the same URLs.
    private func runSession(_ job: Job, baseURL: URL?, live: any HTTPTransport, output: any ShellOutput) async -> (ScriptOutcome, Bool) {
        let session = NexudusSession(baseURL: baseURL ?? URL(string: "http://localhost")!, live: live, allowsPlainHTTP: connection.allowHTTP)
        let context = ShellContext(
            commands: NexudusCommands.table(session: session), variables: Variables(variables), output: output, style: style
        )
        if let file = job.cassette {
            do {
                let active = try session.insertCassette(file: file, mode: mode, options: cassetteOptions)
                context.isReplaying = active.transport.mode == .replay
                if baseURL == nil, let recorded = active.transport.firstRequestURL.flatMap(Self.origin(of:)) {
                    session.changeServer(to: recorded)
                }
            } catch {
                var outcome = ScriptOutcome(file: job.script.file)
                report("\(error)", in: &outcome, output: output)
                return (outcome, true)
            }
        }
        var outcome = await ScriptRunner.run(job.script, in: context, keepGoing: keepGoing)
        do {
            if let summary = try session.ejectCassette(), !summary.unused.isEmpty {
                output.write(Terminal.safe("note: \(summary.unused.count) \(summary.unused.count == 1 ? "entry" : "entries") of \(summary.file) never requested: \(summary.unusedList)") + "\n")
            }
        } catch {
            report("\(error)", in: &outcome, output: output)
        }
        return (outcome, false)
    }

    /// `scheme://host:port` of a URL.
    static func origin(of url: URL) -> URL? {
        guard let scheme = url.scheme, let host = url.host else { return nil }
        return URL(string: "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")")
    }
}

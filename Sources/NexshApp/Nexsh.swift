import ArgumentParser
import Foundation
import HTTPCassette
import ShellCore

/// The `nexsh` command line: argument parsing and wiring only. The binary runs it with
/// ``NexshProgram/main()``; tests run a command line in-process with ``NexshProgram/run(_:in:)``.
struct Nexsh: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nexsh",
        abstract: "A shell for the Nexudus customer-portal API that records and replays every HTTP exchange.",
        discussion: """
            With no subcommand, nexsh is the interactive shell (`nexsh shell`) on the built-in \
            sandbox (or on --server / $NEXSH_SERVER). Commands piped in run like a script: \
            nexsh < script.nexsh.
            """,
        version: NexshVersion.current,
        subcommands: [ShellSubcommand.self, RunCommand.self, BundleCommand.self, SandboxCommand.self, CassetteCommand.self],
        // The shell's options live on a subcommand of their own: options of the root would also
        // capture the same-named options of `run` (`nexsh run s.nexsh --server URL`).
        defaultSubcommand: ShellSubcommand.self
    )

    /// Runs one command line (without the program's name) as the binary does in `environment`,
    /// and returns its exit status. As ArgumentParser's `main`, except that a command line it
    /// cannot parse, or options that do not go together, exit with status 3 (2 is for scripts
    /// and files nexsh cannot read).
    static func run(_ arguments: [String], in environment: AppEnvironment) async -> Int32 {
        await AppEnvironment.$current.withValue(environment) {
            await TypedPath.$workingDirectory.withValue(environment.workingDirectory) {
                await TypedPath.$environment.withValue(environment.variables) {
                    await execute(arguments)
                }
            }
        }
    }

    private static func execute(_ arguments: [String]) async -> Int32 {
        let standardError = AppEnvironment.current.standardError
        if let mistake = UnknownSubcommand.find(in: arguments, root: Nexsh.self) {
            standardError.write(mistake + "\n")
            return 3
        }
        if let configuration = QuickParse.optionFreeRun(arguments) {
            return await reporting { try await RunCommand.run(configuration) }
        }
        var command: any ParsableCommand
        do {
            command = try QuickParse.run(arguments) ?? parseAsRoot(arguments)
        } catch {
            if exitCode(for: error) == .validationFailure {
                standardError.write(fullMessage(for: error, columns: AppEnvironment.current.helpColumns) + "\n")
                return 3
            }
            return report(error)
        }
        return await reporting {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        }
    }

    /// Runs a parsed command line's `body` and returns its exit status, or reports what it threw.
    private static func reporting(_ body: () async throws -> Int32) async -> Int32 {
        do {
            return try await body()
        } catch let error as ValidationError {
            // Found once the run began (a server from $NEXSH_SERVER, say): no usage to repeat.
            AppEnvironment.current.standardError.write("nexsh: \(error)\n")
            return 3
        } catch {
            return report(error)
        }
    }

    /// What ArgumentParser's `exit(withError:)` prints for `error` (help and the version on
    /// standard output, the rest on standard error, byte for byte), and the status it exits with.
    private static func report(_ error: any Error) -> Int32 {
        let message = fullMessage(for: error, columns: AppEnvironment.current.helpColumns)
        let status = exitCode(for: error)
        if !message.isEmpty {
            let stream = status == .success ? AppEnvironment.current.standardOutput : AppEnvironment.current.standardError
            stream.writeControl(message + "\n")
        }
        return status.rawValue
    }
}

/// The app's two ways in: the binary's, and a test's.
public enum NexshProgram {
    /// The process's command line, run in the process's environment.
    public static func main() async -> Never {
        Foundation.exit(await Nexsh.run(Array(CommandLine.arguments.dropFirst()), in: .process))
    }

    /// `nexsh <arguments>` in-process, in `environment`; returns the exit status.
    public static func run(_ arguments: [String], in environment: AppEnvironment) async -> Int32 {
        await Nexsh.run(arguments, in: environment)
    }
}

/// The interactive shell, or a script piped in.
struct ShellSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "The interactive shell (the default). Commands piped in run like `nexsh run -`."
    )

    @Option(help: "The Nexudus portal to talk to: a URL, or a space name (coolspace: https://coolspace.spaces.nexudus.com). Default: $NEXSH_SERVER, else the built-in sandbox.")
    var server: String?

    @Option(help: ArgumentHelp("Record the session into this HAR cassette.", valueName: "file"))
    var record: String?

    @Option(help: ArgumentHelp("Answer every request from this HAR cassette.", valueName: "file"))
    var replay: String?

    @Option(name: .customLong("record-mode"), help: ArgumentHelp("With --record: record (default), once or new.", valueName: "mode"))
    var mode: String?

    @Option(
        name: .customShort("c"),
        help: ArgumentHelp(
            "Run these commands (one line of the language, several with ; or newlines) and exit with their status: 0, 1 for a failed request or expectation, 2 for text that does not read, 3 for a command used wrongly. The answer goes to standard output, errors and notes to standard error. A session saved for the server (login --save) is resumed.",
            valueName: "commands"
        )
    )
    var commands: String?

    @OptionGroup(title: "Connection")
    var connection: ConnectionOptions

    func validate() throws {
        if record != nil, replay != nil { throw ValidationError("give --record or --replay, not both") }
        if let mode, !["record", "once", "new"].contains(mode) { throw ValidationError("--record-mode must be record, once or new") }
        if mode != nil, record == nil { throw ValidationError("--record-mode goes with --record") }
        _ = try server.map { try RunConfiguration.server($0) }
    }

    /// `--record-mode`, checked by `validate()`.
    private var recordMode: RecordMode {
        mode.flatMap(RecordMode.init(rawValue:)) ?? .record
    }

    func run() async throws {
        if let commands {
            throw ExitCode(try await runOneShot(commands))
        }
        // Commands piped in run like a script: `nexsh < Scripts/x.nexsh` is `nexsh run -`.
        if !AppEnvironment.current.inputIsTerminal {
            var configuration = RunConfiguration(scripts: ["-"], connection: connection.settings)
            configuration.server = try server.map { try RunConfiguration.server($0) }
            configuration.cassette = replay ?? record
            if record != nil { configuration.mode = recordMode }
            configuration.origin = .shellCommandLine
            configuration.connection.warnIfInsecure()
            let plan = try ScriptPlan(configuration)
            throw ExitCode(await plan.execute())
        }
        var options = InteractiveShell.Options(connection: connection.settings)
        options.server = try server.map { try RunConfiguration.server($0) } ?? RunConfiguration.environmentServer(AppEnvironment.current.variables)
        try options.connection.check(server: options.server)
        options.connection.warnIfInsecure()
        if let record { options.cassette = (TypedPath.fileURL(record), recordMode) }
        if let replay { options.cassette = (TypedPath.fileURL(replay), .replay) }
        throw ExitCode(await InteractiveShell(options: options).run())
    }
}

extension ShellSubcommand {
    /// `nexsh -c 'profiles --json'`: the text run as a script with no summary, on the server
    /// named (or the built-in sandbox), from the cassette given; the session saved for that
    /// server is resumed, as the interactive shell resumes it (`login --save` or
    /// NEXSH_SESSION=1 keeps one).
    func runOneShot(_ text: String) async throws -> Int32 {
        var configuration = RunConfiguration(scripts: [], connection: connection.settings)
        configuration.oneShotText = text
        configuration.server = try server.map { try RunConfiguration.server($0) }
        configuration.cassette = replay ?? record
        if record != nil { configuration.mode = recordMode }
        configuration.origin = .oneShot
        configuration.summary = .none
        // As the interactive shell: a server's saved session carries on; a replay needs none.
        configuration.usesSavedSession = configuration.cassette == nil
        configuration.connection.warnIfInsecure()
        return try await ScriptPlan(configuration).execute()
    }
}

/// A word where a subcommand goes that is none: `nexsh cassete inspect x` would otherwise reach
/// the interactive shell (the default subcommand) and be refused with its usage.
enum UnknownSubcommand {
    /// The error for the first such word, with the nearest subcommand and its usage; nil when the
    /// line names subcommands correctly (or stops naming them).
    static func find(in arguments: [String], root: any ParsableCommand.Type) -> String? {
        var command = root
        var path = [root.configuration.commandName ?? "nexsh"]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            // `help` is ArgumentParser's own: `nexsh help cassette`.
            guard !subcommands.isEmpty, !word.hasPrefix("-"), word != "help" else { return nil }
            let names = subcommands.compactMap { $0.configuration.commandName }
            guard let index = names.firstIndex(of: word) else {
                let nearest = Suggestions.nearest(to: word, in: names)
                let usage = nearest.flatMap { name in subcommands.first { $0.configuration.commandName == name } } ?? command
                return "Error: unknown command '\(Terminal.safe(word))'" + (nearest.map { " — did you mean '\($0)'?" } ?? "")
                    + " (\(path.joined(separator: " ")) knows \(names.joined(separator: ", ")))\n"
                    + "Usage: " + root.usageString(for: usage).replacingOccurrences(of: "\n", with: "\n  ")
                    + "\n  See '" + (path + (nearest.map { [$0] } ?? [])).joined(separator: " ") + " --help' for more information."
            }
            command = subcommands[index]
            path.append(names[index])
        }
        return nil
    }
}

/// `nexsh run …`, the invocation CI makes thousands of times, parsed as `run`'s own command line:
/// parsed from the root, ArgumentParser first reflects the root of the command tree too, about
/// half a millisecond of every start (a run of an empty script: 7.5 ms, 7.0 ms this way).
/// Anything but a plain, valid `run` line (help, completions, an error to report) goes the whole
/// way, so that what is printed is ArgumentParser's own.
enum QuickParse {
    /// `nexsh run SCRIPT…` with no option at all: the run every default describes, made without
    /// ArgumentParser, whose first parse of a process costs about 2 ms (a one-shot `get` against
    /// the sandbox took 10.4 ms, 8.4 ms this way). A test compares it with what the parse gives
    /// for the same words.
    static func optionFreeRun(_ arguments: [String]) -> RunConfiguration? {
        guard arguments.first == RunCommand.configuration.commandName, arguments.count > 1 else { return nil }
        let scripts = Array(arguments.dropFirst())
        // A word that could be an option or a request for help (`-`, standard input, too) is
        // ArgumentParser's to read.
        guard scripts.allSatisfy({ !$0.hasPrefix("-") && $0 != "help" && !$0.isEmpty }) else { return nil }
        return RunConfiguration(scripts: scripts, connection: ConnectionSettings())
    }

    static func run(_ arguments: [String]) -> RunCommand? {
        guard arguments.first == RunCommand.configuration.commandName else { return nil }
        let rest = Array(arguments.dropFirst())
        let builtIn = ["-h", "--help", "-help", "help", "--version"]
        guard !rest.contains(where: { builtIn.contains($0) || $0.hasPrefix("--generate-completion") || $0.hasPrefix("--experimental") })
        else { return nil }
        return try? RunCommand.parse(rest)
    }
}

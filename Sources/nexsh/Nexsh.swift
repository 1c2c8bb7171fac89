import ArgumentParser
import Foundation

/// The `nexsh` command line: argument parsing and wiring only.
@main
struct Nexsh: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nexsh",
        abstract: "A shell for the Nexudus customer-portal API that records and replays every HTTP exchange.",
        discussion: """
            Explore the API, record sessions to HAR cassettes, and replay scripts offline.
            Try the built-in simulator first:

              nexsh sandbox --port 8080

            then sign in with jane.doe@example.com / correct-horse.
            """,
        version: NexshVersion.current,
        subcommands: [RunCommand.self, SandboxCommand.self, CassetteCommand.self]
    )

    func run() async throws {
        // Commands piped in run like a script: `nexsh < Scripts/x.nexsh` is `nexsh run`.
        if isatty(STDIN_FILENO) == 0 {
            let command = try RunCommand.parse(["-"])
            try await command.run()
            return
        }
        // The interactive shell is the default command once it lands; until then, say what there is.
        print(Self.helpMessage())
    }

    /// As ArgumentParser's, except that a command line it cannot parse exits with status 3
    /// (2 is for scripts and files nexsh cannot read).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(3)
            }
            exit(withError: error)
        }
    }
}

enum NexshVersion {
    static let current = "0.1.0"
}

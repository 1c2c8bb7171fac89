import Foundation
import NexshAppTesting
import NexshTesting
import Sandbox
import Testing

/// `login --save`: the tokens kept between runs in a private file, resumed by the next shell on
/// that server (refreshed, and written back, when they must be), used by `nexsh run` only with
/// `--session`, removed by `logout`, and never in a file a recording writes. Every run talks to
/// one sandbox on loopback that outlives them, as a real server does.
@Suite struct SavedSessionTests {
    static let jane = SandboxAccounts.jane

    /// What a saved-sessions file holds, read the way a test may (the test owns the file).
    struct Saved: Decodable {
        struct Entry: Decodable {
            var server: String
            var email: String
            var accessToken: String
            var refreshToken: String?
        }
        var version: Int
        var sessions: [Entry]
    }

    static func saved(_ file: URL) throws -> Saved {
        try JSONDecoder().decode(Saved.self, from: Data(contentsOf: file))
    }

    static func mode(_ path: String) -> Int {
        var info = stat()
        return lstat(path, &info) == 0 ? Int(info.st_mode & 0o7777) : -1
    }

    /// `nexsh run - --server URL` in-process with `script` as standard input and its state in
    /// `state` (`$XDG_STATE_HOME`).
    /// The summary on standard output, as before issue 18: standard error then holds only the
    /// warnings these tests check.
    static func run(_ script: String, server: URL, state: URL, _ extra: [String] = [], environment: [String: String] = [:]) async throws -> ProcessResult {
        try await InProcessNexsh.run(
            ["run", "-", "--server", server.absoluteString, "--summary", "stdout"] + extra,
            environment: ["XDG_STATE_HOME": state.path, "HOME": state.path].merging(environment) { $1 }, currentDirectory: state,
            standardInput: Data(script.utf8), unsetting: ["NEXSH_SERVER", "NEXSH_SESSION"].filter { environment[$0] == nil }
        )
    }

    static let saveLogin = "login \(jane.email) --password \(jane.password) --save\n"

    @Test func aSavedSessionIsUsedByRunOnlyWithSessionAndRefreshedWhenItMustBe() async throws {
        try await withTemporaryDirectory { state in
            try await withSandbox { sandbox in
                let file = state.appendingPathComponent("nexsh/sessions.json")
                let login = try await Self.run(Self.saveLogin, server: sandbox.baseURL, state: state, ["--session"])
                #expect(login.status == 0, "\(login.standardOutput)\(login.standardError)")
                #expect(login.standardOutput.contains("saved the session in \(file.path) (logout removes it)"))
                #expect(Self.mode(file.path) == 0o600)
                #expect(Self.mode(file.deletingLastPathComponent().path) == 0o700)
                let first = try Self.saved(file)
                #expect(first.version == 1)
                #expect(first.sessions.map(\.email) == [Self.jane.email])
                #expect(first.sessions.first?.server == sandbox.baseURL.absoluteString)

                // Without --session a run is on its own: not signed in.
                let hermetic = try await Self.run("profiles\n", server: sandbox.baseURL, state: state)
                #expect(hermetic.status == 1)
                #expect(!hermetic.standardOutput.contains("resumed"))

                // With it, the saved session; its access token has run out, so it is refreshed,
                // and the new pair replaces the saved one at once (the old refresh token is dead).
                await sandbox.state.expireAccessTokens()
                let resumed = try await Self.run("profiles\nexpect status 200\n", server: sandbox.baseURL, state: state, ["--session"])
                #expect(resumed.status == 0, "\(resumed.standardOutput)\(resumed.standardError)")
                #expect(resumed.standardOutput.contains("note: resumed the saved session of \(Self.jane.email)"))
                let second = try Self.saved(file)
                #expect(second.sessions.count == 1)
                #expect(second.sessions.first?.refreshToken != first.sessions.first?.refreshToken)
                #expect(second.sessions.first?.accessToken != first.sessions.first?.accessToken)
                #expect(Self.mode(file.path) == 0o600)

                // The rotated pair works in the next run, and its refresh token too.
                await sandbox.state.expireAccessTokens()
                let again = try await Self.run("profiles\nexpect status 200\n", server: sandbox.baseURL, state: state, ["--session"])
                #expect(again.status == 0, "\(again.standardOutput)\(again.standardError)")

                // logout removes it.
                let logout = try await Self.run("logout\n", server: sandbox.baseURL, state: state, ["--session"])
                #expect(logout.standardOutput.contains("signed out\nremoved the saved session from \(file.path)"))
                #expect(!FileManager.default.fileExists(atPath: file.path))
            }
        }
    }

    /// `NEXSH_SESSION=1` saves every sign-in; without `--session`, `login --save` in a script says
    /// why nothing was kept, and nothing is written.
    @Test func nexshSessionSavesEverySignInAndRunWithoutSessionSavesNothing() async throws {
        try await withTemporaryDirectory { state in
            try await withSandbox { sandbox in
                let file = state.appendingPathComponent("nexsh/sessions.json")
                let refused = try await Self.run(Self.saveLogin, server: sandbox.baseURL, state: state)
                #expect(refused.standardOutput.contains("note: the session is not saved: nexsh run keeps a session only with --session"))
                #expect(!FileManager.default.fileExists(atPath: state.appendingPathComponent("nexsh").path))

                let implicit = try await Self.run(
                    "login \(Self.jane.email) --password \(Self.jane.password)\n", server: sandbox.baseURL, state: state, ["--session"],
                    environment: ["NEXSH_SESSION": "1"]
                )
                #expect(implicit.standardOutput.contains("saved the session in \(file.path)"))
                #expect(try Self.saved(file).sessions.map(\.email) == [Self.jane.email])
            }
        }
    }

    /// The resumed tokens are the session's secrets: the cassette, and the reports of a run that
    /// used them, hold none of them (checked by the independent oracle, in every spelling).
    @Test func theSavedTokensReachNoFileARecordingWrites() async throws {
        try await withTemporaryDirectory { state in
            try await withSandbox { sandbox in
                let file = state.appendingPathComponent("nexsh/sessions.json")
                _ = try await Self.run(Self.saveLogin, server: sandbox.baseURL, state: state, ["--session"])
                await sandbox.state.expireAccessTokens()
                let out = state.appendingPathComponent("out")
                try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
                let recorded = try await Self.run(
                    "profiles\nexpect status 200\n", server: sandbox.baseURL, state: state,
                    ["--session", "--cassette", "out/c.har", "--mode", "record", "--report", "html:out/r.html", "--report", "junit:out/r.xml", "--report", "tap:out/r.tap"]
                )
                #expect(recorded.status == 0, "\(recorded.standardOutput)\(recorded.standardError)")
                let tokens = try Self.saved(file).sessions.flatMap { [$0.accessToken, $0.refreshToken].compactMap { $0 } }
                #expect(tokens.count == 2)
                #expect(FileTree.regularFiles(under: out).count == 4)
                #expect(SecretOracle.leaks(of: tokens, inFilesUnder: out) == [])
            }
        }
    }

    /// A link planted where the file goes, a folder open to others, or a file that is not JSON:
    /// a one-line warning each, nothing written through the link, and the run goes on.
    @Test func aPlantedLinkALooseFolderAndACorruptFileAreWarnings() async throws {
        try await withTemporaryDirectory { state in
            try await withSandbox { sandbox in
                let folder = state.appendingPathComponent("nexsh")
                let file = folder.appendingPathComponent("sessions.json")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                let target = state.appendingPathComponent("precious")
                try Data("kept\n".utf8).write(to: target)
                try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: target.path)

                let linked = try await Self.run(Self.saveLogin, server: sandbox.baseURL, state: state, ["--session"])
                #expect(linked.status == 0)
                #expect(linked.standardOutput.contains(
                    "warning: the session was not saved: the saved sessions in \(file.path) cannot be used: it is a symbolic link; nexsh does not open this file through a link"
                ))
                #expect(linked.standardError.split(separator: "\n").filter { $0.contains("symbolic link") }.count == 1)
                #expect(try String(contentsOf: target, encoding: .utf8) == "kept\n")

                try FileManager.default.removeItem(at: file)
                try Data("{not json".utf8).write(to: file)
                chmod(file.path, 0o600)
                let corrupt = try await Self.run("echo still running\n", server: sandbox.baseURL, state: state, ["--session"])
                #expect(corrupt.status == 0)
                #expect(corrupt.standardOutput.contains("still running"))
                #expect(corrupt.standardError == "warning: the saved sessions in \(file.path) cannot be used: it is not a saved-sessions file nexsh can read\n")

                chmod(folder.path, 0o755)
                let loose = try await Self.run("echo still running\n", server: sandbox.baseURL, state: state, ["--session"])
                #expect(loose.status == 0)
                #expect(loose.standardError.contains("the folder \(folder.path) is not private: others may use it (mode 755)"))
                #expect(loose.standardError.split(separator: "\n").count == 1)
            }
        }
    }

    /// Two shells, one after the other, as a person runs them: the first signs in with --save,
    /// the second starts signed in, says so, renews the expired token, and logs out.
    @Test func theNextShellOnTheServerResumesTheSession() async throws {
        try await withTemporaryDirectory { home in
            try await withSandbox { sandbox in
                let file = home.appendingPathComponent(".local/state/nexsh/sessions.json")
                let first = try await Self.shell(home: home, server: sandbox.baseURL)
                defer { first.stop() }
                try await first.waitFor("help lists the commands")
                try await Self.prompt(first, "nexsh> ")
                first.type("login \(Self.jane.email) --save\r")
                try await first.waitFor("password: ")
                try await first.waitForMode(raw: false, echo: false)
                first.type("\(Self.jane.password)\r")
                try await first.waitFor("saved the session in \(file.path)")
                try await Self.prompt(first, "Jane Doe (101)> ")
                first.type("exit\r")
                #expect(try await first.waitForExit() == 0)
                #expect(Self.mode(file.path) == 0o600)
                #expect(Self.mode(file.deletingLastPathComponent().path) == 0o700)
                let saved = try Self.saved(file).sessions.first

                await sandbox.state.expireAccessTokens()
                let second = try await Self.shell(home: home, server: sandbox.baseURL)
                defer { second.stop() }
                try await second.waitFor("; resumed the saved session of \(Self.jane.email); help lists the commands")
                try await Self.prompt(second, "\(Self.jane.email)> ")
                second.type("profiles\r")
                try await second.waitFor("Jane Doe")
                try await Self.prompt(second)
                #expect(try Self.saved(file).sessions.first?.refreshToken != saved?.refreshToken)
                let renewed = try Self.saved(file).sessions.flatMap { [$0.accessToken, $0.refreshToken].compactMap { $0 } }
                // A bug report made in the resumed session holds its exchanges, not its tokens.
                let bundle = home.appendingPathComponent("report.har")
                second.type("bundle \(bundle.path)\r")
                try await second.waitFor("wrote \(bundle.path)")
                try await Self.prompt(second)
                second.type("logout\r")
                try await second.waitFor("removed the saved session from \(file.path)")
                try await Self.prompt(second, "nexsh> ")
                second.type("exit\r")
                #expect(try await second.waitForExit() == 0)
                #expect(!FileManager.default.fileExists(atPath: file.path))
                let tokens = renewed + [saved?.accessToken, saved?.refreshToken].compactMap { $0 }
                #expect(SecretOracle.leaks(of: tokens, in: try Data(contentsOf: home.appendingPathComponent(".nexsh_history"))) == [])
                #expect(SecretOracle.leaks(of: tokens, in: try Data(contentsOf: bundle)) == [])
            }
        }
    }

    static func shell(home: URL, server: URL) async throws -> PseudoTerminal {
        let environment = [
            "HOME": home.path, "TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "NO_COLOR": "1",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
        return try PseudoTerminal(BuildProducts.nexsh, ["--server", server.absoluteString], environment: environment, currentDirectory: home)
    }

    static func prompt(_ terminal: PseudoTerminal, _ text: String = "> ") async throws {
        try await terminal.waitFor(text)
        try await terminal.waitForMode(raw: true)
    }
}

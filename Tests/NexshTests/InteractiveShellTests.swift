import Foundation
import NexshAppTesting
import NexshTesting
import Testing

/// The interactive shell in a real pseudo-terminal: what a person types, what they see. (The
/// runs that prepare or check a session's files need no terminal: they run in-process.)
@Suite struct InteractiveShellTests {
    /// Starts `nexsh` on a terminal, with its home (history, ~/.editrc) in `home`.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func start(home: URL, extraEnvironment: [String: String] = [:], currentDirectory: URL? = nil) async throws -> PseudoTerminal {
        var environment = [
            "HOME": home.path, "TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
        environment.merge(extraEnvironment) { $1 }
        let terminal = try PseudoTerminal(BuildProducts.nexsh, [], environment: environment, currentDirectory: currentDirectory)
        try await terminal.waitFor("help lists the commands")
        try await terminal.waitFor("nexsh> ")
        try await terminal.waitForMode(raw: true)
        return terminal
    }

    /// Types a line, waits for what it shows, then for the next prompt.
    func step(_ terminal: PseudoTerminal, _ line: String, until text: String, prompt next: String = "> ") async throws {
        terminal.type(line + "\r")
        try await terminal.waitFor(text)
        try await prompt(terminal, next)
    }

    /// Waits for the prompt to be drawn and the editor to be reading.
    func prompt(_ terminal: PseudoTerminal, _ text: String = "> ") async throws {
        try await terminal.waitFor(text)
        try await terminal.waitForMode(raw: true)
    }

    func signIn(_ terminal: PseudoTerminal) async throws {
        terminal.type("login jane.doe@example.com\r")
        try await terminal.waitFor("password: ")
        try await terminal.waitForMode(raw: false, echo: false)
        terminal.type("correct-horse\r")
        try await terminal.waitFor("signed in as")
        try await prompt(terminal, "Jane Doe (101)")
    }

    @Test func signInSwitchAndCompleteProfileIds() async throws {
        try await withTemporaryDirectory { home in
            let terminal = try await start(home: home)
            defer { terminal.stop() }
            try await signIn(terminal)
            // Once, in the banner: the password typed at the prompt is not echoed.
            #expect(terminal.transcript.components(separatedBy: "correct-horse").count == 2)

            terminal.type("sw\t")
            try await terminal.waitFor("itch ")
            terminal.type("1\t")
            try await terminal.waitFor("0")
            terminal.type("\t")
            try await terminal.waitFor("101  Jane Doe (individual)")
            try await terminal.waitFor("102  Acme Design Co. (company)")
            try await terminal.waitForMode(raw: true)
            terminal.type("2\r")
            try await terminal.waitFor("switched to 102 Acme Design Co. (company)")
            try await prompt(terminal, "Acme Design Co. (102)")

            terminal.type("\u{04}")
            #expect(try await terminal.waitForExit() == 0)
        }
    }

    /// Tab on file names: in the current folder (where a name has no `/`), in a sub-folder,
    /// after `~/`, with a space in the name (escaped, or inside the quote the word opened), and
    /// with no match. Each completed line runs, so the words completion wrote read as the names
    /// they stand for; and the shell is still there after each.
    @Test func tabCompletesFileNamesAndTheShellStaysAlive() async throws {
        try await withTemporaryDirectory { home in
            let work = home.appendingPathComponent("work")
            try FileManager.default.createDirectory(at: work.appendingPathComponent("sub"), withIntermediateDirectories: true)
            let recording = try Data(contentsOf: Self.repository.appendingPathComponent("Cassettes/signin-and-profiles.har"))
            for path in ["work/recording.har", "work/sub/inner.har", "work/my file.har", "saved.har"] {
                try recording.write(to: home.appendingPathComponent(path))
            }
            try Data("echo from example\n".utf8).write(to: work.appendingPathComponent("example.nexsh"))
            let terminal = try await start(home: home, currentDirectory: work)
            defer { terminal.stop() }

            // The screen shows a completion as cursor movements and redrawn text: what counts
            // is what the completed line does. (Keys wait in the terminal while Tab works.)
            let replaying = "(3 entries)"
            try await step(terminal, "replay r\t", until: "replaying \(work.path)/recording.har \(replaying)", prompt: "[replay] nexsh> ")

            try await step(terminal, "source e\t", until: "\nfrom example", prompt: "[replay] nexsh> ")

            try await step(terminal, "replay su\t\t", until: "replaying \(work.path)/sub/inner.har \(replaying)", prompt: "[replay] nexsh> ")

            try await step(terminal, "replay ~/sa\t", until: "replaying \(home.path)/saved.har \(replaying)", prompt: "[replay] nexsh> ")

            try await step(terminal, "replay my\t", until: "replaying \(work.path)/my file.har \(replaying)", prompt: "[replay] nexsh> ")

            try await step(terminal, "replay 'my\t", until: "replaying \(work.path)/my file.har \(replaying)", prompt: "[replay] nexsh> ")
            terminal.type("history\r")
            try await terminal.waitFor(#"replay my\ file.har"#)
            try await terminal.waitFor("replay 'my file.har'")
            try await prompt(terminal, "[replay] nexsh> ")

            // Several candidates are listed, and the line stays as typed.
            terminal.type("source \t")
            try await terminal.waitFor("\nexample.nexsh")
            try await terminal.waitFor("\nsub/")
            try await terminal.waitForMode(raw: true)
            terminal.type("\u{03}")
            try await prompt(terminal, "[replay] nexsh> ")

            // No match: nothing is added, and the line runs as typed.
            try await step(terminal, "replay zz\t", until: "error: cassette \(work.path)/zz does not exist", prompt: "nexsh> ")

            try await step(terminal, "echo still here", until: "\nstill here", prompt: "nexsh> ")
            terminal.type("exit\r")
            #expect(try await terminal.waitForExit() == 0)
        }
    }

    /// Ctrl-C or Ctrl-D at `email:` or `password:` cancels the sign-in and says so, on a line
    /// of its own; nothing is sent, and the next sign-in asks again.
    @Test func ctrlCOrCtrlDAtASignInQuestionCancelsIt() async throws {
        try await withTemporaryDirectory { home in
            let terminal = try await start(home: home, extraEnvironment: ["NO_COLOR": "1"])
            defer { terminal.stop() }
            for key in ["\u{03}", "\u{04}"] {
                terminal.type("login jane.doe@example.com\r")
                try await terminal.waitFor("password: ")
                try await terminal.waitForMode(raw: false, echo: false)
                terminal.type(key)
                try await terminal.waitFor("\nerror: login: cancelled\r\n")
                try await prompt(terminal, "nexsh> ")

                terminal.type("login\r")
                try await terminal.waitFor("email: ")
                try await terminal.waitForMode(raw: false, echo: true)
                terminal.type(key)
                try await terminal.waitFor("\nerror: login: cancelled\r\n")
                try await prompt(terminal, "nexsh> ")
            }
            #expect(!terminal.transcript.contains("no password"))
            #expect(!terminal.transcript.contains("missing <email>"))

            terminal.type("login\r")
            try await terminal.waitFor("email: ")
            try await terminal.waitForMode(raw: false, echo: true)
            terminal.type("jane.doe@example.com\r")
            try await terminal.waitFor("password: ")
            try await terminal.waitForMode(raw: false, echo: false)
            terminal.type("correct-horse\r")
            try await terminal.waitFor("signed in as Jane Doe")
            try await prompt(terminal, "Jane Doe (101)> ")
            terminal.type("exit\r")
            #expect(try await terminal.waitForExit() == 0)
        }
    }

    @Test func historyIsRecalledKeptPrivateAndWithoutPasswords() async throws {
        try await withTemporaryDirectory { home in
            let terminal = try await start(home: home)
            defer { terminal.stop() }
            try await step(terminal, "echo héllo ✓", until: "héllo ✓", prompt: "nexsh> ")
            try await step(terminal, "login jane.doe@example.com --password correct-horse", until: "signed in as")

            terminal.type("\u{1B}[A\u{1B}[A")
            try await terminal.waitFor("echo héllo ✓")
            terminal.type("\u{03}")
            try await terminal.waitFor("^C")
            try await prompt(terminal)
            terminal.type("history\r")
            try await terminal.waitFor("1  echo héllo ✓")
            try await terminal.waitFor("2  login jane.doe@example.com")
            try await prompt(terminal)

            terminal.type("\u{04}")
            #expect(try await terminal.waitForExit() == 0)
            let file = home.appendingPathComponent(".nexsh_history")
            let permissions = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber
            #expect(permissions?.intValue == 0o600)
            let saved = try String(contentsOf: file, encoding: .utf8)
            #expect(saved.contains("login\\040jane.doe@example.com\n"))
            #expect(!saved.contains("correct-horse"))
            #expect(saved.contains("history"))
        }
    }

    @Test func ctrlCCancelsTheRequestNotTheShell() async throws {
        try await withTemporaryDirectory { home in
            let terminal = try await start(home: home)
            defer { terminal.stop() }
            // The latency is far longer than the test may wait, so that a loaded machine cannot
            // finish the request before Ctrl-C arrives; the sandbox dies with the shell.
            terminal.type("get /api/public/coworkers/profiles --header 'X-Sandbox-Fault: latency=120s'\r")
            try await terminal.waitForMode(raw: false)
            terminal.type("\u{03}")
            try await terminal.waitFor("error: cancelled")
            try await prompt(terminal, "nexsh> ")
            try await step(terminal, "echo still here", until: "still here")
            terminal.type("exit 4\r")
            #expect(try await terminal.waitForExit() == 4)
        }
    }

    @Test func errorsAreOneLineAndTheShellGoesOn() async throws {
        try await withTemporaryDirectory { home in
            let terminal = try await start(home: home, extraEnvironment: ["NO_COLOR": "1"])
            defer { terminal.stop() }
            try await step(terminal, "profils", until: "error: unknown command 'profils' — did you mean 'profile'?", prompt: "nexsh> ")
            try await step(terminal, "profiles", until: "error: not signed in: GET /api/public/coworkers/profiles needs a bearer token (401); sign in first", prompt: "nexsh> ")
            // Faults from the server are errors too, and the shell goes on after each.
            try await step(terminal, "get /api/public/coworkers/profiles --header 'X-Sandbox-Fault: status=503'", until: "→ 503 Service Unavailable: Fault injected by the sandbox: 503 Service Unavailable", prompt: "nexsh> ")
            try await step(terminal, "get /api/public/coworkers/profiles --header 'X-Sandbox-Fault: drop'", until: "the server closed the connection before answering completely", prompt: "nexsh> ")
            #expect(!terminal.transcript.contains("\u{1B}[31m"), "no colour with NO_COLOR")
            terminal.type("exit\r")
            #expect(try await terminal.waitForExit() == 0)
        }
    }

    @Test func whatAPersonCanBeAskedForMayBeLeftOutAndOtherMistakesAreStillFoundByReading() async throws {
        try await withTemporaryDirectory { home in
            try Data("login\n".utf8).write(to: home.appendingPathComponent("ask.nexsh"))
            try Data("sleep forever\nhelp swich\n".utf8).write(to: home.appendingPathComponent("bad.nexsh"))
            let terminal = try await start(home: home, extraEnvironment: ["NO_COLOR": "1"])
            defer { terminal.stop() }
            try await step(terminal, "bundle notes.txt", until: "error: bundle: the file must end in .har, not 'notes.txt' (usage: bundle <file>)", prompt: "nexsh> ")
            // A sourced script's mistakes are all shown, each at its place.
            terminal.type("source \(home.path)/bad.nexsh\r")
            try await terminal.waitFor("bad.nexsh:2:6: error: help: no command 'swich' — did you mean 'switch'?")
            #expect(terminal.transcript.contains("bad.nexsh:1:7: error: sleep: 'forever' is not a number of milliseconds"))
            try await prompt(terminal, "nexsh> ")
            // Sourced at the prompt, a bare login asks for the address, as when typed.
            terminal.type("source \(home.path)/ask.nexsh\r")
            try await terminal.waitFor("email: ")
            try await terminal.waitForMode(raw: false)
            terminal.type("jane.doe@example.com\r")
            try await terminal.waitFor("password: ")
            try await terminal.waitForMode(raw: false, echo: false)
            terminal.type("correct-horse\r")
            try await terminal.waitFor("signed in as Jane Doe")
            try await prompt(terminal, "Jane Doe (101)")
            terminal.type("exit\r")
            #expect(try await terminal.waitForExit() == 0)
        }
    }

    @Test func editrcIsHonoured() async throws {
        try await withTemporaryDirectory { home in
            // A key bound to a string in ~/.editrc, as `bind -v` would switch to vi keys.
            try Data("bind -s ^T \"echo from-editrc\"\n".utf8).write(to: home.appendingPathComponent(".editrc"))
            let terminal = try await start(home: home)
            defer { terminal.stop() }
            try await step(terminal, "\u{14}", until: "\nfrom-editrc", prompt: "nexsh> ")
            terminal.type("\u{04}")
            #expect(try await terminal.waitForExit() == 0)
        }
    }

    @Test func ctrlRSearchesTheHistoryAndStateHomeHoldsIt() async throws {
        try await withTemporaryDirectory { home in
            let state = home.appendingPathComponent("state")
            let terminal = try await start(home: home, extraEnvironment: ["XDG_STATE_HOME": state.path])
            defer { terminal.stop() }
            try await step(terminal, "echo alpha", until: "\nalpha", prompt: "nexsh> ")
            try await step(terminal, "echo beta", until: "\nbeta", prompt: "nexsh> ")
            // Ctrl-R, then the start of an older line: the search finds it, Return runs it.
            terminal.type("\u{12}")
            try await terminal.waitFor("bck:")
            terminal.type("alp")
            try await Task.sleep(for: .milliseconds(200))
            try await step(terminal, "", until: "\nalpha", prompt: "nexsh> ")
            terminal.type("\u{04}")
            #expect(try await terminal.waitForExit() == 0)
            let history = try String(contentsOf: state.appendingPathComponent("nexsh/history"), encoding: .utf8)
            #expect(history.hasSuffix("echo\\040alpha\necho\\040beta\necho\\040alpha\n"), "\(history)")
            #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent(".nexsh_history").path))
        }
    }

    @Test func replayingACassetteMarksThePromptAndNeedsNoPassword() async throws {
        try await withTemporaryDirectory { home in
            var environment = [
                "HOME": home.path, "TERM": "xterm", "LANG": "C.UTF-8", "NO_COLOR": "1",
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            ]
            environment["NEXSH_SERVER"] = "http://127.0.0.1:9"
            let cassette = Self.repository.appendingPathComponent("Cassettes/signin-and-profiles.har").path
            let terminal = try PseudoTerminal(BuildProducts.nexsh, ["--replay", cassette], environment: environment)
            defer { terminal.stop() }
            try await terminal.waitFor("replaying \(cassette)")
            try await prompt(terminal, "[replay] nexsh> ")
            terminal.type("login jane.doe@example.com\r")
            try await terminal.waitFor("signed in as Jane Doe")
            try await prompt(terminal, "[replay] jane.doe@example.com · Jane Doe (101)> ")
            terminal.type("\u{04}")
            try await terminal.waitFor("ejected \(cassette): 0 recorded, 2 replayed; never requested: #3 GET /api/public/coworkers/profiles")
            #expect(try await terminal.waitForExit() == 0)
        }
    }

    /// A replay session sends nothing: its banner names the cassette and the server it was
    /// recorded from, not a sandbox and its password, and whoami says the same of the server.
    @Test func aReplaySessionSaysWhatItReplaysAndWhereItWasRecorded() async throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        try await withTemporaryDirectory { home in
            let environment = PseudoTerminal.shellEnvironment(home: home)
            let cassette = repository.appendingPathComponent("Cassettes/signin-and-profiles.har").path
            let terminal = try PseudoTerminal(BuildProducts.nexsh, ["--replay", cassette], environment: environment)
            defer { terminal.stop() }
            try await terminal.waitFor(" — replaying \(cassette), recorded from http://127.0.0.1:47301 (no server is contacted); help lists the commands")
            try await prompt(terminal, "[replay] nexsh> ")
            #expect(!terminal.visible.contains("sandbox"))
            #expect(!terminal.visible.contains("correct-horse"))
            terminal.type("login jane.doe@example.com\r")
            try await prompt(terminal, "[replay] jane.doe@example.com · Jane Doe (101)> ")
            terminal.type("whoami\r")
            try await terminal.waitFor("profile:  101 Jane Doe (individual)")
            try await terminal.waitFor("server:   http://127.0.0.1:47301, as recorded (replaying: no server is contacted)")
            try await prompt(terminal, "[replay] jane.doe@example.com · Jane Doe (101)> ")
            terminal.type("\u{04}")
            #expect(try await terminal.waitForExit() == 0)
        }
    }

    /// In the shell, a replay miss is shown on lines of its own, and its hints are commands
    /// that work at the prompt; so is the hint for a plain-http server.
    @Test func aReplayMissShowsItsLinesAndHintsThatWorkAtThePrompt() async throws {
        try await withTemporaryDirectory { home in
            let environment = ["NO_COLOR": "1", "NEXSH_SERVER": "", "NEXSH_PASSWORD": "correct-horse"]
            try Data("login jane.doe@example.com --password-env NEXSH_PASSWORD\n".utf8).write(to: home.appendingPathComponent("first.nexsh"))
            let first = try await InProcessNexsh.run(
                ["run", "first.nexsh", "--cassette", "c.har", "--mode", "record"], environment: environment, currentDirectory: home
            )
            #expect(first.status == 0, "\(first.standardOutput)")
            let cassette = home.appendingPathComponent("c.har").path
            var shellEnvironment = ["HOME": home.path, "TERM": "xterm", "LANG": "C.UTF-8", "NEXSH_SERVER": "", "NO_COLOR": "1"]
            shellEnvironment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            let terminal = try PseudoTerminal(BuildProducts.nexsh, ["--replay", "c.har"], environment: shellEnvironment, currentDirectory: home)
            defer { terminal.stop() }
            try await prompt(terminal, "[replay] nexsh> ")
            try await step(terminal, "login jane.doe@example.com", until: "signed in as")

            // The terminal turns each line break into \r\n: real lines, not a written "\n".
            terminal.type("profiles\r")
            try await terminal.waitFor("error: no recorded answer for GET /api/public/coworkers/profiles in \(cassette) (mode replay, 2 entries)\r\n")
            try await terminal.waitFor(
                "  #2 matches but was already used: each recorded answer plays once, in order; replay \(cassette) --allow-repeats plays the last one again\r\n"
            )
            try await terminal.waitFor(
                "  to record it: record \(cassette) --mode new (keeps the recording, appends what is missing) or record \(cassette) (starts over)\r\n"
            )
            try await prompt(terminal)
            #expect(!terminal.transcript.contains(#"\n"#))

            // Each hint, typed as it reads, works.
            try await step(terminal, "replay \(cassette) --allow-repeats", until: "replaying \(cassette) (2 entries)")
            try await step(terminal, "login jane.doe@example.com", until: "signed in as")
            try await step(terminal, "profiles", until: "Acme Design Co.")
            try await step(terminal, "record \(cassette) --mode new", until: "recording to \(cassette) (mode new)", prompt: "[rec] ")

            try await step(terminal, "server http://10.0.0.5", until: "use https://, or start nexsh with --allow-http if you mean it\r\n")
            terminal.type("exit\r")
            #expect(try await terminal.waitForExit() == 0)
        }
    }

    /// After "the session is no longer valid … sign in again", the shell is signed out: the
    /// prompt no longer shows the user and profile, and whoami says so.
    @Test func aSessionTheServerNoLongerAcceptsLeavesThePromptSignedOut() async throws {
        let routes = [
            TestRoute("POST", "/api/token") { request in
                // The password grant succeeds; the refresh grant is refused, as for a revoked session.
                guard String(decoding: request.body, as: UTF8.self).hasPrefix("grant_type=password") else {
                    return CannedResponse(status: 400, headers: [("Content-Type", "application/json")], text: #"{"error": "invalid_grant", "error_description": "The refresh token was revoked."}"#)
                }
                return CannedResponse(headers: [("Content-Type", "application/json")], text: #"""
                    {"access_token": "access-0123456789abcdef", "token_type": "bearer", "expires_in": 604799, "refresh_token": "refresh-0123456789abcdef"}
                    """#)
            },
            TestRoute("GET", "/api/public/coworkers/profiles") { _ in
                CannedResponse(headers: [("Content-Type", "application/json")], body: Array(SeedExamples.profiles))
            },
            TestRoute("GET", "/en/team/profiles") { _ in
                CannedResponse(status: 401, headers: [("WWW-Authenticate", #"Bearer error="invalid_token""#)])
            },
        ]
        try await withTestServer(routes) { server in
            try await withTemporaryDirectory { home in
                var environment = ["HOME": home.path, "TERM": "xterm", "LANG": "C.UTF-8", "NO_COLOR": "1", "NEXSH_SERVER": ""]
                environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
                let terminal = try PseudoTerminal(BuildProducts.nexsh, ["--server", server.absoluteString], environment: environment)
                defer { terminal.stop() }
                try await prompt(terminal, "nexsh> ")
                terminal.type("login jane.doe@example.com --password correct-horse\r")
                try await terminal.waitFor("signed in as Jane Doe")
                try await prompt(terminal, "jane.doe@example.com · Jane Doe (101)> ")
                terminal.type("teams\r")
                try await terminal.waitFor(
                    "error: GET /en/team/profiles was refused (401) and the refresh token was refused (The refresh token was revoked.): the session is no longer valid, or this account has no customer profile or permission at this location; sign in again\r\n"
                )
                try await prompt(terminal, "nexsh> ")
                try await step(terminal, "whoami", until: "\nnot signed in", prompt: "nexsh> ")
                #expect(!terminal.visible.split(separator: "sign in again").last!.contains("Jane Doe (101)>"))
                terminal.type("exit\r")
                #expect(try await terminal.waitForExit() == 0)
            }
        }
    }

    @Test func manyScriptsShowProgressOnATerminalOnly() async throws {
        try await withTemporaryDirectory { home in
            for name in ["a", "b", "c"] { try Data("echo \(name)\n".utf8).write(to: home.appendingPathComponent("\(name).nexsh")) }
            let environment = ["HOME": home.path, "TERM": "xterm", "LANG": "C.UTF-8", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
            let terminal = try PseudoTerminal(BuildProducts.nexsh, ["run", home.path], environment: environment)
            defer { terminal.stop() }
            try await terminal.waitFor("0 passed, 0 failed")
            #expect(try await terminal.waitForExit() == 0)
            #expect(terminal.transcript.contains("[2/3] 0 failed"))
            // The progress line is cleared before anything else is written.
            #expect(terminal.transcript.contains("[1/3] 0 failed\r\u{1B}[K"))

            let piped = try await ChildProcess.run(BuildProducts.nexsh, ["run", home.path], environment: ["NEXSH_SERVER": ""])
            #expect(!piped.standardError.contains("[1/3]"))
            let inCI = try PseudoTerminal(BuildProducts.nexsh, ["run", home.path], environment: environment.merging(["CI": "true"]) { $1 })
            defer { inCI.stop() }
            try await inCI.waitFor("0 passed, 0 failed")
            #expect(try await inCI.waitForExit() == 0)
            #expect(!inCI.transcript.contains("[1/3]"))
        }
    }

    @Test func saveScriptWritesAReproductionThatRuns() async throws {
        try await withTemporaryDirectory { home in
            let terminal = try await start(home: home)
            defer { terminal.stop() }
            try await signIn(terminal)
            try await step(terminal, "switch 201", until: "does not belong to this account")
            try await step(terminal, "teams --book", until: "Tech Innovators")
            let script = home.appendingPathComponent("repro.nexsh")
            try await step(terminal, "save-script \(script.path)", until: "saved \(script.path)")
            terminal.type("\u{04}")
            #expect(try await terminal.waitForExit() == 0)

            let saved = try String(contentsOf: script, encoding: .utf8)
            #expect(saved.hasSuffix("""
                login jane.doe@example.com --password-env NEXSH_PASSWORD
                expect status 200
                switch 201
                expect status 404
                teams --book
                expect status 200

                """))
            let replayed = try await InProcessNexsh.run(
                ["run", script.path], environment: ["NEXSH_PASSWORD": "correct-horse", "NO_COLOR": "1", "NEXSH_SERVER": ""]
            )
            #expect(replayed.status == 0, "\(replayed.standardOutput)")
            #expect(replayed.standardError.hasSuffix("3 passed, 0 failed\n"))
        }
    }

    /// `a; b` typed at the prompt runs each in turn, stops at a failure, and a saved script
    /// writes each on its own line with its own outcome.
    @Test func commandsSeparatedBySemicolonsRunInTurnAndAreSavedApart() async throws {
        try await withTemporaryDirectory { home in
            let terminal = try await start(home: home)
            defer { terminal.stop() }
            try await signIn(terminal)
            try await step(terminal, "echo first; switch 201; echo never", until: "does not belong to this account")
            #expect(terminal.visible.contains("first"))
            #expect(!terminal.visible.contains("\r\nnever"), "a failure ends the line")
            let script = home.appendingPathComponent("split.nexsh")
            try await step(terminal, "teams --book; save-script \(script.path)", until: "saved \(script.path)")
            terminal.type("\u{04}")
            #expect(try await terminal.waitForExit() == 0)
            #expect(try String(contentsOf: script, encoding: .utf8).hasSuffix("""
                echo first
                switch 201
                expect status 404
                teams --book
                expect status 200

                """))
        }
    }

    /// A saved script does what the session did with its cassettes: a replay and its eject
    /// are kept, so the lines after the eject go to the network again; a recording is a
    /// comment, so running the script leaves the user's cassettes as they are.
    @Test func saveScriptReproducesEjectsAndNeverRewritesARecording() async throws {
        try await withTemporaryDirectory { home in
            let environment = ["NO_COLOR": "1", "NEXSH_SERVER": "", "NEXSH_PASSWORD": "correct-horse"]
            try Data("login jane.doe@example.com --password-env NEXSH_PASSWORD\n".utf8).write(to: home.appendingPathComponent("first.nexsh"))
            let first = try await InProcessNexsh.run(
                ["run", "first.nexsh", "--cassette", "c.har", "--mode", "record"], environment: environment, currentDirectory: home
            )
            #expect(first.status == 0, "\(first.standardOutput)")

            let terminal = try await start(home: home, currentDirectory: home)
            defer { terminal.stop() }
            for (line, answer) in [
                ("replay c.har", "replaying"), ("login jane.doe@example.com", "signed in as"), ("cassette eject", "ejected"),
                ("login jane.doe@example.com --password correct-horse", "signed in as"), ("record d.har", "recording to"),
                ("profiles", "Acme Design Co."), ("cassette eject", "ejected"), ("profiles", "Acme Design Co."),
                ("save-script s.nexsh", "saved s.nexsh"),
            ] {
                terminal.type(line + "\r")
                try await terminal.waitFor(answer)
                try await prompt(terminal)
            }
            terminal.type("exit\r")
            #expect(try await terminal.waitForExit() == 0)

            let saved = try String(contentsOf: home.appendingPathComponent("s.nexsh"), encoding: .utf8)
            #expect(saved.contains("# Recordings are comments, so that running it never rewrites a cassette"))
            #expect(saved.hasSuffix("""
                replay c.har
                login jane.doe@example.com --password-env NEXSH_PASSWORD
                expect status 200
                cassette eject
                login jane.doe@example.com --password-env NEXSH_PASSWORD
                expect status 200
                # record d.har  (left out: running this script must not rewrite that recording)
                profiles
                expect status 200
                # cassette eject
                profiles
                expect status 200

                """), "\(saved)")
            let recordings = try ["c.har", "d.har"].map { try Data(contentsOf: home.appendingPathComponent($0)) }
            let replayed = try await InProcessNexsh.run(["run", "s.nexsh"], environment: environment, currentDirectory: home)
            #expect(replayed.status == 0, "\(replayed.standardOutput)")
            #expect(replayed.standardError.hasSuffix("4 passed, 0 failed\n"))
            #expect(try ["c.har", "d.har"].map { try Data(contentsOf: home.appendingPathComponent($0)) } == recordings)
        }
    }

    /// `bundle` refuses a session that has done nothing; `save-script` and `bundle` say what is
    /// wrong with a path they cannot write, naming it; the shell goes on after each.
    @Test func bundleRefusesAnEmptySessionAndWritersNameWhatIsWrongWithAPath() async throws {
        try await withTemporaryDirectory { home in
            try Data("notes\n".utf8).write(to: home.appendingPathComponent("notes.txt"))
            try FileManager.default.createDirectory(at: home.appendingPathComponent("sub"), withIntermediateDirectories: false)
            let terminal = try await start(home: home, extraEnvironment: ["NO_COLOR": "1"], currentDirectory: home)
            defer { terminal.stop() }
            for (line, answer) in [
                ("bundle empty.har", "error: bundle: nothing to bundle yet: no command has run in this session (run the steps that show the problem first)"),
                ("save-script /proc/nope/x.nexsh", "error: cannot write /proc/nope/x.nexsh: the folder /proc/nope does not exist"),
                ("save-script notes.txt/x.nexsh", "error: cannot write notes.txt/x.nexsh: notes.txt is not a folder"),
                ("save-script missing/x.nexsh", "error: cannot write missing/x.nexsh: the folder missing does not exist"),
                ("save-script sub", "error: cannot write sub: it is a directory, not a regular file"),
                ("save-script ''", "error: save-script: no file name was given"),
                ("echo one", "\none"),
                ("bundle notes.txt/b.har", "error: bundle: could not write the cassette \(home.path)/notes.txt/b.har: \(home.path)/notes.txt is not a folder"),
                ("bundle b.har", "wrote b.har: 1 command and 0 entries"),
            ] {
                terminal.type(line + "\r")
                try await terminal.waitFor(answer)
                try await prompt(terminal, "nexsh> ")
            }
            terminal.type("exit\r")
            #expect(try await terminal.waitForExit() == 0)
            #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("empty.har").path))
            #expect(FileManager.default.fileExists(atPath: home.appendingPathComponent("b.har").path))
        }
    }

    /// A bundle replays its own recording of every request the session made, replayed ones
    /// included: the session's `replay` and `cassette eject` stay in its script as comments,
    /// so the bundle replays offline even where the session's cassette is not.
    @Test func aBundleAnswersFromItsOwnRecordingWhateverCassettesTheSessionUsed() async throws {
        try await withTemporaryDirectory { home in
            let environment = ["NO_COLOR": "1", "NEXSH_SERVER": "", "NEXSH_PASSWORD": "correct-horse"]
            try Data("login jane.doe@example.com --password-env NEXSH_PASSWORD\n".utf8).write(to: home.appendingPathComponent("first.nexsh"))
            let first = try await InProcessNexsh.run(
                ["run", "first.nexsh", "--cassette", "c.har", "--mode", "record"], environment: environment, currentDirectory: home
            )
            #expect(first.status == 0, "\(first.standardOutput)")
            var shellEnvironment = ["HOME": home.path, "TERM": "xterm", "LANG": "C.UTF-8", "NEXSH_SERVER": ""]
            shellEnvironment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            // On the sandbox, so that requests after the eject have a server to go to (a session
            // started with --replay has none).
            let terminal = try PseudoTerminal(BuildProducts.nexsh, [], environment: shellEnvironment, currentDirectory: home)
            defer { terminal.stop() }
            try await prompt(terminal, "nexsh> ")
            for (line, answer) in [
                ("replay c.har", "replaying"), ("login jane.doe@example.com", "signed in as"), ("cassette eject", "ejected"),
                ("login jane.doe@example.com --password correct-horse", "signed in as"),
                ("switch 102", "switched to 102"), ("bundle b.har", "wrote b.har: 4 commands and 6 entries"),
            ] {
                terminal.type(line + "\r")
                try await terminal.waitFor(answer)
                try await prompt(terminal)
            }
            terminal.type("exit\r")
            #expect(try await terminal.waitForExit() == 0)

            let bundle = try JSONSerialization.jsonObject(with: Data(contentsOf: home.appendingPathComponent("b.har"))) as? [String: Any]
            let script = try #require(((bundle?["log"] as? [String: Any])?["_script"] as? [String: Any])?["text"] as? String)
            #expect(script.hasSuffix("""
                # replay c.har  (left out: the bundle's own recording answers every request)
                login jane.doe@example.com --password-env NEXSH_PASSWORD
                expect status 200
                # cassette eject
                login jane.doe@example.com --password-env NEXSH_PASSWORD
                expect status 200
                switch 102
                expect status 200

                """), "\(script)")
            try FileManager.default.removeItem(at: home.appendingPathComponent("c.har"))
            let replayed = try await InProcessNexsh.run(["run", "b.har"], environment: environment, currentDirectory: home)
            #expect(replayed.status == 0, "\(replayed.standardOutput)")
            #expect(replayed.standardError.hasSuffix("3 passed, 0 failed\n"))
        }
    }

    @Test func bundleWritesTheSessionSoFarAsABugReportThatReplays() async throws {
        try await withTemporaryDirectory { home in
            let terminal = try await start(home: home)
            defer { terminal.stop() }
            try await signIn(terminal)
            terminal.type("switch 102\r")
            try await terminal.waitFor("switched to 102")
            try await prompt(terminal, "Acme Design Co. (102)")
            try await step(terminal, "profils", until: "unknown command")
            let bundle = home.appendingPathComponent("report.har")
            try await step(terminal, "bundle \(bundle.path)", until: "wrote \(bundle.path): 3 commands and 4 entries (replay it with: nexsh run \(bundle.path))")
            terminal.type("exit\r")
            #expect(try await terminal.waitForExit() == 0)

            let text = try String(contentsOf: bundle, encoding: .utf8)
            #expect(!text.contains("correct-horse"))
            #expect(text.contains(#"login jane.doe@example.com --password-env NEXSH_PASSWORD\nexpect status 200\nswitch 102\nexpect status 200\n# failed: profils\n"#))
            let environment = ["NO_COLOR": "1", "NEXSH_SERVER": ""]
            let verified = try await InProcessNexsh.run(["cassette", "verify", bundle.path], environment: environment)
            #expect(verified.status == 0, "\(verified.standardOutput)")
            let replayed = try await InProcessNexsh.run(["run", bundle.path], environment: environment)
            #expect(replayed.status == 0, "\(replayed.standardOutput)\(replayed.standardError)")
            #expect(replayed.standardOutput.contains("switched to 102 Acme Design Co. (company)\n"))
            #expect(replayed.standardError.hasSuffix("2 passed, 0 failed\n"))
        }
    }
}

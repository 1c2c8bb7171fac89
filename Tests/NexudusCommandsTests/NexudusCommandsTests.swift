import Foundation
import HTTPCassette
import HTTPValues
import JSONValues
import NexshTesting
import NexudusAPI
import NexudusCommands
import Sandbox
import ShellCore
import Testing

/// Every Nexudus command, typed line by line into a session on the sandbox served in-process
/// (no socket).
@Suite struct NexudusCommandsTests {
    struct Shell {
        let context: ShellContext
        let output: BufferedOutput
        let session: NexudusSession
        let transport: ObservingTransport
        let sandbox: InProcessSandbox

        /// Runs a line and returns what it printed.
        @discardableResult
        func run(_ line: String) async throws -> String {
            let before = output.text.count
            try await Dispatcher.execute(text: line, in: context)
            return String(output.text.dropFirst(before))
        }

        var requests: [String] { transport.requestLines }
    }

    /// A shell signed in as Jane Doe (profile 101) on the in-process sandbox.
    func withSignedInShell(prompter: (any Prompter)? = nil, _ body: @Sendable (Shell) async throws -> Void) async throws {
        try await withShell(prompter: prompter) { shell in
            try await shell.run("login jane.doe@example.com --password correct-horse")
            try await body(shell)
        }
    }

    /// `sandboxPasswords`: what nexsh hands a session on its built-in sandbox.
    func withShell<Result: Sendable>(
        prompter: (any Prompter)? = nil, environment: [String: String] = [:], sandboxPasswords: [String: String] = [:],
        _ body: @Sendable (Shell) async throws -> Result
    ) async throws -> Result {
        let sandbox = InProcessSandbox()
        let observed = ObservingTransport(wrapping: sandbox.transport)
        let session = NexudusSession(baseURL: sandbox.baseURL, live: observed, sandboxPasswords: sandboxPasswords)
        // As the interactive shell does: these tests complete as a person would.
        session.watchIdsForCompletion()
        let output = BufferedOutput()
        let context = ShellContext(
            commands: NexudusCommands.table, services: [session], variables: Variables([:], environment: environment), output: output,
            prompter: prompter, replaying: { session.isReplaying }
        )
        return try await body(Shell(context: context, output: output, session: session, transport: observed, sandbox: sandbox))
    }

    @Test func loginSendsTheTokenThenTheProfilesRequest() async throws {
        try await withShell { shell in
            let printed = try await shell.run("login jane.doe@example.com --password correct-horse")
            #expect(printed == "signed in as Jane Doe <jane.doe@example.com> · active profile 101 Jane Doe (individual)\n")
            #expect(shell.requests == ["POST /api/token", "GET /api/public/coworkers/profiles"])
            #expect(shell.context.lastExchange?.request.url.path == "/api/public/coworkers/profiles")
        }
    }

    @Test func loginTakesThePasswordFromTheEnvironmentOrAsksForIt() async throws {
        try await withShell(environment: ["NEXSH_TEST_PASSWORD": "correct-horse"]) { shell in
            try await shell.run("login jane.doe@example.com --password-env NEXSH_TEST_PASSWORD")
            await #expect(throws: ShellError.failed("login: the environment variable NEXSH_TEST_UNSET is not set (it should hold the password)")) {
                try await shell.run("login jane.doe@example.com --password-env NEXSH_TEST_UNSET")
            }
            await #expect(throws: ShellError.self) { try await shell.run("login jane.doe@example.com") }
        }
        let prompter = ScriptedPrompter(lines: ["alex.kim@example.com", "123456"], secrets: ["tr0ub4dor-3"])
        try await withShell(prompter: prompter) { shell in
            // Asked: the e-mail, the password (echo off), and the two-factor code the server wants.
            let printed = try await shell.run("login")
            #expect(printed.hasPrefix("signed in as Alex Kim <alex.kim@example.com>"))
            #expect(prompter.asked == ["email: ", "password: ", "two-factor code: "])
            #expect(shell.requests == ["POST /api/token", "POST /api/token", "GET /api/public/coworkers/profiles"])
        }
    }

    /// On the built-in sandbox a password variable that is not set stands for the account's
    /// published password; a variable that is set still wins, and once the session talks to
    /// another server (`server`, even naming the same address) the variable is needed again.
    @Test func theBuiltInSandboxSignsInWithItsPublishedPasswords() async throws {
        try await withShell(environment: ["NEXSH_TEST_WRONG": "nope"], sandboxPasswords: SandboxServer.passwordsByEmail) { shell in
            let printed = try await shell.run("login SAM.Roe@example.com --password-env NEXSH_TEST_UNSET")
            #expect(printed.hasPrefix("signed in as Sam Roe <sam.roe@example.com>"))
            await #expect(throws: ShellError.requestFailed(status: 400, message: Self.invalidGrant)) {
                try await shell.run("login jane.doe@example.com --password-env NEXSH_TEST_WRONG")
            }
            try await shell.run("server \(shell.session.baseURL.absoluteString)")
            await #expect(throws: ShellError.failed("login: the environment variable NEXSH_TEST_UNSET is not set (it should hold the password)")) {
                try await shell.run("login jane.doe@example.com --password-env NEXSH_TEST_UNSET")
            }
            #expect(shell.requests == ["POST /api/token", "GET /api/public/coworkers/profiles", "POST /api/token"])
        }
    }

    /// What invalid_grant says since issue 16: its three causes, and the host to check.
    static let invalidGrant = "sign-in refused (invalid_grant): the email or password is wrong, the account is not registered at this location, or it is suspended: The user name or password is incorrect; check the password, and that 127.0.0.1 is the space the account belongs to"

    @Test func wrongCredentialsAreAnHTTPFailureWithTheAnswerKept() async throws {
        try await withShell { shell in
            await #expect(throws: ShellError.requestFailed(status: 400, message: Self.invalidGrant)) {
                try await shell.run("login jane.doe@example.com --password nope")
            }
            try await shell.run("expect .error == invalid_grant")
            #expect(try await shell.run("whoami") == "not signed in\n")
        }
    }

    @Test func profilesSwitchAndWhoami() async throws {
        try await withShell { shell in
            try await shell.run("login jane.doe@example.com --password correct-horse")
            #expect(try await shell.run("profiles") == """
                    ID  NAME             COMPANY          TYPE        STATUS  VIRTUAL OFFICE
                *  101  Jane Doe                          individual  active  -
                   102  Acme Design Co.  Acme Design Co.  company     active  active (contract 55)

                """)
            #expect(try await shell.run("switch 102") == "switched to 102 Acme Design Co. (company)\n")
            #expect(shell.requests.suffix(2) == ["PUT /api/public/coworkers/profiles/current?coworkerId=102", "GET /api/public/coworkers/profiles"])
            try await shell.run("expect .Profiles[1].IsDefaultProfile == true")
            let whoami = try await shell.run("whoami")
            #expect(whoami.hasPrefix("Jane Doe <jane.doe@example.com> (user 42)\nbusiness: Nexudus HQ (7, nexudushq)\nprofile:  102 Acme Design Co. (company)\nserver:   http://127.0.0.1:"))
            let json = try await shell.run("profiles --json")
            #expect(try JSONValue.parse(json)["Profiles"]?.arrayValue?.count == 2)
            #expect(json.hasPrefix("{\n  \"User\": {\n    \"Id\": 42,"))
        }
    }

    /// `--json` prints a body as received, `whoami`'s too: the profiles answer it was read from,
    /// in the server's member order, with its nulls.
    @Test func whoamiJSONIsTheProfilesAnswerAsReceived() async throws {
        try await withShell { shell in
            try await shell.run("login jane.doe@example.com --password correct-horse")
            let received = try #require(shell.context.lastExchange?.response)
            let json = try await shell.run("whoami --json")
            #expect(json == BodyRenderer.render(received) + "\n")
            #expect(json.hasPrefix("{\n  \"User\": {\n    \"Id\": 42,\n    \"FullName\": \"Jane Doe\","))
            #expect(json.contains("\"HasVirtualOffice\": false,\n      \"VirtualOfficePaused\": null,\n      \"VirtualOfficeContractId\": null\n"))
            #expect(try JSONValue.parse(json) == JSONValue.parse(received.body))
            #expect(shell.requests == ["POST /api/token", "GET /api/public/coworkers/profiles"], "whoami sends nothing")
        }
    }

    @Test func switchRefusesWhatIsNotAProfileIdBeforeSending() async throws {
        try await withShell { shell in
            try await shell.run("login jane.doe@example.com --password correct-horse")
            let count = shell.requests.count
            for line in ["switch abc", "switch 0", "switch -3"] {
                await #expect(throws: ShellError.self, "\(line)") { try await shell.run(line) }
            }
            try shell.context.setVariable("id", "x1")
            await #expect(throws: ShellError.self) { try await shell.run("switch ${id}") }
            #expect(shell.requests.count == count)
            await #expect(throws: ShellError.requestFailed(status: 404, message: "profile 201 does not belong to this account (404); its profiles are 101 Jane Doe, 102 Acme Design Co.")) {
                try await shell.run("switch 201")
            }
        }
    }

    @Test func teamsBenefitsTeamAndContract() async throws {
        try await withShell { shell in
            try await shell.run("login jane.doe@example.com --password correct-horse")
            let teams = try await shell.run("teams --book")
            #expect(teams.hasPrefix("Tech Innovators (team 55) · Downtown Coworking Hub · 2 members of 20\n  you can: add members, remove members\n"))
            #expect(teams.contains("  101  Jane Doe         jane.doe@example.com  5001 Hot Desk Monthly, 250.00 GBP, next invoice 2025-02-01\n"))
            #expect(shell.requests.last == "GET /en/team/profiles?bookForTeam=true")
            #expect(try await shell.run("benefits").hasPrefix("personal\n  booking credit  Meeting room hours: 6.5 of 10 left (expires 2025-02-01)\n"))
            #expect(try await shell.run("team 55").hasPrefix("Tech Innovators (team 55)\n  business:       Downtown Coworking Hub\n"))
            #expect(try await shell.run("contract 5001").hasPrefix("contract 5001 · Hot Desk Monthly\n  status:      active\n  price:       250.00 GBP\n"))
            await #expect(throws: ShellError.self) { try await shell.run("contract 6001") }
            try await shell.run("expect status 404")
            #expect(try await shell.run("teams --shape Team.Name") == "[\n  {\n    \"Team\": {\n      \"Name\": \"Tech Innovators\"\n    }\n  }\n]\n")
        }
    }

    @Test func rawRequestsCarryTheTokenUntilLogout() async throws {
        try await withShell { shell in
            try await shell.run("login jane.doe@example.com --password correct-horse")
            let printed = try await shell.run("get /api/public/teams/my isTeamAdmin=true _shape=TotalItems --header 'X-Trace: abc'")
            #expect(printed == "200 OK\n{\n  \"TotalItems\": 1\n}\n")
            let request = try #require(shell.transport.requests.last)
            #expect(request.url.query == "isTeamAdmin=true&_shape=TotalItems")
            #expect(request.headers["Authorization"]?.hasPrefix("Bearer ") == true)
            #expect(request.headers["X-Trace"] == "abc")

            await #expect(throws: ShellError.requestFailed(status: 404, message: "POST /api/things → 404 Not Found")) {
                try await shell.run(#"post /api/things --body '{"a": 1}'"#)
            }
            let posted = try #require(shell.transport.requests.last)
            #expect(posted.headers["Content-Type"] == "application/json")
            #expect(String(decoding: posted.body, as: UTF8.self) == #"{"a": 1}"#)
            await #expect(throws: ShellError.self) { try await shell.run("put /api/public/coworkers/profiles/current") }
            try await shell.run("expect .Errors[0].PropertyName == coworkerId")
            await #expect(throws: ShellError.self) { try await shell.run("delete /api/public/coworkers/profiles") }

            #expect(try await shell.run("logout") == "signed out\n")
            await #expect(throws: ShellError.self) { try await shell.run("get /api/public/coworkers/profiles") }
            #expect(shell.transport.requests.last?.headers["Authorization"] == nil)
        }
    }

    /// `--json` prints the body as received on an error status too, for every command that
    /// takes it, as `get` does; without it, the error alone.
    @Test func withJSONTheBodyIsPrintedOnAnErrorStatusToo() async throws {
        try await withShell { shell in
            try await shell.run("login jane.doe@example.com --password correct-horse")
            let contract = "{\n  \"Message\": \"No contract with id 9999 exists for this customer.\"\n}\n"
            for line in ["contract 9999 --json", "get /api/public/billing/coworkerContracts/9999 --json"] {
                let before = shell.output.text.count
                await #expect(throws: ShellError.requestFailed(
                    status: 404, message: "GET /api/public/billing/coworkerContracts/9999 → 404 Not Found: No contract with id 9999 exists for this customer."
                )) { try await shell.run(line) }
                #expect(String(shell.output.text.dropFirst(before)) == contract, "\(line)")
            }
            for (line, member) in [("team 9999 --json", #""Message": "No team with id 9999"#), ("switch 201 --json", #""Status": 404,"#)] {
                let before = shell.output.text.count
                await #expect(throws: ShellError.self) { try await shell.run(line) }
                let printed = String(shell.output.text.dropFirst(before))
                #expect(printed.hasPrefix("{\n") && printed.contains(member) && printed.hasSuffix("}\n"), "\(line): \(printed)")
            }
            let before = shell.output.text.count
            await #expect(throws: ShellError.self) { try await shell.run("contract 9999") }
            #expect(shell.output.text.count == before)
        }
    }

    /// A session the server no longer accepts ends, as its error says; its tokens, like those
    /// of a session signed out, stay among the values no file may hold.
    @Test func aSessionTheServerRefusesEndsAndItsTokensStaySecret() async throws {
        try await withShell { shell in
            try await shell.run("login jane.doe@example.com --password correct-horse")
            let first = try #require(shell.session.client.session)
            // Refreshing from a second client with the same client_id invalidates the first's refresh token.
            try await NexudusClient(baseURL: shell.sandbox.baseURL, transport: shell.transport, session: first).refreshSession()
            await shell.sandbox.state.expireAccessTokens()
            let error = await #expect(throws: ShellError.self) { try await shell.run("profiles") }
            #expect(error.map { "\($0.oneLine())".hasSuffix("; sign in again") } == true, "\(String(describing: error))")
            #expect(shell.session.client.session == nil)
            #expect(try await shell.run("whoami") == "not signed in\n")
            #expect(shell.session.secretValues.contains(first.accessToken))
            #expect(shell.session.secretValues.contains(try #require(first.refreshToken)))

            try await shell.run("login jane.doe@example.com --password correct-horse")
            let second = try #require(shell.session.client.session)
            try await shell.run("logout")
            #expect(shell.session.secretValues.contains(second.accessToken))
        }
    }

    @Test func recordReplayAndEjectInsideASession() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("typed.har").path
            try await withShell { shell in
                #expect(try await shell.run("cassette") == "no cassette in use: the network answers (record <file> or replay <file> to use one)\n")
                #expect(try await shell.run("record \(file)") == "recording to \(file) (mode record)\n")
                try await shell.run("login jane.doe@example.com --password correct-horse")
                try await shell.run("profiles")
                #expect(try await shell.run("cassette") == "\(file) (mode record)\n")
                #expect(try await shell.run("cassette eject") == "ejected \(file): 3 recorded, 0 replayed\n")

                let live = shell.requests.count
                #expect(try await shell.run("replay \(file)") == "replaying \(file) (3 entries)\n")
                #expect(shell.context.isReplaying)
                try await shell.run("login jane.doe@example.com --password anything")
                #expect(shell.requests.count == live, "a replay never reaches the network")
                #expect(try await shell.run("cassette eject") == "ejected \(file): 0 recorded, 2 replayed; never requested: #3 GET /api/public/coworkers/profiles\n")
                #expect(!shell.context.isReplaying)
            }
            let text = try String(contentsOf: URL(fileURLWithPath: file), encoding: .utf8)
            #expect(!text.contains("correct-horse"))
            #expect(text.contains(#"\"AccessToken\":\"<redacted:AccessToken>\""#) || text.contains(#"\"AccessToken\":\"<redacted:access_token>\""#))
        }
    }

    @Test func serverChangesTargetAndSignsOut() async throws {
        try await withShell { shell in
            try await shell.run("login jane.doe@example.com --password correct-horse")
            #expect(try await shell.run("server").hasPrefix("http://127.0.0.1:"))
            #expect(try await shell.run("server http://127.0.0.1:9") == "server: http://127.0.0.1:9 (signed out)\n")
            await #expect(throws: ShellError.failed("cannot reach http://127.0.0.1:9: connection refused")) { try await shell.run("profiles") }
            await #expect(throws: ShellError.self) { try await shell.run("server ftp://x") }
        }
    }

    @Test func switchCompletesProfileIdsWithTheirNames() async throws {
        try await withShell { shell in
            try await shell.run("login jane.doe@example.com --password correct-horse")
            let candidates = await Completer.complete("switch 1", in: shell.context)
            #expect(candidates == [Completion("101", description: "Jane Doe (individual)"), Completion("102", description: "Acme Design Co. (company)")])
            #expect(await Completer.complete("teams --", in: shell.context).map(\.value) == ["--book", "--shape", "--json", "--output", "--verbose"])
            #expect(await Completer.complete("record x.har --mode n", in: shell.context).map(\.value) == ["new"])
            // The team's write comes first (issue 17), then the ids.
            #expect(await Completer.complete("team ", in: shell.context).map(\.value) == ["add-member", "55"])
            #expect(await Completer.complete("team 5", in: shell.context).map(\.value) == ["55"])
        }
    }

    @Test func everyCommandHasHelpAndTheTableHasNoClash() async throws {
        // The language needs no session: help, checks and parsing work without one.
        let table = NexudusCommands.table
        let required = [
            "login", "logout", "whoami", "profiles", "switch", "teams", "benefits", "team", "contract", "get", "put", "post", "endpoints",
            "delete", "record", "replay", "cassette", "set", "unset", "vars", "capture", "expect", "last", "source", "server",
            "sleep", "echo", "help", "exit",
        ]
        for name in required {
            let command = try #require(table.command(named: name), "\(name)")
            #expect(!command.summary.isEmpty)
            #expect(command.helpText.hasPrefix("usage: \(name)"))
        }
        // Every command explains itself with an example that reads as a line of the language,
        // and answers -h and --help as `help` does.
        for command in table.all {
            #expect(!command.examples.isEmpty, "\(command.name) has an example")
            #expect(command.helpText.contains(command.examples.count == 1 ? "\nexample:\n  " : "\nexamples:\n  "), "\(command.name)")
            for example in command.examples {
                let line = try #require(try Tokenizer.line(example), "\(example)")
                #expect(throws: Never.self, "\(example)") { _ = try table.resolve(line, origin: .interactive) }
            }
            let output = BufferedOutput()
            let context = ShellContext(commands: table, output: output)
            for flag in ["-h", "--help"] {
                try await Dispatcher.execute(text: "\(command.name) \(flag)", in: context)
            }
            // A command that calls one catalogue endpoint adds its parameters (EndpointHelpTests).
            let help = table.helpText(for: command, style: .plain)
            #expect(output.text == help + "\n" + help + "\n", "\(command.name)")
        }
        // What used to be a bare usage line names what the command takes.
        #expect(try #require(table.command(named: "echo")).helpText.hasPrefix("usage: echo [<text>...]"))
    }

    @Test func helpWrapsAtWordsAndTablesFitTheWidth() async throws {
        try await withShell { shell in
            try await shell.run("login jane.doe@example.com --password correct-horse")
            let narrow = ShellContext(commands: shell.context.commands, services: [shell.session], output: shell.output, style: TextStyle(color: false, columns: 60))
            let before = shell.output.text.count
            try await Dispatcher.execute(text: "profiles", in: narrow)
            try await Dispatcher.execute(text: "teams", in: narrow)
            try await Dispatcher.execute(text: "help", in: narrow)
            try await Dispatcher.execute(text: "help get", in: narrow)
            let printed = String(shell.output.text.dropFirst(before))
            let lines = printed.split(separator: "\n")
            // Longer only where a single word is (a path in the help), or a whole example line.
            let examples = shell.context.commands.all.flatMap(\.examples)
            let long = lines.filter { $0.count > 60 && $0.split(separator: " ").count > 1 && !examples.contains(String($0.dropFirst(2))) }
            #expect(long.isEmpty, "\(long)")
            // The widest column gave way, marked; no word of the help was cut.
            #expect(printed.contains("…"))
            #expect(printed.contains("get /api/public/teams/my isTeamAdmin=true"))
            for line in lines where line.hasPrefix("                      ") {
                #expect(!line.dropFirst(22).hasPrefix(" "), "a wrapped help line keeps its column: \(line)")
            }
        }
    }
}

/// Answers prompts from lists, and remembers what was asked.
final class ScriptedPrompter: Prompter, @unchecked Sendable {
    private var lines: [String]
    private var secrets: [String]
    private(set) var asked: [String] = []
    private let lock = NSLock()

    init(lines: [String], secrets: [String]) {
        self.lines = lines
        self.secrets = secrets
    }

    func readLine(prompt: String) async -> String? {
        lock.withLock {
            asked.append(prompt)
            return lines.isEmpty ? nil : lines.removeFirst()
        }
    }

    func readSecret(prompt: String) async -> String? {
        lock.withLock {
            asked.append(prompt)
            return secrets.isEmpty ? nil : secrets.removeFirst()
        }
    }
}

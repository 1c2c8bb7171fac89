import Foundation
import NexshTesting
import Testing

/// The README's examples, run as written: every command line of its `sh` blocks, the shell
/// session of its tour, and the script excerpt it quotes. A line the test cannot run is listed
/// below with the reason; a new line fails the test until it runs here or is listed.
@Suite struct ReadmeTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    enum Plan: Equatable {
        /// Run in order, in one folder prepared as ``prepare(_:)`` says; ends with this status.
        case exits(Int32)
        /// Not run, for this reason.
        case notRun(String)
    }

    /// Every command line of the `sh` blocks but `curl` (each of those runs against `nexsh sandbox`,
    /// its answer compared with the one the README shows), as the README writes it, comments
    /// taken off and spaces collapsed.
    static let plans: [String: Plan] = [
        "make run": .notRun("builds nexsh and starts the interactive shell; the tour below runs that shell"),
        "make test": .notRun("runs this very test suite"),
        "make run ARGS=\"sandbox --port 8080\"": .notRun(
            "a server on a fixed port until Ctrl-C; the curl lines run against `nexsh sandbox --port 0`, the same server on a free port"
        ),
        "make install": .notRun("a release build into /usr/local; InstallTests installs into a temporary prefix"),
        "make install PREFIX=$HOME/.local": .notRun("a release build; InstallTests installs the debug binary into a temporary prefix"),
        "make uninstall PREFIX=$HOME/.local": .notRun("undoes the line above; InstallTests uninstalls from its temporary prefix"),
        "TOKEN=…": .notRun("a placeholder for the access_token the first curl answer holds, which the test puts in TOKEN"),
        "nexsh run Scripts/": .exits(0),
        "nexsh run Scripts/shape.nexsh --cassette Cassettes/shape.har": .exits(0),
        "nexsh run Scripts/ --cassette Cassettes/ --jobs 8 --report junit:report.xml": .exits(0),
        "nexsh run Scripts/ --cassette Cassettes/ --coverage coverage.json": .exits(0),
        "nexsh run S.nexsh --server https://yourspace.spaces.nexudus.com --cassette s.har --mode record": .notRun("needs a real Nexudus space"),
        "nexsh < Scripts/wrong-password.nexsh": .exits(0),
        "nexsh run S.nexsh --read-timeout 5 --retries 3": .exits(0),
        "nexsh run S.nexsh --pace 150 --max-wait 60": .exits(0),
        "nexsh run S.nexsh --deadline 20 --max-body-size 8": .exits(0),
        "nexsh run S.nexsh --server http://10.0.0.5 --allow-http": .notRun("a server beyond loopback; tests never leave it"),
        "nexsh --server https://staging.local --insecure": .notRun("the interactive shell on a server that does not exist"),
        "nexsh bundle create bug.har --script S.nexsh --var profile=102": .exits(0),
        "nexsh bundle create bug.har --script S.nexsh --cassette C.har": .exits(0),
        "nexsh bundle show bug.har": .exits(0),
        "nexsh run bug.har": .exits(0),
        "nexsh bundle shrink failing.har -o min.har": .notRun(
            "the README's bundle replays cleanly, so there is nothing to shrink; BundleShrinkCommandTests shrinks a failing one"
        ),
        "nexsh> bundle session.har": .notRun("typed at the shell's prompt; InteractiveShellTests writes a bundle from the shell"),
        "nexsh run S.nexsh --cassette C.har --mode verify --server https://yourspace.spaces.nexudus.com": .notRun("needs a real Nexudus space"),
        "nexsh run bug.har --mode verify": .exits(0),
        "nexsh cassette volatile C.har --add '.Profiles[*].UpdatedOn'": .exits(0),
        "nexsh cassette inspect FILE": .exits(0),
        "nexsh cassette verify FILE": .exits(0),
        // A and B are copies of one recording: the same by meaning.
        "nexsh cassette diff A B": .exits(0),
        "nexsh cassette import FILE -o OUT.har": .exits(0),
        "nexsh cassette redact FILE": .exits(0),
        "nexsh cassette anonymize FILE -o ANON.har --script S.nexsh --script-out ANON.nexsh": .exits(0),
        "nexsh cassette anonymize --check ANON.har": .exits(0),
        "nexsh cassette volatile FILE [--add PATH] [--remove PATH]": .notRun(
            "a synopsis, its optional parts in brackets; the drift example runs `nexsh cassette volatile C.har --add …`"
        ),
        "nexsh cassette export FILE --curl --entry 2": .exits(0),
        "nexsh cassette export FILE --hurl --asserts body -o OUT.hurl": .exits(0),
        "make bench": .notRun("minutes of benchmarks, never run by tests"),
        "nexsh -c 'login jane.doe@example.com --password-env NEXSH_PASSWORD --save' --server yourspace": .notRun(
            "needs a real Nexudus space; OneShotTests saves a session on a loopback sandbox and a one-shot resumes it"
        ),
        "nexsh -c 'profiles --json' --server yourspace | jq '.Profiles[0].Id'": .notRun(
            "needs a real Nexudus space and its saved session; OneShotTests parses the same one-shot's answer as JSON"
        ),
        "nexsh -c 'invoices --unpaid --json' --replay Cassettes/member-activity.har | jq -r '.[0].InvoiceNumber'": .exits(0),
        "nexsh -c 'events --all -o yaml' --replay Cassettes/member-activity.har > events.yaml": .exits(0),
    ]

    /// What the examples take for granted: copies of Scripts/ and Cassettes/, a script `S.nexsh`
    /// with its recording `C.har`, and cassettes named `FILE`, `A` and `B`.
    func prepare(_ directory: URL) throws {
        let files = FileManager.default
        for folder in ["Scripts", "Cassettes"] {
            try files.copyItem(at: Self.repository.appendingPathComponent(folder), to: directory.appendingPathComponent(folder))
        }
        let copies = [
            ("Scripts/signin-and-profiles.nexsh", "S.nexsh"), ("Cassettes/signin-and-profiles.har", "C.har"),
            ("Cassettes/switch-company-and-back.har", "FILE"), ("Cassettes/switch-company-and-back.har", "A"),
            ("Cassettes/switch-company-and-back.har", "B"),
        ]
        for (source, name) in copies {
            try files.copyItem(at: directory.appendingPathComponent(source), to: directory.appendingPathComponent(name))
        }
    }

    @Test func everyCommandLineRunsAsTheReadmeSays() async throws {
        let commands = Readme.load().blocks.filter { $0.language == "sh" }.flatMap(\.commands)
        #expect(commands.count >= 25)
        let written = Set(commands.map(\.key))
        for key in Self.plans.keys.sorted() where !written.contains(key) {
            Issue.record("listed here but no longer in the README: \(key)")
        }

        // The sandbox the curl lines talk to, as the README starts it (on a free port).
        let sandbox = try ChildProcess(BuildProducts.nexsh, ["sandbox", "--port", "0", "--quiet"], environment: ["NO_COLOR": "1"])
        defer { sandbox.stop() }
        let listening = try await sandbox.waitForOutput(matching: #"http://127\.0\.0\.1:\d+"#)

        try await withTemporaryDirectory { directory in
            try prepare(directory)
            var token: String?
            for command in commands {
                if command.text.hasPrefix("curl ") {
                    token = try await runCurl(command, sandbox: listening, token: token, in: directory) ?? token
                    continue
                }
                switch Self.plans[command.key] {
                case nil:
                    Issue.record("README line \(command.line) is neither run nor listed in ReadmeTests.plans: \(command.key)")
                case .notRun?:
                    continue
                case .exits(let expected)?:
                    let result = try await shell(command.text, in: directory)
                    #expect(
                        result.status == expected,
                        "README line \(command.line): \(command.text)\n\(result.standardOutput)\(result.standardError)"
                    )
                }
            }
            #expect(token != nil, "the first curl answer holds an access token")
        }
        sandbox.signal(SIGTERM)
        #expect(try await sandbox.waitForExit() == 0)
    }

    /// Runs a `curl` line against the sandbox with `TOKEN` set, and compares what it prints with
    /// the answer shown under it (`…` stands for anything in a string). Returns the access token
    /// when the answer holds one.
    func runCurl(_ command: Readme.Command, sandbox: String, token: String?, in directory: URL) async throws -> String? {
        let text = command.text.replacingOccurrences(of: "http://127.0.0.1:8080", with: sandbox)
        let result = try await ChildProcess.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", text], environment: ["TOKEN": token ?? ""], currentDirectory: directory
        )
        #expect(result.status == 0, "README line \(command.line): \(command.text)\n\(result.standardError)")
        let answer = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect((try? JSONSerialization.jsonObject(with: Data(answer.utf8))) != nil, "README line \(command.line): not JSON: \(answer)")
        if let shown = command.shownAnswer {
            let pattern = "^" + NSRegularExpression.escapedPattern(for: shown).replacingOccurrences(of: "…", with: #"[^"]*"#) + "$"
            #expect(answer.range(of: pattern, options: .regularExpression) != nil, "README line \(command.line): \(answer)\nshown: \(shown)")
        }
        let object = try? JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any]
        return object?["access_token"] as? String
    }

    /// A line of the README as a person would run it: through the shell, with nexsh on the
    /// PATH, on the built-in sandbox, and with none of the scripts' password variables set.
    func shell(_ line: String, in directory: URL) async throws -> ProcessResult {
        try await ChildProcess.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "unset NEXSH_PASSWORD NEXSH_SAM_PASSWORD; \(line)"],
            environment: [
                "PATH": BuildProducts.directory.path + ":/usr/bin:/bin", "NO_COLOR": "1", "NEXSH_SERVER": "", "HOME": directory.path,
            ],
            currentDirectory: directory
        )
    }

    /// The tour: the shell started as `make run` starts it, each line typed at the prompt the
    /// README shows, each line of output the README shows seen in that order.
    @Test func theTourRunsInTheShellAsShown() async throws {
        let tours = Readme.load().blocks.filter { $0.language != "sh" && $0.lines.contains { Readme.prompted($0) != nil } }
        #expect(tours.count == 1, "one shell session in the README")
        let tour = try #require(tours.first)
        try await withTemporaryDirectory { home in
            let terminal = try PseudoTerminal(BuildProducts.nexsh, [], environment: PseudoTerminal.shellEnvironment(home: home))
            defer { terminal.stop() }
            for line in tour.lines {
                if let (prompt, typed) = Readme.prompted(line) {
                    try await terminal.waitFor(prompt + "> ")
                    try await terminal.waitForMode(raw: true)
                    terminal.type(typed + "\r")
                } else if line == "password:" {
                    try await terminal.waitFor("password: ")
                    try await terminal.waitForMode(raw: false, echo: false)
                    terminal.type(SandboxAccounts.jane.password + "\r")
                } else {
                    // The sandbox listens on a port of its own choosing: the rest must match.
                    for piece in line.replacing(/127\.0\.0\.1:\d+/, with: "127.0.0.1:\u{0}").split(separator: "\u{0}") {
                        try await terminal.waitFor(String(piece))
                    }
                }
            }
            try await terminal.waitForMode(raw: true)
            terminal.type("\u{04}")
            #expect(try await terminal.waitForExit() == 0)
        }
    }

    /// A block that quotes a file (`# Scripts/x.nexsh (excerpt)`) quotes its lines, in order.
    @Test func quotedScriptsAreExcerptsOfTheRealFiles() throws {
        let excerpts = Readme.load().blocks.compactMap { block -> (String, [String])? in
            guard let first = block.lines.first, first.hasPrefix("# "), first.hasSuffix(" (excerpt)") else { return nil }
            return (String(first.dropFirst(2).dropLast(" (excerpt)".count)), Array(block.lines.dropFirst()))
        }
        #expect(!excerpts.isEmpty)
        for (path, quoted) in excerpts {
            let lines = try String(contentsOf: Self.repository.appendingPathComponent(path), encoding: .utf8).split(separator: "\n").map(String.init)
            var next = lines.startIndex
            for line in quoted {
                let found = lines[next...].firstIndex(of: line)
                #expect(found != nil, "\(path) has no line '\(line)' after line \(next)")
                next = (found ?? next) + 1
            }
        }
    }

    /// Commands live in `sh` blocks (and the tour); no other block may hide one from this test.
    @Test func noOtherBlockHoldsCommands() {
        for block in Readme.load().blocks where block.language != "sh" {
            let isTour = block.lines.contains { Readme.prompted($0) != nil }
            let isExcerpt = block.lines.first.map { $0.hasPrefix("# ") && $0.hasSuffix(" (excerpt)") } ?? false
            guard !isTour, !isExcerpt else { continue }
            for line in block.lines {
                #expect(!line.hasPrefix("nexsh ") && !line.hasPrefix("make ") && !line.hasPrefix("$ "), "README line \(block.line): \(line)")
            }
        }
    }
}

/// README.md read into its fenced blocks.
struct Readme {
    struct Block {
        /// The info string: `sh`, `text`, or empty.
        let language: String
        /// The line of the opening fence, 1-based.
        let line: Int
        /// Without the fence's indentation.
        let lines: [String]

        /// The command lines, `\`-continued lines joined, comments taken off.
        var commands: [Command] {
            var commands: [Command] = []
            var pending = ""
            var start = line
            for (offset, raw) in lines.enumerated() {
                let text = raw.trimmingCharacters(in: .whitespaces)
                if pending.isEmpty { start = line + 1 + offset }
                if text.hasSuffix("\\") {
                    pending += text.dropLast() + " "
                    continue
                }
                let whole = pending + text
                pending = ""
                if whole.hasPrefix("#") {
                    // The answer a command printed, shown under it.
                    let shown = whole.dropFirst().trimmingCharacters(in: .whitespaces)
                    if let last = commands.last, last.shownAnswer == nil, shown.hasPrefix("{") || shown.hasPrefix("[") {
                        commands[commands.count - 1] = Command(text: last.text, line: last.line, shownAnswer: shown)
                    }
                    continue
                }
                let command = Self.withoutComment(whole)
                if !command.isEmpty { commands.append(Command(text: command, line: start, shownAnswer: nil)) }
            }
            return commands
        }

        /// A `#` after a space, outside quotes, starts a comment.
        static func withoutComment(_ line: String) -> String {
            var quote: Character?
            var previous: Character = " "
            for index in line.indices {
                let character = line[index]
                if let open = quote {
                    if character == open { quote = nil }
                } else if character == "'" || character == "\"" {
                    quote = character
                } else if character == "#", previous.isWhitespace {
                    return String(line[..<index]).trimmingCharacters(in: .whitespaces)
                }
                previous = character
            }
            return line.trimmingCharacters(in: .whitespaces)
        }
    }

    struct Command {
        let text: String
        let line: Int
        /// The answer the README shows under a command (`# {"Profiles": …}`).
        let shownAnswer: String?

        /// How ``ReadmeTests/plans`` names it: spaces collapsed.
        var key: String { text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
    }

    let blocks: [Block]

    static func load() -> Readme {
        let url = ReadmeTests.repository.appendingPathComponent("README.md")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var blocks: [Block] = []
        var open: (language: String, line: Int, indent: Int, lines: [String])?
        for (number, line) in text.components(separatedBy: "\n").enumerated() {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") {
                if let current = open {
                    blocks.append(Block(language: current.language, line: current.line, lines: current.lines))
                    open = nil
                } else {
                    open = (String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces), number + 1, line.count - trimmed.count, [])
                }
            } else if open != nil {
                open!.lines.append(String(line.dropFirst(min(open!.indent, line.prefix { $0 == " " }.count))))
            }
        }
        return Readme(blocks: blocks)
    }

    /// `jane.doe@example.com · Jane Doe (101)> profiles` → the prompt and what is typed after it.
    static func prompted(_ line: String) -> (prompt: String, typed: String)? {
        guard let match = line.firstMatch(of: /^((?:\[(?:rec|replay)\] )?(?:nexsh|\S+@\S+ · .+ \(\d+\)))> (.+)$/) else { return nil }
        return (String(match.output.1), String(match.output.2))
    }
}

import Foundation
import NexshAppTesting
import NexshTesting
import Testing

/// What a newcomer sees at a terminal of 80 columns, on the command line's help, and when a
/// request is slow: it fits, it reads, and it says where the user went wrong.
@Suite struct TerminalFitTests {
    func nexsh(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) async throws -> ProcessResult {
        try await InProcessNexsh.run(
            arguments, environment: ["NO_COLOR": "1", "NEXSH_SERVER": ""].merging(environment) { $1 },
            currentDirectory: directory
        )
    }

    func shell(home: URL, columns: UInt16) async throws -> PseudoTerminal {
        let terminal = try PseudoTerminal(BuildProducts.nexsh, [], environment: PseudoTerminal.shellEnvironment(home: home), columns: columns)
        try await terminal.waitFor("help lists the commands")
        try await prompt(terminal)
        return terminal
    }

    /// Waits for the prompt itself (help output may hold a "> " of its own) and raw mode.
    func prompt(_ terminal: PseudoTerminal, _ text: String = "nexsh> ") async throws {
        try await terminal.waitFor(text)
        try await terminal.waitForMode(raw: true)
    }

    /// Runs a typed line and returns what it printed, up to the next prompt.
    func run(_ line: String, in terminal: PseudoTerminal, until marker: String, prompt text: String = "(101)> ") async throws -> String {
        let before = terminal.visible.count
        terminal.type(line + "\r")
        _ = try await terminal.waitFor(marker)
        try await prompt(terminal, text)
        return String(terminal.visible.dropFirst(before))
    }

    @Test func tablesTeamsAndHelpFitEightyColumns() async throws {
        try await withTemporaryDirectory { home in
            let terminal = try await shell(home: home, columns: 80)
            defer { terminal.stop() }
            _ = try await run("login jane.doe@example.com --password correct-horse", in: terminal, until: "signed in as")
            var printed = try await run("profiles", in: terminal, until: "102 ")
            printed += try await run("teams", in: terminal, until: "Tech Innovators")
            printed += try await run("help", in: terminal, until: "help <command> explains one")
            printed += try await run("help get", in: terminal, until: "example")
            let endpoints = try await run("endpoints", in: terminal, until: "published")
            printed += endpoints
            // The summaries give way to the paths, which stay whole.
            #expect(endpoints.contains("/api/public/billing/coworkerContracts/v2/{id}/resume  "))
            let lines = printed.components(separatedBy: "\r\n").map { $0.replacingOccurrences(of: "\r", with: "") }
            #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.filter { $0.count > 80 })")
            // The profiles table gave up columns where it had to, and said so.
            #expect(printed.contains("…"))
            // Help breaks lines between words: the path is whole.
            #expect(printed.contains("/api/public/"))
            #expect(!lines.contains { $0.hasSuffix("/api/publ") })
            terminal.type("\u{04}")
            #expect(try await terminal.waitForExit() == 0)
        }
    }

    @Test func aRequestThatTakesLongShowsASpinnerOnATerminalOnly() async throws {
        try await withTemporaryDirectory { home in
            let terminal = try await shell(home: home, columns: 100)
            defer { terminal.stop() }
            // The sandbox holds the answer back for three seconds; the spinner shows after one.
            terminal.type("get /api/public/coworkers/profiles --header 'X-Sandbox-Fault: latency=3000ms'\r")
            try await terminal.waitFor("GET /api/public/coworkers/profiles 1.")
            _ = try await terminal.waitFor("401")
            try await prompt(terminal)
            terminal.type("\u{04}")
            #expect(try await terminal.waitForExit() == 0)
        }
        try await withTemporaryDirectory { directory in
            try Data("get /api/public/coworkers/profiles --header 'X-Sandbox-Fault: latency=1500ms'\nexpect status 401\n".utf8)
                .write(to: directory.appendingPathComponent("slow.nexsh"))
            let piped = try await nexsh(["run", "slow.nexsh", "--sandbox"], in: directory)
            #expect(piped.status == 0, "\(piped.standardOutput)\(piped.standardError)")
            #expect(!piped.standardError.contains("GET /api/public/coworkers/profiles 1."), "no spinner in a pipe")
        }
    }

    /// `--all` shows which page it has reached on one line of the terminal, cleared before the
    /// table; a pipe gets the table alone.
    @Test func aWalkOfThePagesShowsProgressOnATerminalOnly() async throws {
        try await withTemporaryDirectory { home in
            let terminal = try await shell(home: home, columns: 100)
            defer { terminal.stop() }
            _ = try await run("login jane.doe@example.com --password correct-horse", in: terminal, until: "signed in as")
            let printed = try await run("events --all", in: terminal, until: "8060 ")
            #expect(terminal.transcript.contains("\r\u{1B}[Kevents: page 2 of 3, asking for page 3…\r\u{1B}[K"), "\(terminal.transcript.suffix(300))")
            let before = terminal.transcript.count
            _ = try await run("invoices --all", in: terminal, until: "4001 ")
            #expect(!terminal.transcript.dropFirst(before).contains("invoices: page"), "one request, no progress")
            #expect(!printed.contains("stopped after"))
            terminal.type("\u{04}")
            #expect(try await terminal.waitForExit() == 0)
        }
        try await withTemporaryDirectory { directory in
            try Data("login jane.doe@example.com --password correct-horse\nevents --all\n".utf8).write(to: directory.appendingPathComponent("all.nexsh"))
            let piped = try await nexsh(["run", "all.nexsh", "--sandbox"], in: directory)
            #expect(piped.status == 0, "\(piped.standardOutput)\(piped.standardError)")
            #expect(piped.standardOutput.contains("\n8060  "))
            #expect(!piped.standardError.contains("events: page"), "\(piped.standardError)")
            #expect(!piped.standardOutput.contains("events: page"))
        }
    }

    @Test func aMistypedSubcommandIsNamedWithTheOneMeantAndItsUsage() async throws {
        let cases: [(arguments: [String], error: String, usage: String)] = [
            (["cassete", "inspect", "x.har"], "Error: unknown command 'cassete' — did you mean 'cassette'?", "Usage: nexsh cassette <subcommand>"),
            (["cassette", "inspekt", "x.har"], "Error: unknown command 'inspekt' — did you mean 'inspect'?", "Usage: nexsh cassette inspect <file>"),
            (["rn", "s.nexsh"], "Error: unknown command 'rn' — did you mean 'run'?", "Usage: nexsh run [<options>] <script> ..."),
            (["frobnicate"], "Error: unknown command 'frobnicate' (nexsh knows shell, run, bundle, sandbox, cassette)", "Usage: nexsh <subcommand>"),
        ]
        for item in cases {
            let result = try await nexsh(item.arguments)
            #expect(result.status == 3, "\(item.arguments)")
            #expect(result.standardError.contains(item.error), "\(result.standardError)")
            #expect(result.standardError.contains(item.usage), "\(result.standardError)")
            #expect(!result.standardError.contains("nexsh shell"), "not the shell's usage")
        }
    }

    @Test func commandLineHelpHasNoLineBrokenInsideASentence() async throws {
        let sentences: [(arguments: [String], sentence: String)] = [
            (["run", "--help"], "With several scripts, --cassette names a folder: each script gets <folder>/<name>.har."),
            (["bundle", "create", "--help"], "A script that fails still makes a bundle: reproducing a failure is what a bug report is for."),
            (["cassette", "diff", "--help"], "Dates, timings, hosts and volatile headers (Date, ETag, Content-Length, request ids…) are ignored."),
        ]
        for item in sentences {
            // Wide enough for every sentence: a break inside one is then the text's own.
            let result = try await nexsh(item.arguments, environment: ["COLUMNS": "400"])
            #expect(result.status == 0)
            #expect(result.standardOutput.contains(item.sentence), "\(item.arguments): \(result.standardOutput)")
        }
    }

    /// One exchange added in the middle of a recording is one difference, not every later entry.
    @Test func cassetteDiffAlignsEntriesByRequest() async throws {
        func entry(_ path: String, _ body: String) -> String {
            """
            {"startedDateTime": "2026-01-01T00:00:00.000Z", "time": 1, "request": {"method": "GET", "url": "http://h\(path)", "httpVersion": "HTTP/1.1", \
            "cookies": [], "headers": [], "queryString": [], "headersSize": -1, "bodySize": 0}, "response": {"status": 200, "statusText": "OK", \
            "httpVersion": "HTTP/1.1", "cookies": [], "headers": [], "content": {"size": 2, "mimeType": "application/json", "text": "\(body)"}, \
            "redirectURL": "", "headersSize": -1, "bodySize": 2}, "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}
            """
        }
        func har(_ entries: [String]) -> Data {
            Data(#"{"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": [\#(entries.joined(separator: ","))]}}"#.utf8)
        }
        let paths = ["/a", "/b", "/c", "/d", "/e", "/f", "/g"]
        try await withTemporaryDirectory { directory in
            try har(paths.map { entry($0, "{}") }).write(to: directory.appendingPathComponent("before.har"))
            var after = paths.map { entry($0, "{}") }
            after.insert(entry("/new", "{}"), at: 2)
            after[6] = entry("/f", #"{\"x\": 1}"#)
            try har(after).write(to: directory.appendingPathComponent("after.har"))
            let result = try await nexsh(["cassette", "diff", "before.har", "after.har"], in: directory)
            #expect(result.status == 1)
            #expect(result.standardOutput == """
                #3 GET /new
                    only in after.har
                #6 GET /f
                    body .x: absent → 1
                2 of 8 entries differ

                """)
        }
    }
}

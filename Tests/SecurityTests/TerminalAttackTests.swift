import Foundation
import NexshAppTesting
import NexshTesting
import Testing

/// Attacks on the terminal: escape sequences, C1 controls and bidirectional overrides in every
/// field of a HAR, a bundle, a VCR cassette, a script and a server's answer. Every command that
/// prints or reports them must show them escaped: nothing hostile reaches standard output,
/// standard error or a report (``ControlOracle``).
@Suite struct TerminalAttackTests {
    /// Retitles the window, sets the clipboard, clears the screen with a C1 CSI, and reverses
    /// the text that follows.
    static let payload = "\u{1B}]0;pwned\u{07}\u{1B}]52;c;aGk=\u{07}\u{9B}2J\u{202E}\u{7F}\r"

    func nexsh(_ arguments: [String], in directory: URL) async throws -> ProcessResult {
        try await InProcessNexsh.run(arguments, environment: ["NO_COLOR": "1", "NEXSH_SERVER": ""], currentDirectory: directory)
    }

    func expectNothingHostile(_ result: ProcessResult, _ what: String) {
        #expect(ControlOracle.hostile(in: result.standardOutput) == [], "\(what): stdout \(result.standardOutput)")
        #expect(ControlOracle.hostile(in: result.standardError) == [], "\(what): stderr \(result.standardError)")
    }

    /// A JSON string of the payload with a tag, for a HAR field.
    static func field(_ tag: String) -> String {
        let escaped = (tag + payload).unicodeScalars.map { scalar in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value > 0x7E
                ? String(format: "\\u%04x", scalar.value) : String(scalar)
        }.joined()
        return "\"\(escaped)\""
    }

    /// A bundle whose every field holds the payload: methods, URLs, header names and values,
    /// status texts, bodies, comments, `_` fields, the script, its variables and its server.
    static func hostileBundle(_ revision: String) -> String {
        func entry(method: String, path: String, body: String) -> String {
            """
            {"startedDateTime": "2026-01-01T00:00:00.000Z", "time": 1, "comment": \(field("comment")), "_note": \(field("entry-ext")),
             "request": {"method": \(method), "url": "http://127.0.0.1:9/\(path)", "httpVersion": "HTTP/1.1", "cookies": [],
               "headers": [{"name": "X-Evil", "value": \(field("request-header"))}], "queryString": [], "headersSize": -1, "bodySize": 0,
               "comment": \(field("request-comment"))},
             "response": {"status": 200, "statusText": \(field("status\(revision)")), "httpVersion": "HTTP/1.1", "cookies": [],
               "headers": [{"name": \(field("Header-Name")), "value": \(field("response-header"))}, {"name": "Content-Type", "value": "text/plain"}],
               "content": {"size": 1, "mimeType": "text/plain", "text": \(body)}, "redirectURL": "", "headersSize": -1, "bodySize": 1},
             "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}
            """
        }
        let script = "get /x\\nexpect status 200\\necho \(field("echo").dropFirst().dropLast())\\nexpect body == \(field("expected"))"
            .replacingOccurrences(of: "\"", with: "\\\"")
        return """
            {"log": {"version": "1.2", "creator": {"name": \(field("creator")), "version": \(field("v"))}, "comment": \(field("log-comment")),
             "entries": [\(entry(method: "\"GET\"", path: "x", body: field("body\(revision)"))),
                         \(entry(method: field("GET"), path: "y%1B%5D0;t%07\\u202e", body: field("unused")))],
             "_script": {"name": \(field("name")), "text": "\(script)"}, "_variables": {"v": \(field("variable"))},
             "_server": \(field("server")), "_nexshVersion": \(field("version")), "_extra": \(field("extension"))}}
            """
    }

    @Test func hostileBytesInEveryFieldOfAHARAreShownEscapedByEveryCommand() async throws {
        try await withTemporaryDirectory { directory in
            try Data(Self.hostileBundle("").utf8).write(to: directory.appendingPathComponent("h.har"))
            try Data(Self.hostileBundle("-2").utf8).write(to: directory.appendingPathComponent("h2.har"))
            let commands: [[String]] = [
                ["cassette", "inspect", "h.har"],
                ["cassette", "verify", "h.har"],
                ["cassette", "diff", "h.har", "h2.har"],
                ["cassette", "volatile", "h.har"],
                ["bundle", "show", "h.har"],
                ["run", "h.har", "--report", "tap:r.tap", "--report", "junit:r.xml", "--report", "html:r.html"],
            ]
            for arguments in commands {
                let result = try await nexsh(arguments, in: directory)
                #expect(result.status != 2 || arguments[0] == "run", "\(arguments): \(result.standardError)")
                expectNothingHostile(result, arguments.joined(separator: " "))
            }
            // The run read the bundle, replayed it, and failed the expectation on purpose.
            let run = try await nexsh(["run", "h.har"], in: directory)
            #expect(run.status == 1, "\(run.standardOutput)\(run.standardError)")
            #expect(run.standardOutput.contains(#"\u{1B}]0;pwned\u{07}"#), "shown, escaped")
            for report in ["r.tap", "r.xml", "r.html"] {
                let data = try Data(contentsOf: directory.appendingPathComponent(report))
                #expect(ControlOracle.hostile(in: data) == [], "\(report)")
                #expect(String(decoding: data, as: UTF8.self).contains(#"\u{9B}2J"#), "\(report) shows the payload escaped")
            }
        }
    }

    @Test func aVCRCassetteWithAHostileMethodIsImportedAndShownEscaped() async throws {
        let yaml = """
            interactions:
            - request:
                body: null
                headers: {}
                method: "GET\\e]52;c;aGk=\\a\\e]0;pwned\\a\\x9B2J"
                uri: "http://h/\\u202Eevil"
              response:
                body: {string: "ok\\e[2J"}
                headers: {}
                status: {code: 200, message: "OK\\x9B"}
            version: 1

            """
        try await withTemporaryDirectory { directory in
            try Data(yaml.utf8).write(to: directory.appendingPathComponent("vcr.yaml"))
            for arguments in [["cassette", "import", "vcr.yaml", "-o", "out.har"], ["cassette", "inspect", "out.har"], ["cassette", "verify", "vcr.yaml"]] {
                let result = try await nexsh(arguments, in: directory)
                #expect(result.status == 0, "\(arguments): \(result.standardOutput)\(result.standardError)")
                expectNothingHostile(result, arguments.joined(separator: " "))
            }
        }
    }

    /// A script with a bidirectional override and a server whose answers carry the payload in
    /// the status text, a header, the body and a JSON value: `run` and its reports, the
    /// verbose `last --headers`, and a failed expectation show it escaped.
    @Test func aServerOrAScriptCannotSendControlsThroughRun() async throws {
        let routes = [
            TestRoute("GET", "/x") { _ in
                CannedResponse(headers: [("Content-Type", "application/json"), ("X-Evil", "a\u{9B}2J")], text: #"{"name": "\#(Self.payload.unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined())"}"#)
            },
            TestRoute("GET", "/plain") { _ in
                CannedResponse(headers: [("Content-Type", "text/plain")], text: "plain " + Self.payload)
            },
        ]
        try await withTemporaryDirectory { directory in
            let script = """
                echo "before \u{202E}after"
                get /x
                last --headers
                get /plain
                get /x
                expect .name == "something else"

                """
            try Data(script.utf8).write(to: directory.appendingPathComponent("s.nexsh"))
            try await withTestServer(routes) { url in
                let result = try await nexsh(["run", "s.nexsh", "--server", url.absoluteString, "--report", "tap:r.tap", "--report", "junit:r.xml", "--report", "html:r.html"], in: directory)
                #expect(result.status == 1, "\(result.standardOutput)\(result.standardError)")
                expectNothingHostile(result, "run")
                #expect(result.standardOutput.contains(#"before \u{202E}after"#))
            }
            for report in ["r.tap", "r.xml", "r.html"] {
                #expect(ControlOracle.hostile(in: try Data(contentsOf: directory.appendingPathComponent(report))) == [], "\(report)")
            }
        }
    }

    /// An error of several lines (a replay miss lists the closest entries) keeps its lines on
    /// standard output and in a TAP report, instead of showing `\n`.
    @Test func aMultiLineErrorKeepsItsLines() async throws {
        try await withTemporaryDirectory { directory in
            try Data("login jane.doe@example.com --password-env NEXSH_PASSWORD\n".utf8).write(to: directory.appendingPathComponent("a.nexsh"))
            try Data("login jane.doe@example.com --password-env NEXSH_PASSWORD\nget /api/public/nothing\n".utf8)
                .write(to: directory.appendingPathComponent("b.nexsh"))
            let environment = ["NO_COLOR": "1", "NEXSH_SERVER": "", "NEXSH_PASSWORD": "correct-horse"]
            let recorded = try await InProcessNexsh.run(
                ["run", "a.nexsh", "--sandbox", "--cassette", "c.har", "--mode", "record"], environment: environment, currentDirectory: directory
            )
            #expect(recorded.status == 0, "\(recorded.standardOutput)\(recorded.standardError)")
            let missed = try await InProcessNexsh.run(
                ["run", "b.nexsh", "--cassette", "c.har", "--report", "tap:r.tap"], environment: environment, currentDirectory: directory
            )
            #expect(missed.status == 1)
            #expect(missed.standardError.contains("(mode replay, 2 entries)\n  closest recorded entries:\n    #"), "\(missed.standardError)")
            #expect(!missed.standardError.contains(#"\n"#))
            let tap = try String(contentsOf: directory.appendingPathComponent("r.tap"), encoding: .utf8)
            #expect(tap.contains("\n      closest recorded entries:\n"), "\(tap)")
            #expect(!tap.contains(#"\n"#))
        }
    }

    /// What the interactive shell prints from a script line or a server goes through the same
    /// writer: a bidirectional override and an escape sequence arrive escaped.
    @Test func theInteractiveShellShowsHostileTextEscaped() async throws {
        try await withTemporaryDirectory { home in
            let terminal = try PseudoTerminal(BuildProducts.nexsh, [], environment: PseudoTerminal.shellEnvironment(home: home))
            defer { terminal.stop() }
            try await terminal.waitFor("help lists the commands")
            try await terminal.waitFor("> ")
            try await terminal.waitForMode(raw: true)
            terminal.type("echo \"x\\u{202E}y\"\r")
            // The shell's language has no \u escape: the typed text is shown as it is. A value
            // with the real character comes from a variable set by a line that holds it.
            try await terminal.waitFor("x\\u{202E}y")
            try await terminal.waitForMode(raw: true)
            terminal.type("set v \u{16}\u{1B}]0;pwned\u{16}\u{07}\r")
            try await terminal.waitFor("> ")
            try await terminal.waitForMode(raw: true)
            terminal.type("echo ${v}\r")
            try await terminal.waitFor(#"\u{1B}]0;pwned\u{07}"#)
            #expect(!terminal.transcript.contains("\u{1B}]0;pwned\u{07}"))
            // Ctrl-D only once the line editor reads again: typed while the terminal is still in
            // the mode a running command leaves it, it was lost now and then.
            try await terminal.waitForMode(raw: true)
            terminal.type("\u{04}")
            #expect(try await terminal.waitForExit() == 0)
        }
    }
}

import Foundation
import NexshAppTesting
import NexshTesting
import Testing

/// What a support engineer meets when a customer's script, cassette or server misbehaves: every
/// fault and bad input is a clear error with a place and an exit status, never a crash or a hang.
@Suite struct ReliabilityTests {
    /// `nexsh` in-process; the tests of a reader that goes away and of a killed recorder launch
    /// the binary, since the process is what they test.
    func nexsh(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) async throws -> ProcessResult {
        try await InProcessNexsh.run(
            arguments, environment: ["NO_COLOR": "1", "NEXSH_SERVER": ""].merging(environment) { $1 }, currentDirectory: directory
        )
    }

    /// The built binary, with its sandbox's threads to itself: for a read timeout of 300 ms
    /// that even the sign-in must beat, which the threads of the test process, shared by every
    /// test running at once, could not promise.
    func binary(_ arguments: [String], in directory: URL) async throws -> ProcessResult {
        try await ChildProcess.run(BuildProducts.nexsh, arguments, environment: ["NO_COLOR": "1", "NEXSH_SERVER": ""], currentDirectory: directory)
    }

    func write(_ text: String, to name: String, in directory: URL) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    static let profiles = "/api/public/coworkers/profiles"
    static let login = "login jane.doe@example.com --password correct-horse\n"
    /// The summary of `s.nexsh`, which expects nothing, on standard error.
    static let passedNothing = "✔ s.nexsh: 0 expectations passed\n0 passed, 0 failed\n"

    // MARK: Bad scripts

    @Test func everyBadScriptIsAnErrorWithItsPlaceAndStatus2() async throws {
        let cases: [(name: String, content: Data, place: String)] = [
            ("quote", Data("echo fine\nlogin \"jane\n".utf8), "quote.nexsh:2:7:"),
            ("unknown", Data("profils\n".utf8), "unknown.nexsh:1:1:"),
            ("flag", Data("profiles --bogus\n".utf8), "flag.nexsh:1:10:"),
            ("path", Data("expect .Profiles[ == 1\n".utf8), "path.nexsh:1:18:"),
            ("variable", Data("set a 1\necho ${a} ${b}\n".utf8), "variable.nexsh:2:11:"),
            ("unset", Data("set a 1\nunset a\necho ${a}\n".utf8), "unset.nexsh:3:6:"),
            ("environment", Data("echo ${env.NEXSH_NO_SUCH_VARIABLE}\n".utf8), "environment.nexsh:1:6:"),
            ("binary", Data("echo one\necho tw\u{F6}\n".utf8.map { $0 }.dropLast(3) + [0xFF, 0xFE, 0x0A]), "binary.nexsh:2:8:"),
            ("huge", Data(("echo \"" + String(repeating: "x", count: 10 << 20) + "\n").utf8), "huge.nexsh:1:6:"),
        ]
        try await withTemporaryDirectory { directory in
            for item in cases {
                try item.content.write(to: directory.appendingPathComponent("\(item.name).nexsh"))
                let result = try await nexsh(["run", "\(item.name).nexsh"], in: directory)
                #expect(result.status == 2, "\(item.name): \(result.standardError)")
                let lines = result.standardError.split(separator: "\n").filter { $0 != "1 script could not be read; nothing ran" }
                #expect(lines.first?.hasPrefix(item.place + " error: ") == true, "\(item.name): \(result.standardError.prefix(300))")
                #expect(lines.count <= 4 && lines.allSatisfy { $0.count < 200 }, "\(item.name): a short error, not the whole line")
                #expect(result.standardOutput == "")
                #expect(result.standardError.hasSuffix("\n1 script could not be read; nothing ran\n"))
            }
        }
    }

    static let sixMistakes = """
        login jane.doe@example.com --password correct-horse
        profils
        expect status abc
        switch abc
        echo "open
        sleep forever
        expect .User.Id ~= 42
        echo done

        """

    /// The places of the mistakes a run reported, in the order reported, and how many carets.
    func mistakes(_ result: ProcessResult, file: String) -> (places: [String], carets: Int) {
        let lines = result.standardError.split(separator: "\n").map(String.init)
        let places = lines.filter { $0.hasPrefix(file + ":") && $0.contains(": error: ") }.map { String($0.prefix { $0 != " " }.dropLast()) }
        return (places, lines.filter { $0.trimmingCharacters(in: .whitespaces) == "^" }.count)
    }

    @Test func everyMistakeOfAScriptIsReportedAtOnceFromAFileStandardInputOrABundle() async throws {
        let expected = ["2:1", "3:15", "4:8", "5:6", "6:7", "7:17"]
        try await withTemporaryDirectory { directory in
            try write(Self.sixMistakes, to: "six.nexsh", in: directory)
            let file = try await nexsh(["run", "six.nexsh"], in: directory)
            #expect(file.status == 2)
            #expect(file.standardOutput == "", "nothing ran: not even the login")
            #expect(file.standardError.hasSuffix("\n1 script could not be read; nothing ran\n"))
            let found = mistakes(file, file: "six.nexsh")
            #expect(found.places == expected.map { "six.nexsh:" + $0 }, "\(file.standardError)")
            #expect(found.carets == expected.count)
            #expect(file.standardError.contains("six.nexsh:5:6: error: unterminated double quote\n    echo \"open\n         ^\nsix.nexsh:6:7: error: sleep:"),
                    "each mistake as a single one is shown, one after the other")

            let piped = try await InProcessNexsh.run(
                ["run", "-"], environment: ["NO_COLOR": "1", "NEXSH_SERVER": ""], currentDirectory: directory,
                standardInput: Data(Self.sixMistakes.utf8)
            )
            #expect(piped.status == 2)
            #expect(mistakes(piped, file: "<stdin>").places == expected.map { "<stdin>:" + $0 }, "\(piped.standardError)")

            // A bundle made from a recording carries the script as it is; running it reads it first.
            try write(Self.login, to: "ok.nexsh", in: directory)
            #expect(try await nexsh(["run", "ok.nexsh", "--cassette", "ok.har", "--mode", "record"], in: directory).status == 0)
            let created = try await nexsh(["bundle", "create", "bug.har", "--script", "six.nexsh", "--cassette", "ok.har"], in: directory)
            #expect(created.status == 0, "\(created.standardError)")
            let bundle = try await nexsh(["run", "bug.har"], in: directory)
            #expect(bundle.status == 2)
            #expect(mistakes(bundle, file: "bug.har").places == expected.map { "bug.har:" + $0 }, "\(bundle.standardError)")
            #expect(bundle.standardOutput == "")
            #expect(bundle.standardError.hasSuffix("\n1 script could not be read; nothing ran\n"))
        }
    }

    @Test func pastTwentyMistakesTheRestAreCounted() async throws {
        try await withTemporaryDirectory { directory in
            try write(String(repeating: "profils\n", count: 25), to: "many.nexsh", in: directory)
            let result = try await nexsh(["run", "many.nexsh"], in: directory)
            #expect(result.status == 2)
            #expect(mistakes(result, file: "many.nexsh").places == (1...20).map { "many.nexsh:\($0):1" })
            #expect(result.standardError.hasSuffix("\nand 5 more mistakes\n1 script could not be read; nothing ran\n"))
        }
    }

    @Test func checksThatNeedNoServerAreMadeBeforeTheFirstRequest() async throws {
        let script = """
            login jane.doe@example.com --password correct-horse
            login
            expect count(.Profiles) > abc
            expect .User.Id < "50"
            help swich
            server ftp://example.com
            login ${email} --password correct-horse

            """
        try await withTemporaryDirectory { directory in
            try write(script, to: "late.nexsh", in: directory)
            let result = try await nexsh(["run", "late.nexsh", "--var", "email=jane.doe@example.com"], in: directory)
            #expect(result.status == 2, "\(result.standardOutput)")
            #expect(result.standardOutput == "", "the first login sent nothing")
            #expect(result.standardError.hasSuffix("\n1 script could not be read; nothing ran\n"))
            #expect(mistakes(result, file: "late.nexsh").places == ["late.nexsh:2:6", "late.nexsh:3:27", "late.nexsh:4:19", "late.nexsh:5:6", "late.nexsh:6:8"],
                    "\(result.standardError)")
            for message in [
                "login: missing <email> (a script has nobody to ask for it)", "expect: 'abc' is not a number; > compares numbers",
                #"expect: '"50"' is quoted, so it is text; < compares numbers: write 50"#, "help: no command 'swich' — did you mean 'switch'? (no endpoint mentions it either: endpoints lists them all)",
                "server: 'ftp://example.com' is neither an http:// or https:// URL nor a space name (letters, digits and hyphens, such as coolspace)",
            ] {
                #expect(result.standardError.contains(message + "\n"), "\(message)")
            }
        }
    }

    @Test func variablesSetByVarOrEarlierLinesAreKnown() async throws {
        try await withTemporaryDirectory { directory in
            try write("echo ${who}\ncapture code status\nset b ${who}-2\necho ${b}\n", to: "ok.nexsh", in: directory)
            let result = try await nexsh(["run", "ok.nexsh", "--var", "who=jane"], in: directory)
            // Reading passed (capture fails at run time: no request was made), so status 1, not 2.
            #expect(result.status == 1)
            #expect(result.standardOutput.hasPrefix("jane\n"))
            #expect(result.standardError.hasPrefix("ok.nexsh:2:1: error: nothing to capture"))
        }
    }

    @Test func aReaderThatGoesAwayEndsTheRunQuietly() async throws {
        try await withTemporaryDirectory { directory in
            try write((1...5000).map { "echo line \($0)\n" }.joined(), to: "long.nexsh", in: directory)
            let result = try await ChildProcess.run(
                URL(fileURLWithPath: "/bin/bash"), ["-c", "'\(BuildProducts.nexsh.path)' run long.nexsh | head -2; echo \"status ${PIPESTATUS[0]}\""],
                environment: ["NO_COLOR": "1", "NEXSH_SERVER": ""], currentDirectory: directory
            )
            #expect(result.standardOutput == "line 1\nline 2\nstatus 141\n", "ended by SIGPIPE, as cat would be")
            #expect(result.standardError.isEmpty, "no crash report")
        }
    }

    // MARK: Faults from the server

    @Test func timeoutsFailuresAndDropsAreClearErrorsAndStopAScript() async throws {
        try await withTemporaryDirectory { directory in
            try write(Self.login + """
                get \(Self.profiles) --header "X-Sandbox-Fault: latency=1s"
                get \(Self.profiles) --header "X-Sandbox-Fault: status=503"
                get \(Self.profiles) --header "X-Sandbox-Fault: drop"
                echo end
                """, to: "faults.nexsh", in: directory)
            let stopped = try await binary(["run", "faults.nexsh", "--read-timeout", "0.3"], in: directory)
            #expect(stopped.status == 1)
            #expect(stopped.standardError.contains(#/faults.nexsh:2:1: error: GET http://127.0.0.1:\d+/api/public/coworkers/profiles: no answer within 300ms \(read timeout\)/#))
            #expect(!stopped.standardOutput.contains("503 Service"))
            #expect(stopped.standardError.hasSuffix("✘ faults.nexsh: failed at line 2\n0 passed, 1 failed\n"))

            let all = try await binary(["run", "faults.nexsh", "--read-timeout", "0.3", "--keep-going"], in: directory)
            #expect(all.status == 1)
            #expect(all.standardError.contains(
                "faults.nexsh:3:1: error: GET /api/public/coworkers/profiles → 503 Service Unavailable: Fault injected by the sandbox: 503 Service Unavailable\n"
            ))
            #expect(all.standardError.contains(#/faults.nexsh:4:1: error: GET http://127.0.0.1:\d+/api/public/coworkers/profiles: the server closed the connection before answering completely/#))
            #expect(all.standardOutput.contains("\nend\n"))
            #expect(all.standardError.hasSuffix("0 passed, 3 failed\n"))
        }
    }

    @Test func retriesRepeatIdempotentRequestsOnlyAndNeverInReplay() async throws {
        try await withTemporaryDirectory { directory in
            try write(Self.login + """
                get \(Self.profiles) --header "X-Sandbox-Fault: status=503,times=2"
                expect status 200
                """, to: "flaky.nexsh", in: directory)
            let without = try await nexsh(["run", "flaky.nexsh"], in: directory)
            #expect(without.status == 1)

            let retried = try await nexsh(["run", "flaky.nexsh", "--retries", "3", "--cassette", "flaky.har", "--mode", "record"], in: directory)
            #expect(retried.status == 0, "\(retried.standardOutput)")
            let notes = retried.standardError.split(separator: "\n").filter { $0.hasPrefix("note: ") }
            #expect(notes.count == 2)
            #expect(notes.allSatisfy { $0.hasPrefix("note: GET /api/public/coworkers/profiles answered 503; retry ") })
            #expect(notes.first?.contains("retry 1 of 3 in ") == true)
            // Only the answer that was used is recorded.
            let statuses = try Self.recordedStatuses(directory.appendingPathComponent("flaky.har"))
            #expect(statuses == [200, 200, 200], "sign-in (2), then the one GET")

            // A POST changes things each time it is sent: never retried.
            try write("post /api/token --header \"X-Sandbox-Fault: status=503,times=1\"\n", to: "post.nexsh", in: directory)
            let post = try await nexsh(["run", "post.nexsh", "--retries", "3"], in: directory)
            #expect(post.status == 1)
            #expect(!post.standardError.contains("note: "), "no retry")

            // A recorded 503 is a real answer: it replays as such, once, with --retries or not.
            try write(Self.login + "get \(Self.profiles) --header \"X-Sandbox-Fault: status=503\"\nexpect status 503\n", to: "down.nexsh", in: directory)
            let recorded = try await nexsh(["run", "down.nexsh", "--cassette", "down.har", "--mode", "record"], in: directory)
            #expect(recorded.status == 0, "\(recorded.standardOutput)")
            #expect(try Self.recordedStatuses(directory.appendingPathComponent("down.har")) == [200, 200, 503])
            let replayed = try await nexsh(["run", "down.nexsh", "--cassette", "down.har", "--retries", "3"], in: directory)
            #expect(replayed.status == 0, "\(replayed.standardOutput)")
            #expect(!replayed.standardError.contains("note: "), "no retry")
            #expect(replayed.standardOutput == recorded.standardOutput)
        }
    }

    @Test func aTransportFailureIsNeverRecordedAsAnAnswer() async throws {
        try await withTemporaryDirectory { directory in
            try write(Self.login + """
                get \(Self.profiles) --header "X-Sandbox-Fault: drop"
                get \(Self.profiles)
                """, to: "drop.nexsh", in: directory)
            let result = try await nexsh(["run", "drop.nexsh", "--cassette", "drop.har", "--mode", "record", "--keep-going"], in: directory)
            #expect(result.status == 1)
            #expect(try Self.recordedStatuses(directory.appendingPathComponent("drop.har")) == [200, 200, 200], "sign-in (2) and the GET after the drop")
        }
    }

    // MARK: Hostile and odd responses

    @Test func responsesCannotDriveTheTerminalAndOddBodiesAreShownSafely() async throws {
        let escape = "\u{1B}]0;pwned\u{07}\u{1B}[2J"
        let big = "{\"a\":\"" + String(repeating: "x", count: 3 << 20) + "\"}"
        let routes = [
            TestRoute("GET", "/json") { _ in CannedResponse(headers: [("Content-Type", "application/json")], text: "{\"Name\":\"\\u001b]0;pwned\\u0007\\u001b[2J\"}") },
            TestRoute("GET", "/text") { _ in CannedResponse(headers: [("Content-Type", "text/plain")], text: "hello \(escape) world") },
            TestRoute("GET", "/latin1") { _ in CannedResponse(headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array("caf".utf8) + [0xE9]) },
            TestRoute("GET", "/big") { _ in CannedResponse(headers: [("Content-Type", "application/json")], text: big) },
            TestRoute("POST", "/api/token") { _ in CannedResponse(headers: [("Content-Type", "text/html")], text: "<html>\(escape)Maintenance</html>") },
        ]
        try await withTestServer(routes) { server in
            try await withTemporaryDirectory { directory in
                try write("get /json\nget /text\nget /latin1\nget /big\nexpect .a contains xxxxxxxx\nlogin jane.doe@example.com --password x\n", to: "odd.nexsh", in: directory)
                let result = try await nexsh(
                    ["run", "odd.nexsh", "--server", server.absoluteString, "--keep-going", "--cassette", "odd.har", "--mode", "record"], in: directory
                )
                #expect(result.status == 1)
                let output = result.standardOutput
                #expect(!output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "no control character reaches the terminal")
                #expect(output.contains(#""Name": "\u001b]0;pwned\u0007\u001b[2J""#))
                #expect(output.contains(#"hello \u{1B}]0;pwned\u{07}\u{1B}[2J world"#))
                #expect(output.contains("caf\u{FFFD}\n(not valid UTF-8: bytes that are not are shown as \u{FFFD})\n"))
                #expect(output.contains("… (1048576 of \(big.utf8.count) bytes shown; expect, capture and the cassette use the whole body)\n"))
                // Issue 16: a web page where the token should be is a failed sign-in, and says which host to try.
                #expect(result.standardError.contains("odd.nexsh:6:1: error: sign-in failed: the server answered 200 OK with a web page, not the token endpoint's JSON; try --auth-server https://spaces.nexudus.com"))
                #expect(result.standardError.hasSuffix("1 passed, 1 failed\n"), "the expectation on the whole 3 MB body held")
                #expect(!result.standardError.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })

                let har = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("odd.har"))) as! [String: Any]
                let entries = (har["log"] as! [String: Any])["entries"] as! [[String: Any]]
                let bigText = ((entries[3]["response"] as! [String: Any])["content"] as! [String: Any])["text"] as! String
                #expect(bigText == big, "the cassette keeps the whole body")
            }
        }
    }

    // MARK: Nothing lost

    @Test func aSecondRecorderIsRefusedWhileTheFirstRecords() async throws {
        try await withTemporaryDirectory { directory in
            try write(Self.login + "sleep 60000\n", to: "slow.nexsh", in: directory)
            try write(Self.login, to: "quick.nexsh", in: directory)
            let first = try ChildProcess(
                BuildProducts.nexsh, ["run", "slow.nexsh", "--cassette", "shared.har", "--mode", "record"],
                environment: ["NO_COLOR": "1", "NEXSH_SERVER": ""], currentDirectory: directory
            )
            defer { first.stop() }
            _ = try await first.waitForOutput(matching: "signed in as")
            let lockFile = directory.appendingPathComponent("shared.har.lock")
            #expect(FileManager.default.fileExists(atPath: lockFile.path))
            let recorded = try Data(contentsOf: directory.appendingPathComponent("shared.har"))

            for mode in ["record", "new"] {
                let second = try await nexsh(["run", "quick.nexsh", "--cassette", "shared.har", "--mode", mode], in: directory)
                #expect(second.status == 2)
                #expect(second.standardError.contains(
                    "error: another nexsh (process \(first.processIdentifier)) is recording into \(directory.appendingPathComponent("shared.har").path); wait for it to finish, or record into another file"
                ))
            }
            #expect(try Data(contentsOf: directory.appendingPathComponent("shared.har")) == recorded, "the first recording is untouched")
            // Replaying while another records is reading only: allowed.
            let replay = try await nexsh(["run", "quick.nexsh", "--cassette", "shared.har"], in: directory)
            #expect(replay.status == 0)

            // A recorder killed outright leaves its lock file, but not the lock.
            first.signal(SIGKILL)
            _ = try await first.waitForExit()
            let again = try await nexsh(["run", "quick.nexsh", "--cassette", "shared.har", "--mode", "record"], in: directory)
            #expect(again.status == 0, "\(again.standardOutput)")
            #expect(!FileManager.default.fileExists(atPath: lockFile.path), "a finished recording removes its lock file")
        }
    }

    @Test func fiveHundredScriptsInEightJobsReportEachResultOnceWithoutMixingSessions() async throws {
        try await withTemporaryDirectory { directory in
            for index in 0..<500 {
                // Each script's own account and profile, checked after a switch, and its own failure pattern.
                let script = index % 2 == 0
                    ? Self.login + "switch \(index % 4 == 0 ? 102 : 101)\nprofiles\nexpect .User.Email == \"jane.doe@example.com\"\necho job \(index)\n"
                    : "login sam.roe@example.com --password battery-staple\nexpect .Profiles[0].Id == 201\necho job \(index)\n"
                try write(index % 97 == 0 ? script + "expect status 500\n" : script, to: String(format: "job%03d.nexsh", index), in: directory)
            }
            let result = try await nexsh(["run", ".", "--jobs", "8", "--keep-going"], in: directory)
            #expect(result.status == 1)
            let (output, data) = (result.standardError, result.standardOutput)
            for index in 0..<500 {
                let name = String(format: "./job%03d.nexsh", index)
                #expect(output.components(separatedBy: "── \(name)\n").count == 2, "\(name) has one heading")
                #expect(data.components(separatedBy: "\njob \(index)\n").count == 2, "\(name) ran once")
                let verdict = index % 97 == 0 ? "✘ \(name): failed at line " : "✔ \(name): "
                #expect(output.components(separatedBy: verdict).count == 2, "\(name) is reported once, with its own verdict")
            }
            #expect(output.hasSuffix("500 passed, 6 failed\n"))
        }
    }

    /// CI runs as root, where file permissions do not stop a write; a small tmpfs does.
    static let canMount: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/bin/mount") else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("nexsh-mount-probe-\(getpid())")
        defer { try? FileManager.default.removeItem(at: probe) }
        try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", probe.path]) == 0 else { return false }
        return run("/bin/umount", [probe.path]) == 0
    }()

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test(.enabled(if: canMount, "needs root and mount (CI has both)"))
    func aFullDiskOrReadOnlyFolderLeavesThePreviousCassetteIntact() async throws {
        try await withTemporaryDirectory { directory in
            let disk = directory.appendingPathComponent("disk")
            try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
            #expect(Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", disk.path]) == 0)
            defer { Self.run("/bin/umount", [disk.path]) }

            try write(Self.login + "profiles\n", to: "s.nexsh", in: directory)
            let first = try await nexsh(["run", "s.nexsh", "--cassette", "disk/c.har", "--mode", "record"], in: directory)
            #expect(first.status == 0, "\(first.standardOutput)")
            let cassette = disk.appendingPathComponent("c.har")
            let before = try Data(contentsOf: cassette)

            // Fill the disk, leaving less than the cassette needs.
            let filler = disk.appendingPathComponent("filler")
            #expect(FileManager.default.createFile(atPath: filler.path, contents: nil))
            let handle = try FileHandle(forWritingTo: filler)
            let block = Data(count: 4096)
            while (try? handle.write(contentsOf: block)) != nil {}
            try handle.close()

            let full = try await nexsh(["run", "s.nexsh", "--cassette", "disk/c.har", "--mode", "record"], in: directory)
            #expect(full.status == 1)
            #expect(full.standardError.contains("could not write the cassette \(cassette.path): cannot write: the disk is full; the previous file is unchanged"))
            #expect(try Data(contentsOf: cassette) == before)
            let left = try FileManager.default.contentsOfDirectory(atPath: disk.path).sorted()
            #expect(left == ["c.har", "filler"], "no temporary or lock file left behind")

            try FileManager.default.removeItem(at: filler)
            #expect(Self.run("/bin/mount", ["-o", "remount,ro", disk.path]) == 0)
            let readOnly = try await nexsh(["run", "s.nexsh", "--cassette", "disk/c.har", "--mode", "record"], in: directory)
            #expect(readOnly.status == 2)
            #expect(readOnly.standardError.contains("could not write the cassette \(cassette.path): the folder \(disk.path) is not writable; the previous file is unchanged"))
            #expect(try Data(contentsOf: cassette) == before)
        }
    }

    // MARK: Secrets and transport security

    @Test func plainHTTPElsewhereNeedsAllowHTTPAndInsecureAlwaysWarns() async throws {
        try await withTemporaryDirectory { directory in
            try write("echo hi\n", to: "s.nexsh", in: directory)
            let refused = try await nexsh(["run", "s.nexsh", "--server", "http://portal.example.com"], in: directory)
            #expect(refused.status == 3)
            #expect(refused.standardError.contains("plain http:// to portal.example.com would send the password and token unencrypted; use https://, or pass --allow-http"))
            let fromEnvironment = try await nexsh(["run", "s.nexsh"], in: directory, environment: ["NEXSH_SERVER": "http://portal.example.com"])
            #expect(fromEnvironment.status == 3)

            let allowed = try await nexsh(["run", "s.nexsh", "--server", "http://portal.example.com", "--allow-http", "--insecure"], in: directory)
            #expect(allowed.status == 0)
            #expect(allowed.standardError == "warning: --insecure: TLS certificates are not verified; anyone on the path can read the password and token\n" + Self.passedNothing)
            let loopback = try await nexsh(["run", "s.nexsh", "--server", "http://127.0.0.1:9"], in: directory)
            #expect(loopback.status == 0 && loopback.standardError == Self.passedNothing)
        }
    }

    static func recordedStatuses(_ file: URL) throws -> [Int] {
        let har = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
        let entries = (har["log"] as! [String: Any])["entries"] as! [[String: Any]]
        return entries.map { ($0["response"] as! [String: Any])["status"] as! Int }
    }
}

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import NexshAppTesting
import NexshTesting
import Sandbox
import Testing

/// `nexsh run` as CI runs it: exit statuses, summaries, reports, parallel jobs, shards, stdin.
@Suite struct RunCommandTests {
    /// `nexsh` in-process, in `directory`, with no colour and the built-in sandbox.
    func nexsh(_ arguments: [String], in directory: URL, input: String? = nil, environment: [String: String] = [:]) async throws -> ProcessResult {
        try await InProcessNexsh.run(
            arguments, environment: environment.merging(["NO_COLOR": "1", "NEXSH_SERVER": ""]) { $1 }, currentDirectory: directory,
            standardInput: input.map { Data($0.utf8) }
        )
    }

    /// The built binary, for the exit statuses a process ends with.
    func binary(_ arguments: [String], in directory: URL) async throws -> ProcessResult {
        try await ChildProcess.run(BuildProducts.nexsh, arguments, environment: ["NO_COLOR": "1", "NEXSH_SERVER": ""], currentDirectory: directory)
    }

    /// Whatever the test runner's environment holds, the scripts' password variables are not set.
    func nexshWithoutPasswords(_ arguments: [String], in directory: URL) async throws -> ProcessResult {
        try await InProcessNexsh.run(
            arguments, environment: ["NO_COLOR": "1", "NEXSH_SERVER": ""], currentDirectory: directory,
            unsetting: ["NEXSH_PASSWORD", "NEXSH_SAM_PASSWORD"]
        )
    }

    func write(_ text: String, to name: String, in directory: URL) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    @Test func passingFailingAndUnreadableScriptsHaveTheirExitStatus() async throws {
        try await withTemporaryDirectory { directory in
            try write("login jane.doe@example.com --password correct-horse\nexpect .User.Id == 42\n", to: "ok.nexsh", in: directory)
            try write("login jane.doe@example.com --password correct-horse\nexpect .User.Id == 43\necho not reached\n", to: "bad.nexsh", in: directory)
            try write("echo fine\nprofils\n", to: "typo.nexsh", in: directory)

            let ok = try await binary(["run", "ok.nexsh"], in: directory)
            #expect(ok.status == 0)
            #expect(ok.standardError.hasSuffix("✔ ok.nexsh: 1 expectation passed\n1 passed, 0 failed\n"))

            let bad = try await binary(["run", "bad.nexsh"], in: directory)
            #expect(bad.status == 1)
            #expect(bad.standardError.contains("bad.nexsh:2:1: expectation failed: expect .User.Id == 43\n    expected: 43\n    actual:   42\n"))
            #expect(!bad.standardOutput.contains("not reached"))
            #expect(bad.standardError.hasSuffix("✘ bad.nexsh: failed at line 2 (1 of 1 expectation failed)\n0 passed, 1 failed\n"))

            let typo = try await binary(["run", "typo.nexsh", "ok.nexsh"], in: directory)
            #expect(typo.status == 2)
            #expect(typo.standardError == "typo.nexsh:2:1: error: unknown command 'profils' — did you mean 'profile'?\n    profils\n    ^\n1 script could not be read; nothing ran\n")
            #expect(typo.standardOutput == "")

            for arguments in [["run"], ["run", "ok.nexsh", "--mode", "fast"], ["run", "ok.nexsh", "--shard", "3/2"], ["run", "ok.nexsh", "--mode", "replay"]] {
                let usage = try await binary(arguments, in: directory)
                #expect(usage.status == 3, "\(arguments): \(usage.standardError)")
            }
        }
    }

    @Test func expectationsAreTypedAgainstTheSandbox() async throws {
        try await withTemporaryDirectory { directory in
            try write("""
                login jane.doe@example.com --password correct-horse
                expect .User.Id == "42"
                expect .Profiles[0].VirtualOfficeContractId == "null"
                expect .Profiles[0].HasVirtualOffice == "false"
                expect .User.Id is number
                expect .Profiles[0].VirtualOfficeContractId is null
                expect .Profiles[1].HasVirtualOffice is boolean
                expect .User.Email is string

                """, to: "typed.nexsh", in: directory)
            let result = try await nexsh(["run", "typed.nexsh", "--keep-going"], in: directory)
            #expect(result.status == 1)
            #expect(result.standardError.contains(#"""
                typed.nexsh:2:1: expectation failed: expect .User.Id == "42"
                    expected: the string "42"
                    actual:   the number 42
                typed.nexsh:3:1: expectation failed: expect .Profiles[0].VirtualOfficeContractId == "null"
                    expected: the string "null"
                    actual:   null
                typed.nexsh:4:1: expectation failed: expect .Profiles[0].HasVirtualOffice == "false"
                    expected: the string "false"
                    actual:   the boolean false

                """#), "\(result.standardOutput)")
            #expect(result.standardError.hasSuffix("✘ typed.nexsh: failed at line 2 (3 of 7 expectations failed)\n4 passed, 3 failed\n"))
        }
    }

    @Test func aFailedRequestNamesTheOtherStatusTheNextLineExpected() async throws {
        try await withTemporaryDirectory { directory in
            try write("login jane.doe@example.com --password correct-horse\nswitch 999\nexpect status 400\n", to: "other.nexsh", in: directory)
            let result = try await nexsh(["run", "other.nexsh"], in: directory)
            #expect(result.status == 1)
            #expect(result.standardError.contains("""
                other.nexsh:2:1: error: profile 999 does not belong to this account (404); its profiles are 101 Jane Doe, \
                102 Acme Design Co.; line 3 expected status 400, not 404
                    switch 999
                    ^

                """), "\(result.standardOutput)")
        }
    }

    @Test func keepGoingRunsEverythingAndCountsEveryFailure() async throws {
        try await withTemporaryDirectory { directory in
            try write("""
                login jane.doe@example.com --password correct-horse
                expect .User.Id == 1
                switch 999
                expect .WasSuccessful == false
                """, to: "many.nexsh", in: directory)
            let result = try await nexsh(["run", "many.nexsh", "--keep-going"], in: directory)
            #expect(result.status == 1)
            #expect(result.standardError.contains("many.nexsh:3:1: error: profile 999 does not belong to this account (404); its profiles are 101 Jane Doe, 102 Acme Design Co.\n"))
            #expect(result.standardError.hasSuffix("1 passed, 2 failed\n"))
        }
    }

    @Test func reportsParseBackAsJUnitAndTAP() async throws {
        try await withTemporaryDirectory { directory in
            try write("login jane.doe@example.com --password correct-horse\nexpect .User.Id == 42\nexpect .User.FullName == \"Sam <Roe> & co\"\n", to: "a.nexsh", in: directory)
            try write("login sam.roe@example.com --password battery-staple\nexpect .User.Id == 43\n", to: "b.nexsh", in: directory)
            let result = try await nexsh(["run", "a.nexsh", "b.nexsh", "--keep-going", "--report", "junit:report.xml", "--report", "tap:report.tap"], in: directory)
            #expect(result.status == 1)

            let xml = try Data(contentsOf: directory.appendingPathComponent("report.xml"))
            let collector = JUnitCollector()
            let parser = XMLParser(data: xml)
            parser.delegate = collector
            #expect(parser.parse(), "the JUnit report is well-formed XML")
            #expect(collector.suites == ["a.nexsh", "b.nexsh"])
            #expect(collector.cases == ["line 2: expect .User.Id == 42", "line 3: expect .User.FullName == \"Sam <Roe> & co\"", "line 2: expect .User.Id == 43"])
            #expect(collector.failures == [#"expected "Sam <Roe> & co", got "Jane Doe""#])
            #expect(collector.rootAttributes["tests"] == "3")
            #expect(collector.rootAttributes["failures"] == "1")

            let tap = try String(contentsOf: directory.appendingPathComponent("report.tap"), encoding: .utf8)
            let lines = tap.split(separator: "\n").map(String.init)
            #expect(Array(lines.prefix(4)) == [
                "TAP version 13", "1..3", "ok 1 - a.nexsh line 2: expect .User.Id == 42",
                #"not ok 2 - a.nexsh line 3: expect .User.FullName == "Sam <Roe> & co""#,
            ])
            #expect(lines.last == "ok 3 - b.nexsh line 2: expect .User.Id == 43")
        }
    }

    @Test func parallelJobsKeepSessionsApartAndReportEachScriptOnce() async throws {
        try await withTemporaryDirectory { directory in
            for index in 0..<12 {
                let script = index % 2 == 0
                    ? "login jane.doe@example.com --password correct-horse\nswitch 102\nexpect .Profiles[1].IsDefaultProfile == true\necho job \(index)\n"
                    : "login sam.roe@example.com --password battery-staple\nexpect .Profiles[0].IsDefaultProfile == true\necho job \(index)\n"
                try write(script, to: String(format: "job%02d.nexsh", index), in: directory)
            }
            let sequential = try await nexsh(["run", "."], in: directory)
            let parallel = try await nexsh(["run", ".", "--jobs", "8"], in: directory)
            #expect(parallel.status == 0, "\(parallel.standardOutput)")
            #expect(parallel.standardOutput == sequential.standardOutput, "the same transcript, in script order")
            for index in 0..<12 {
                #expect(parallel.standardError.components(separatedBy: String(format: "✔ ./job%02d.nexsh", index)).count == 2)
                #expect(parallel.standardOutput.components(separatedBy: "job \(index)\n").count == 2)
            }
            #expect(parallel.standardError.hasSuffix("12 passed, 0 failed\n"))
        }
    }

    @Test func shardsSplitTheScriptsStably() async throws {
        try await withTemporaryDirectory { directory in
            for name in ["a", "b", "c", "d", "e"] { try write("echo \(name)\n", to: "\(name).nexsh", in: directory) }
            let first = try await nexsh(["run", ".", "--shard", "1/2"], in: directory)
            let second = try await nexsh(["run", ".", "--shard", "2/2"], in: directory)
            #expect(first.standardError.contains("✔ ./a.nexsh") && first.standardError.contains("✔ ./c.nexsh") && first.standardError.contains("✔ ./e.nexsh"))
            #expect(!first.standardOutput.contains("./b.nexsh"))
            #expect(second.standardError.contains("✔ ./b.nexsh") && second.standardError.contains("✔ ./d.nexsh"))
            #expect(!second.standardOutput.contains("./a.nexsh"))
        }
    }

    @Test func commandsPipedInRunLikeAScript() async throws {
        try await withTemporaryDirectory { directory in
            let script = "set who jane\nlogin ${who}.doe@example.com --password-env PW\nexpect .User.Id == ${id}\n"
            let piped = try await nexsh([], in: directory, input: script.replacingOccurrences(of: "${id}", with: "42"), environment: ["PW": "correct-horse"])
            #expect(piped.status == 0, "\(piped.standardOutput)\(piped.standardError)")
            #expect(piped.standardError.hasSuffix("✔ <stdin>: 1 expectation passed\n1 passed, 0 failed\n"))
            let dash = try await nexsh(["run", "-", "--var", "id=42"], in: directory, input: script, environment: ["PW": "correct-horse"])
            #expect(dash.status == 0, "\(dash.standardOutput)")
        }
    }

    /// The bundled scripts name their passwords by variable (`--password-env NEXSH_PASSWORD`).
    /// On the built-in sandbox, whose passwords are published, they run with none set, and so
    /// does a bundle checked for drift there; any other server still needs the variable.
    @Test func onTheBuiltInSandboxScriptsRunWithNoPasswordVariableSet() async throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let all = try await nexshWithoutPasswords(["run", "Scripts/", "--jobs", "4"], in: repository)
        #expect(all.status == 0, "\(all.standardOutput)")
        #expect(all.standardError.hasSuffix(" passed, 0 failed\n"))

        try await withTemporaryDirectory { directory in
            try FileManager.default.copyItem(
                at: repository.appendingPathComponent("Scripts/signin-and-profiles.nexsh"), to: directory.appendingPathComponent("S.nexsh")
            )
            let bundled = try await nexshWithoutPasswords(["bundle", "create", "bug.har", "--script", "S.nexsh"], in: directory)
            #expect(bundled.status == 0, "\(bundled.standardOutput)\(bundled.standardError)")
            let verified = try await nexshWithoutPasswords(["run", "bug.har", "--mode", "verify"], in: directory)
            #expect(verified.status == 0, "\(verified.standardOutput)")
            #expect(verified.standardError.contains("no drift\n"))

            try await withSandbox { sandbox in
                let named = try await nexshWithoutPasswords(["run", "S.nexsh", "--server", sandbox.baseURL.absoluteString], in: directory)
                #expect(named.status == 1)
                #expect(named.standardError.contains(
                    "S.nexsh:5:1: error: login: the environment variable NEXSH_PASSWORD is not set (it should hold the password)\n"
                ))
            }
        }
    }

    @Test func recordThenReplayOfflineWithTheSameOutput() async throws {
        try await withTemporaryDirectory { directory in
            try write("""
                login jane.doe@example.com --password-env PW
                switch 102
                teams --book
                expect .[0].Team.Id == 56
                """, to: "s.nexsh", in: directory)
            let recorded = try await nexsh(["run", "s.nexsh", "--cassette", "s.har", "--mode", "record"], in: directory, environment: ["PW": "correct-horse"])
            #expect(recorded.status == 0, "\(recorded.standardOutput)")
            let replayed = try await nexsh(["run", "s.nexsh", "--cassette", "s.har", "--server", "http://127.0.0.1:9"], in: directory)
            #expect(replayed.status == 0, "\(replayed.standardOutput)")
            #expect(replayed.standardOutput == recorded.standardOutput)
            #expect(try await nexsh(["cassette", "verify", "s.har"], in: directory).status == 0)

            // A request the recording does not have: the miss names the closest entry.
            try write("login jane.doe@example.com\nswitch 101\n", to: "other.nexsh", in: directory)
            let miss = try await nexsh(["run", "other.nexsh", "--cassette", "s.har"], in: directory)
            #expect(miss.status == 1)
            #expect(miss.standardError.contains("no recorded answer for PUT /api/public/coworkers/profiles/current?coworkerId=101 in "))
            #expect(miss.standardError.contains("query parameter coworkerId: '101' here, '102' in the recording"))

            try write("{ not a cassette", to: "broken.har", in: directory)
            let broken = try await nexsh(["run", "s.nexsh", "--cassette", "broken.har"], in: directory)
            #expect(broken.status == 2)
            #expect(broken.standardError.contains("is not a HAR file: it is not valid JSON (line 1, column 3"))
        }
    }

    /// A replay miss says how to record the missing answer, or to play a used one again, with
    /// the options of the command line the run was started from: `nexsh run`'s, a bundle's, or
    /// those of the shell that commands were piped into (which has --record and --record-mode,
    /// not --mode).
    @Test func replayMissHintsNameTheOptionsOfTheCommandLineUsed() async throws {
        try await withTemporaryDirectory { directory in
            try write("login jane.doe@example.com --password-env PW\n", to: "first.nexsh", in: directory)
            let recorded = try await nexsh(["run", "first.nexsh", "--cassette", "my c.har", "--mode", "record"], in: directory, environment: ["PW": "correct-horse"])
            #expect(recorded.status == 0, "\(recorded.standardOutput)")
            let script = "login jane.doe@example.com --password-env PW\nprofiles\n"
            try write(script, to: "again.nexsh", in: directory)
            let used = "  #2 matches but was already used: each recorded answer plays once, in order; "
            let keeps = " (keeps the recording, appends what is missing) or "

            let run = try await nexsh(["run", "again.nexsh", "--cassette", "my c.har", "--report", "tap:r.tap"], in: directory)
            #expect(run.status == 1)
            // A report line of one line keeps the message to its first; the detail keeps them all.
            let tap = try String(contentsOf: directory.appendingPathComponent("r.tap"), encoding: .utf8)
            #expect(tap.contains("\n  message: 'again.nexsh:2:1: error: no recorded answer for GET /api/public/coworkers/profiles in \(directory.path)/my c.har (mode replay, 2 entries)'\n"), "\(tap)")
            #expect(tap.contains("\n      to record it: run again with --mode new"))
            #expect(run.standardError.contains(used + "--allow-repeats plays the last one again\n"), "\(run.standardError)")
            #expect(run.standardError.contains("  to record it: run again with --mode new\(keeps)--mode record (starts over)\n"))

            let joined = try await nexsh(["bundle", "create", "b.har", "--script", "again.nexsh", "--cassette", "my c.har"], in: directory)
            #expect(joined.status == 0, "\(joined.standardOutput)\(joined.standardError)")
            let bundle = try await nexsh(["run", "b.har"], in: directory)
            #expect(bundle.status == 1)
            #expect(bundle.standardError.contains(used + "--allow-repeats plays the last one again\n"), "\(bundle.standardError)")
            #expect(bundle.standardError.contains(
                "  to record it: a bundle replays what it holds; make a new one with nexsh bundle create (it runs the script and records)\n"
            ))

            let piped = try await nexsh(["--replay", "my c.har"], in: directory, input: script)
            #expect(piped.status == 1)
            #expect(piped.standardError.contains(used + "nexsh run - --cassette 'my c.har' --allow-repeats plays the last one again\n"), "\(piped.standardError)")
            #expect(piped.standardError.contains("  to record it: run again with --record 'my c.har' --record-mode new\(keeps)--record 'my c.har' (starts over)\n"))
            // What the hints name are command lines that work: the used answer plays again, and
            // the missing request is recorded (the replayed token is no use to a live server, so
            // it is the 401 and the refused refresh that are appended).
            let repeated = try await nexsh(["run", "-", "--cassette", "my c.har", "--allow-repeats"], in: directory, input: script)
            #expect(repeated.status == 0, "\(repeated.standardOutput)\(repeated.standardError)")
            let appended = try await nexsh(["--record", "my c.har", "--record-mode", "new"], in: directory, input: script, environment: ["PW": "correct-horse"])
            #expect(appended.status != 3 && !appended.standardError.contains("Usage:"), "a command line that works: \(appended.standardError)")
            let cassette = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("my c.har"))) as? [String: Any]
            #expect(((cassette?["log"] as? [String: Any])?["entries"] as? [Any])?.count ?? 0 > 2)
        }
    }

    /// Names of one letter, with no folder before them: a script `a` that sources another, a
    /// cassette `c`, and a `~/` path. (Foundation's path functions trapped on such names.)
    @Test func oneLetterNamesAndTheHomeFolderInFileArguments() async throws {
        try await withTemporaryDirectory { directory in
            try write("""
                source b.nexsh
                login jane.doe@example.com --password correct-horse
                record ~/h --mode once
                profiles
                cassette eject
                """, to: "a", in: directory)
            try write("echo from b\n", to: "b.nexsh", in: directory)
            let result = try await nexsh(["run", "a", "--cassette", "c", "--mode", "record"], in: directory, environment: ["HOME": directory.path])
            #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
            #expect(result.standardOutput.hasPrefix("from b\n"))
            #expect(result.standardOutput.contains("recording to \(directory.path)/h (mode record)\n"))
            #expect(result.standardOutput.contains("ejected \(directory.path)/h: 1 recorded, 0 replayed\n"))
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("c").path))
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("h").path))
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("~").path))
        }
    }
}

/// Reads what a JUnit report says, through a real XML parser.
final class JUnitCollector: NSObject, XMLParserDelegate, @unchecked Sendable {
    var suites: [String] = []
    var cases: [String] = []
    var failures: [String] = []
    var rootAttributes: [String: String] = [:]

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch element {
        case "testsuites": rootAttributes = attributes
        case "testsuite": suites.append(attributes["name"] ?? "")
        case "testcase": cases.append(attributes["name"] ?? "")
        case "failure": failures.append(attributes["message"] ?? "")
        default: break
        }
    }
}

import Foundation
import NexshAppTesting
import NexshTesting
import Testing

/// `nexsh bundle shrink`: failing bundles made from the sandbox with `nexsh bundle create`, cut
/// down and replayed offline with `nexsh run`.
@Suite struct BundleShrinkCommandTests {
    func nexsh(_ arguments: [String], in directory: URL) async throws -> ProcessResult {
        try await InProcessNexsh.run(
            arguments, environment: ["NO_COLOR": "1", "NEXSH_SERVER": "", "NEXSH_PASSWORD": "correct-horse"], currentDirectory: directory
        )
    }

    /// 30 lines: a sign-in, a capture the failing lines use, 25 lines that do not matter, and a
    /// switch to the captured profile whose expectation is wrong (the company profile becomes
    /// the default).
    static let morning = """
        login jane.doe@example.com --password-env NEXSH_PASSWORD
        capture company .Profiles[1].Id
        expect status 200
        echo signed in
        set greeting hello
        echo ${greeting} Jane
        profiles
        expect count(.Profiles) == 2
        whoami
        benefits
        expect .Personal.BookingCredits[0].Name == "Meeting room hours"
        teams --book
        expect count(.) >= 1
        # nothing here matters
        set unused 1
        echo ${unused}
        profiles
        expect .Profiles[0].IsDefaultProfile == true
        benefits
        echo benefits shown
        set later 2
        echo ${later} ${greeting}
        teams --book
        expect status 200
        profiles
        whoami
        echo about to switch
        echo to ${company}
        switch ${company}
        expect .Profiles[1].IsDefaultProfile == false

        """

    func makeFailingBundle(in directory: URL) async throws {
        try Data(Self.morning.utf8).write(to: directory.appendingPathComponent("morning.nexsh"))
        let created = try await nexsh(["bundle", "create", "bug.har", "--script", "morning.nexsh"], in: directory)
        #expect(created.status == 0, "\(created.standardOutput)\(created.standardError)")
        let replayed = try await nexsh(["run", "bug.har"], in: directory)
        #expect(replayed.status == 1)
        #expect(replayed.standardError.contains("✘ bug.har: failed at line 30"), "\(replayed.standardError)")
    }

    @Test func aBundleOfThirtyLinesShrinksToTheLinesTheFailureNeedsAndReplaysToTheSameFailure() async throws {
        try await withTemporaryDirectory { directory in
            try await makeFailingBundle(in: directory)
            let entriesBefore = try String(contentsOf: directory.appendingPathComponent("bug.har"), encoding: .utf8)
                .components(separatedBy: "\"startedDateTime\"").count - 1
            let shrunk = try await nexsh(["bundle", "shrink", "bug.har", "-o", "min.har"], in: directory)
            #expect(shrunk.status == 0, "\(shrunk.standardOutput)\(shrunk.standardError)")
            // No progress line off a terminal.
            #expect(shrunk.standardError.isEmpty, "\(shrunk.standardError)")
            let lines = shrunk.standardOutput.split(separator: "\n").map(String.init)
            #expect(lines.count == 3, "\(shrunk.standardOutput)")
            #expect(lines.first?.hasPrefix("shrunk bug.har: kept 4 of 30 lines and 4 of \(entriesBefore) entries in ") == true, "\(lines)")
            #expect(lines.dropFirst().first == "it fails as before: 'expect .Profiles[1].IsDefaultProfile == false': expected false, got true in the answer to GET /api/public/coworkers/profiles")
            #expect(lines.last == "wrote min.har (replay it with: nexsh run min.har)")

            let show = try await nexsh(["bundle", "show", "min.har"], in: directory)
            let script = show.standardOutput.split(separator: "\n").map(String.init)
                .filter { $0.range(of: #"^\s+\d+  "#, options: .regularExpression) != nil }
                .map { $0.replacingOccurrences(of: #"^\s+\d+  "#, with: "", options: .regularExpression) }
            #expect(script == [
                "# Shrunk by nexsh bundle shrink from 30 lines and \(entriesBefore) entries to 4 lines and 4 entries; removed:",
                "#   lines of the original script: 3-28",
                "#   entries: " + (entriesBefore == 4 ? "none" : "3-\(entriesBefore - 2)"),
                "login jane.doe@example.com --password-env NEXSH_PASSWORD",
                "capture company .Profiles[1].Id",
                "switch ${company}",
                "expect .Profiles[1].IsDefaultProfile == false",
            ], "\(show.standardOutput)")

            // Offline, to the same failure, and every entry is requested (none left unused).
            let replayed = try await nexsh(["run", "min.har", "--server", "http://127.0.0.1:9"], in: directory)
            #expect(replayed.status == 1)
            #expect(replayed.standardError.contains("min.har:7:1: expectation failed: expect .Profiles[1].IsDefaultProfile == false"), "\(replayed.standardError)")
            #expect(replayed.standardError.contains("    actual:   true"))
            #expect(!replayed.standardError.contains("never requested"), "\(replayed.standardError)")
            #expect(try await nexsh(["cassette", "verify", "min.har"], in: directory).status == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["bug.har", "min.har", "morning.nexsh"])
        }
    }

    @Test func aTinyMaxRunsStopsEarlyAndStillWritesABundleThatFailsTheSameWay() async throws {
        try await withTemporaryDirectory { directory in
            try await makeFailingBundle(in: directory)
            let shrunk = try await nexsh(["bundle", "shrink", "bug.har", "-o", "min.har", "--max-runs", "4"], in: directory)
            #expect(shrunk.status == 0, "\(shrunk.standardOutput)\(shrunk.standardError)")
            #expect(shrunk.standardOutput.contains(" in 4 replays ("), "\(shrunk.standardOutput)")
            #expect(shrunk.standardOutput.contains("note: stopped at --max-runs 4; this is the smallest failing bundle found"))
            let text = try String(contentsOf: directory.appendingPathComponent("min.har"), encoding: .utf8)
            #expect(text.contains("# Stopped at --max-runs 4: a smaller bundle may still fail the same way."))
            let replayed = try await nexsh(["run", "min.har"], in: directory)
            #expect(replayed.status == 1)
            #expect(replayed.standardError.contains("expectation failed: expect .Profiles[1].IsDefaultProfile == false"), "\(replayed.standardError)")

            // The output is not replaced without --force; the bound is range-checked.
            let again = try await nexsh(["bundle", "shrink", "bug.har", "-o", "min.har", "--max-runs", "4"], in: directory)
            #expect(again.status == 2)
            #expect(again.standardError == "nexsh bundle shrink: min.har already exists; use --force to replace it\n")
            let zero = try await nexsh(["bundle", "shrink", "bug.har", "-o", "other.har", "--max-runs", "0"], in: directory)
            #expect(zero.status == 3)
            #expect(zero.standardError.contains("expected a whole number from 1 to 100000"), "\(zero.standardError)")
        }
    }

    @Test func aTerminalShowsTheShrinkingAsItGoes() async throws {
        try await withTemporaryDirectory { directory in
            try await makeFailingBundle(in: directory)
            var environment = PseudoTerminal.shellEnvironment(home: directory)
            environment["NEXSH_PASSWORD"] = "correct-horse"
            let terminal = try PseudoTerminal(BuildProducts.nexsh, ["bundle", "shrink", "bug.har", "-o", "min.har"], environment: environment, currentDirectory: directory)
            defer { terminal.stop() }
            try await terminal.waitFor("wrote min.har")
            #expect(try await terminal.waitForExit() == 0)
            #expect(terminal.transcript.contains("\r\u{1B}[Kshrinking bug.har: replay 2 of at most 500, "), "\(terminal.transcript)")
            // The progress line is cleared before the report.
            #expect(terminal.transcript.contains("\r\u{1B}[Kshrunk bug.har: kept 4 of 30 lines"))
        }
    }

    @Test func aBundleThatReplaysWithoutFailingIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            try Data(BundleTests.switching.utf8).write(to: directory.appendingPathComponent("switch.nexsh"))
            #expect(try await nexsh(["bundle", "create", "ok.har", "--script", "switch.nexsh", "--var", "profile=102"], in: directory).status == 0)
            let refused = try await nexsh(["bundle", "shrink", "ok.har", "-o", "min.har"], in: directory)
            #expect(refused.status == 2)
            #expect(refused.standardOutput.isEmpty)
            #expect(refused.standardError == "nexsh bundle shrink: ok.har replays without failing, so there is nothing to shrink; shrink a bundle whose 'nexsh run ok.har' fails\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["ok.har", "switch.nexsh"])
        }
    }
}

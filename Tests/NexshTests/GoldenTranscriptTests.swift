import Foundation
import NexshAppTesting
import NexshTesting
import Testing

/// Every shipped scenario, replayed from its cassette with no server, gives the transcript in
/// `Golden/` byte for byte. `make golden` (NEXSH_UPDATE_GOLDEN=1) rewrites the transcripts after
/// a change, but only from replays that succeeded and printed something; it names each file it
/// rewrites and reads what it wrote back.
@Suite struct GoldenTranscriptTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scripts = ((try? FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("Scripts").path)) ?? [])
        .filter { $0.hasSuffix(".nexsh") }.sorted()
    static let goldenFolder = repository.appendingPathComponent("Tests/NexshTests/Golden")
    static let updating = ProcessInfo.processInfo.environment["NEXSH_UPDATE_GOLDEN"] == "1"

    @Test func everyScenarioHasACassetteAndATranscript() throws {
        #expect(Self.scripts.count >= 7)
        let names = Self.scripts.map { ($0 as NSString).deletingPathExtension }
        for name in names {
            #expect(FileManager.default.fileExists(atPath: Self.repository.appendingPathComponent("Cassettes/\(name).har").path), "\(name)")
            // While updating, the replay test writes a new scenario's transcript.
            if !Self.updating {
                #expect(FileManager.default.fileExists(atPath: Self.goldenFolder.appendingPathComponent("\(name).txt").path), "\(name)")
            }
        }
        let transcripts = try FileManager.default.contentsOfDirectory(atPath: Self.goldenFolder.path).filter { $0.hasSuffix(".txt") }
        let orphans = transcripts.filter { !names.contains(($0 as NSString).deletingPathExtension) }
        #expect(orphans.isEmpty, "transcripts without a script: \(orphans)")
    }

    @Test(arguments: scripts)
    func replayMatchesTheGoldenTranscript(_ script: String) async throws {
        let name = (script as NSString).deletingPathExtension
        // The transcripts are the layout of `--summary stdout`: every line on standard output,
        // in the order it came (the default layout is checked against them below).
        let result = try await InProcessNexsh.run(
            ["run", "Scripts/\(script)", "--cassette", "Cassettes/\(name).har", "--summary", "stdout"],
            // No password: a replay needs none. No server: a replay contacts none.
            environment: ["NEXSH_PASSWORD": "", "NEXSH_SERVER": "http://127.0.0.1:9", "NO_COLOR": "1"],
            currentDirectory: Self.repository
        )
        try #require(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        try #require(result.standardError == "")
        let produced = result.standardOutputBytes
        let golden = Self.goldenFolder.appendingPathComponent("\(name).txt")
        if Self.updating {
            try #require(!produced.isEmpty, "\(name): the replay printed nothing")
            let before = try? Data(contentsOf: golden)
            if before != produced {
                try produced.write(to: golden)
                print("golden: \(before == nil ? "created" : "rewrote") Tests/NexshTests/Golden/\(name).txt")
            }
        }
        let expected = try Data(contentsOf: golden)
        #expect(produced == expected, "\(name): \(Self.firstDifference(expected: expected, produced: produced))")
    }

    /// `line 12: expected "…", got "…"`: where a transcript and a replay part.
    static func firstDifference(expected: Data, produced: Data) -> String {
        let expectedLines = expected.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let producedLines = produced.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for index in 0..<max(expectedLines.count, producedLines.count) {
            let wanted = index < expectedLines.count ? String(decoding: expectedLines[index], as: UTF8.self).debugDescription : "the end"
            let got = index < producedLines.count ? String(decoding: producedLines[index], as: UTF8.self).debugDescription : "the end"
            let same = index < expectedLines.count && index < producedLines.count && expectedLines[index] == producedLines[index]
            if !same { return "line \(index + 1): expected \(wanted), got \(got)" }
        }
        return "the same"
    }

    /// The default layout parts the transcript in two: what the commands print on standard
    /// output, each in its order; the summary, errors and notes on standard error.
    @Test(arguments: scripts)
    func theDefaultLayoutPartsTheTranscriptIntoDataAndDiagnostics(_ script: String) async throws {
        let name = (script as NSString).deletingPathExtension
        let result = try await InProcessNexsh.run(
            ["run", "Scripts/\(script)", "--cassette", "Cassettes/\(name).har"],
            environment: ["NEXSH_PASSWORD": "", "NEXSH_SERVER": "http://127.0.0.1:9", "NO_COLOR": "1"],
            currentDirectory: Self.repository
        )
        try #require(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        let golden = try String(contentsOf: Self.goldenFolder.appendingPathComponent("\(name).txt"), encoding: .utf8)
        func lines(_ text: String) -> [Substring] { text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() }
        let (data, diagnostics, transcript) = (lines(result.standardOutput), lines(result.standardError), lines(golden))
        #expect(data.count + diagnostics.count == transcript.count)
        #expect(Self.isInOrder(data, within: transcript) && Self.isInOrder(diagnostics, within: transcript))
        #expect(diagnostics.last.map(String.init) == transcript.last.map(String.init), "the count of passes and failures ends standard error")
        #expect(!data.contains { $0.hasPrefix("✔ ") || $0.hasPrefix("✘ ") || $0.hasSuffix(" failed") })
    }

    /// Whether `part` is `whole` with some lines left out.
    static func isInOrder(_ part: [Substring], within whole: [Substring]) -> Bool {
        var rest = whole[...]
        for line in part {
            guard let index = rest.firstIndex(of: line) else { return false }
            rest = rest[(index + 1)...]
        }
        return true
    }

    /// The binary end to end: what a shipped scenario prints, and its exit status.
    @Test func replaysAreByteForByteTheSame() async throws {
        let arguments = ["run", "Scripts/switch-company-and-back.nexsh", "--cassette", "Cassettes/switch-company-and-back.har"]
        let first = try await ChildProcess.run(BuildProducts.nexsh, arguments, currentDirectory: Self.repository)
        let second = try await ChildProcess.run(BuildProducts.nexsh, arguments, currentDirectory: Self.repository)
        #expect(first.status == 0)
        #expect(first.standardOutput == second.standardOutput)
    }
}

import Foundation
import NexshAppTesting
import NexshTesting
import Testing

/// Every shipped scenario, replayed from its cassette with no server, gives the transcript in
/// `Golden/`. `make golden` (NEXSH_UPDATE_GOLDEN=1) rewrites the transcripts after a change.
@Suite struct GoldenTranscriptTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scripts = ((try? FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("Scripts").path)) ?? [])
        .filter { $0.hasSuffix(".nexsh") }.sorted()

    @Test func everyScenarioHasACassetteAndATranscript() {
        #expect(Self.scripts.count >= 7)
        for script in Self.scripts {
            let name = (script as NSString).deletingPathExtension
            #expect(FileManager.default.fileExists(atPath: Self.repository.appendingPathComponent("Cassettes/\(name).har").path), "\(name)")
        }
    }

    @Test(arguments: scripts)
    func replayMatchesTheGoldenTranscript(_ script: String) async throws {
        let name = (script as NSString).deletingPathExtension
        let result = try await InProcessNexsh.run(
            ["run", "Scripts/\(script)", "--cassette", "Cassettes/\(name).har"],
            // No password: a replay needs none. No server: a replay contacts none.
            environment: ["NEXSH_PASSWORD": "", "NEXSH_SERVER": "http://127.0.0.1:9", "NO_COLOR": "1"],
            currentDirectory: Self.repository
        )
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardError == "")
        let golden = Self.repository.appendingPathComponent("Tests/NexshTests/Golden/\(name).txt")
        if ProcessInfo.processInfo.environment["NEXSH_UPDATE_GOLDEN"] == "1" {
            try Data(result.standardOutput.utf8).write(to: golden)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(result.standardOutput == expected)
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

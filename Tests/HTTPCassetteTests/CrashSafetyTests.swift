import Foundation
import HTTPCassette
import JSONValues
import NexshTesting
import Sandbox
import Testing

@Suite struct CrashSafetyTests {
    /// A real recording process, killed with SIGKILL while it writes exchange after exchange.
    @Test func aKilledRecordingLeavesAValidCassetteWithEveryCompletedExchange() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("killed.har")
            try await withSandbox { sandbox in
                let probe = try ChildProcess(
                    BuildProducts.directory.appendingPathComponent("RecordingProbe"), [sandbox.baseURL.absoluteString, file.path]
                )
                defer { probe.stop() }
                _ = try await probe.waitForOutput(matching: "recorded 40\n")
                probe.signal(SIGKILL)
                _ = try await probe.waitForExit()

                let reported = probe.standardOutput.split(separator: "\n").compactMap { Int($0.split(separator: " ").last ?? "") }.max() ?? 0
                let cassette = try Cassette.load(from: file)
                // Every exchange reported done is on disk; at most the one in flight is missing.
                #expect(cassette.entries.count >= reported)
                #expect(cassette.entries.count <= reported + 1)
                #expect(cassette.entries.first?.request.url.hasSuffix("/api/token") == true)
                for entry in cassette.entries {
                    #expect(entry.response.status == 200)
                    #expect((try? JSONValue.parse(Array((entry.response.content.text ?? "").utf8))) != nil)
                }
            }
        }
    }
}

import Foundation
import HTTPCassette
import HTTPValues
import NexudusAPI
import Transport
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

    /// A recorder killed inside its one in-place write leaves the file cut mid-entry, and its
    /// lock file behind; the next reader, or the next recorder, mends the file.
    @Test func anAppendCutShortIsMendedFromTheLockFileLeftBehind() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("torn.har")
            let lockFile = URL(fileURLWithPath: file.path + ".lock")
            let (leftBehind, closingOffset) = try await withSandbox { sandbox in
                try await withLiveTransport { live in
                    let cassette = try CassetteTransport(file: file, mode: .record, upstream: live)
                    let client = NexudusClient(baseURL: sandbox.baseURL, transport: cassette)
                    _ = try await client.login(email: "jane.doe@example.com", password: "correct-horse")
                    _ = try await client.profiles()
                    try cassette.flush()
                    let record = try Data(contentsOf: lockFile)
                    let text = String(decoding: record, as: UTF8.self)
                    return (record, Int(text.split(separator: "\n")[1].dropFirst("append-at ".count))!)
                }
            }
            #expect(!FileManager.default.fileExists(atPath: lockFile.path), "a recorder that ends removes its lock")
            let complete = try Data(contentsOf: file)
            #expect(closingOffset == complete.count - Data("\n    ]\n  }\n}\n".utf8).count)

            // As if killed inside the next write: half an entry over the closing brackets.
            let torn = complete.prefix(closingOffset) + Data(",\n      {\n        \"startedDateTime\": \"2026".utf8)
            try torn.write(to: file)
            try leftBehind.write(to: lockFile)
            let mended = try Cassette.load(from: file)
            #expect(mended.entries.count == 2)
            #expect(try Data(contentsOf: file) == complete)

            // The next recorder mends it too, before it reads or replaces the file.
            try torn.write(to: file)
            try leftBehind.write(to: lockFile)
            let lock = try CassetteLock(cassette: file)
            #expect(try Data(contentsOf: file) == complete)
            _ = lock
        }
    }
}

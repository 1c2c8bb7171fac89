import Foundation
import NexshAppTesting
import NexshTesting
import Testing

/// `nexsh cassette export` as a user runs it: what it prints, the file it writes, its refusals.
@Suite struct CassetteExportCommandTests {
    static let cassette = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Cassettes/signin-and-profiles.har").path

    @Test func writesAHurlFileOnceAndReplacesItOnlyWithForce() async throws {
        try await withTemporaryDirectory { directory in
            let output = directory.appendingPathComponent("out.hurl").path
            let written = try await InProcessNexsh.run(["cassette", "export", Self.cassette, "--hurl", "-o", output])
            #expect(written.status == 0, "\(written.standardError)")
            #expect(written.standardOutput == "exported 3 entries of \(Self.cassette) to \(output)\n")
            let text = try String(contentsOfFile: output, encoding: .utf8)
            #expect(text.contains("\nAuthorization: Bearer {{token}}\n"))
            #expect(!text.contains("[Asserts]"), "status asserts alone unless --asserts body")
            let mode = try FileManager.default.attributesOfItem(atPath: output)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            let again = try await InProcessNexsh.run(["cassette", "export", Self.cassette, "--hurl", "--asserts", "body", "-o", output])
            #expect(again.status == 2)
            #expect(again.standardError == "nexsh cassette export: \(output) already exists; use --force to replace it\n")
            let forced = try await InProcessNexsh.run(["cassette", "export", Self.cassette, "--hurl", "--asserts", "body", "-o", output, "--force"])
            #expect(forced.status == 0)
            #expect(try String(contentsOfFile: output, encoding: .utf8).contains("[Asserts]\njsonpath \"$.access_token\" exists\njsonpath \"$.token_type\" == \"bearer\"\n"))
        }
    }

    @Test func aMissingEntryAndMisplacedOptionsAreRefused() async throws {
        let missing = try await InProcessNexsh.run(["cassette", "export", Self.cassette, "--curl", "--entry", "9"])
        #expect(missing.status == 2)
        #expect(missing.standardError == "nexsh cassette export: \(Self.cassette): there is no entry 9: the cassette has 3\n")
        let asserts = try await InProcessNexsh.run(["cassette", "export", Self.cassette, "--curl", "--asserts", "body"])
        #expect(asserts.status == 3)
        #expect(asserts.standardError.contains("--asserts goes with --hurl"))
        let neither = try await InProcessNexsh.run(["cassette", "export", Self.cassette])
        #expect(neither.status == 3)
    }
}

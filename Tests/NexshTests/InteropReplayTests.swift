import Foundation
import NexshAppTesting
import NexshTesting
import Testing

/// Recordings other tools make, replayed by nexsh (in-process) as a user would: a HAR captured by
/// mitmproxy, secrets and all, under a script that signs in; a vcrpy cassette imported, then its
/// GETs replayed.
@Suite struct InteropReplayTests {
    func nexsh(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) async throws -> ProcessResult {
        try await InProcessNexsh.run(
            arguments, environment: environment.merging(["NO_COLOR": "1", "NEXSH_SERVER": ""]) { $1 },
            currentDirectory: directory
        )
    }

    /// The raw secrets of `mitmproxy-raw-secrets.har`.
    static let recordedSecrets = ["correct-horse", "kq3R7vJx2LwB9tYp0ZsHd4NcUe6Am8Qf1GiVoXyTbWs", "Rt8_2nPq5wXz-Lk3Jh7Vd0Sb9Mf4Gc6Ny1Ea-Uo2Ti"]

    @Test func aMitmproxyHARWithRawSecretsReplaysASignInScript() async throws {
        try await withTemporaryDirectory { directory in
            let cassette = InteropCassettes.url("mitmproxy-raw-secrets.har")
            let before = try Data(contentsOf: cassette)
            try Data("""
                login jane.doe@example.com --password-env NEXSH_PASSWORD
                expect .User.Id == 42
                profiles
                expect count(.Profiles) == 2
                expect .Profiles[1].FullName == "Acme Design Co."

                """.utf8).write(to: directory.appendingPathComponent("signin.nexsh"))
            // Not the recorded password: a secret matches whatever the live request sends.
            let result = try await nexsh(
                ["run", "signin.nexsh", "--cassette", cassette.path], in: directory, environment: ["NEXSH_PASSWORD": "typed-today"]
            )
            #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
            #expect(result.standardOutput.hasPrefix("signed in as Jane Doe <jane.doe@example.com> · active profile 101 Jane Doe (individual)\n"))
            #expect(result.standardError == "✔ signin.nexsh: 3 expectations passed\n3 passed, 0 failed\n")
            #expect(try Data(contentsOf: cassette) == before, "a replay only reads")

            // Another account misses, naming what differs, and quotes none of the recorded secrets.
            try Data("login sam.roe@example.com --password-env NEXSH_SAM_PASSWORD\n".utf8).write(to: directory.appendingPathComponent("sam.nexsh"))
            let miss = try await nexsh(
                ["run", "sam.nexsh", "--cassette", cassette.path], in: directory, environment: ["NEXSH_SAM_PASSWORD": "battery-staple"]
            )
            #expect(miss.status == 1)
            #expect(miss.standardError.contains(
                "    #1 POST /api/token → 200\n        body field username: 'sam.roe@example.com' here, 'jane.doe@example.com' in the recording\n"
            ))
            for secret in Self.recordedSecrets + ["battery-staple"] {
                #expect(!(miss.standardOutput + miss.standardError).contains(secret), "\(secret)")
            }
        }
    }

    @Test func aVcrpyCassetteWithNullBodiesImportsAndItsGETsReplay() async throws {
        try await withTemporaryDirectory { directory in
            let source = InteropCassettes.url("vcrpy-null-bodies.yaml").path
            let imported = try await nexsh(["cassette", "import", source, "-o", "gets.har"], in: directory)
            #expect(imported.status == 0, "\(imported.standardError)")
            #expect(imported.standardOutput == "imported 2 exchanges from the vcrpy cassette \(source) into gets.har (values redacted in 2 of them)\n")
            let har = try String(contentsOf: directory.appendingPathComponent("gets.har"), encoding: .utf8)
            #expect(!har.contains("postData"), "a GET's null or empty body is no body")
            #expect(try await nexsh(["cassette", "verify", "gets.har"], in: directory).status == 0)

            try Data("""
                get /api/public/coworkers/profiles
                expect status 200
                expect .User.Email == "jane.doe@example.com"
                get /en/team/profiles bookForTeam=true
                expect .[0].Team.Name == "Tech Innovators"

                """.utf8).write(to: directory.appendingPathComponent("gets.nexsh"))
            let replayed = try await nexsh(["run", "gets.nexsh", "--cassette", "gets.har", "--strict"], in: directory)
            #expect(replayed.status == 0, "\(replayed.standardOutput)\(replayed.standardError)")
            #expect(replayed.standardError.hasSuffix("✔ gets.nexsh: 3 expectations passed\n3 passed, 0 failed\n"))
        }
    }
}

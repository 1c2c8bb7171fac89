import Foundation
import HTTPCassette
import HTTPValues
import JSONValues
import NexshAppTesting
import NexshTesting
import NexudusAPI
import Sandbox
import Testing
import Transport

/// `nexsh cassette …` as a user runs it: a separate process, its output and exit status.
@Suite struct CassetteCommandTests {
    func nexsh(_ arguments: [String], environment: [String: String]? = nil) async throws -> ProcessResult {
        try await InProcessNexsh.run(arguments, environment: environment)
    }

    /// The built binary, for the exit statuses a process ends with.
    func binary(_ arguments: [String]) async throws -> ProcessResult {
        try await ChildProcess.run(BuildProducts.nexsh, arguments)
    }

    /// A sandbox session recorded by nexsh's own recorder.
    func recordSandboxSession(into files: [URL]) async throws {
        let jane = SandboxAccounts.jane
        try await withSandbox { sandbox in
            try await withLiveTransport { live in
                for file in files {
                    let cassette = try CassetteTransport(file: file, mode: .record, upstream: live)
                    let client = NexudusClient(baseURL: sandbox.baseURL, transport: cassette)
                    try await client.login(email: jane.email, password: jane.password)
                    _ = try await client.profiles()
                    _ = try await client.switchProfile(to: 102)
                    try cassette.finish()
                    let reset = NexudusClient(baseURL: sandbox.baseURL, transport: live)
                    try await reset.login(email: jane.email, password: jane.password)
                    _ = try await reset.switchProfile(to: 101)
                }
            }
        }
    }

    @Test func inspectListsTheExchanges() async throws {
        let result = try await nexsh(["cassette", "inspect", InteropCassettes.url("replay-fetchUser.har").path])
        #expect(result.status == 0)
        #expect(result.standardOutput == """
            \(InteropCassettes.url("replay-fetchUser.har").path): HAR 1.2 by Replay 1.0, 1 entry
            #  METHOD  REQUEST    STATUS  SIZE    TIME
            1  GET     /users/42  200 OK  52 B  150 ms

            """)
    }

    @Test func verifyAcceptsWhatNexshRecordsAndImports() async throws {
        try await withTemporaryDirectory { directory in
            let recorded = directory.appendingPathComponent("session.har")
            try await recordSandboxSession(into: [recorded])
            let result = try await nexsh(["cassette", "verify", recorded.path])
            #expect(result.status == 0, "\(result.standardOutput)")
            #expect(result.standardOutput == "\(recorded.path): valid HAR 1.2, 4 entries, no unredacted secrets\n")

            for name in InteropCassettes.vcrFiles {
                let output = directory.appendingPathComponent("\(name).har")
                let imported = try await nexsh(["cassette", "import", InteropCassettes.url(name).path, "-o", output.path])
                #expect(imported.status == 0, "\(name): \(imported.standardError)")
                #expect(imported.standardOutput.hasPrefix("imported 1 exchange from the "))
                let verified = try await nexsh(["cassette", "verify", output.path])
                #expect(verified.status == 0, "\(name): \(verified.standardOutput)")
            }
        }
    }

    @Test func verifyFindsSecretsAndSpecViolations() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("leaky.har")
            let har = #"""
                {"log": {"version": "1.2", "creator": {"name": "hand", "version": "1"}, "entries": [{
                  "startedDateTime": "2024-01-01T00:00:00Z", "time": 1,
                  "request": {"method": "GET", "url": "https://h/x?access_token=abc123", "httpVersion": "HTTP/1.1", "cookies": [],
                    "headers": [{"name": "Authorization", "value": "Bearer abc123"}], "queryString": [{"name": "access_token", "value": "abc123"}],
                    "headersSize": -1, "bodySize": 0},
                  "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [],
                    "content": {"size": 40, "mimeType": "application/json", "text": "{\"User\": {\"AccessToken\": \"s3cr3t-value\"}}"},
                    "redirectURL": "", "headersSize": -1, "bodySize": 40},
                  "cache": {}}]}}
                """#
            try Data(har.utf8).write(to: file)
            let result = try await nexsh(["cassette", "verify", file.path, "--secret-env", "LEAKED"], environment: ["LEAKED": "s3cr3t-value"])
            #expect(result.status == 1)
            #expect(result.standardOutput == """
                \(file.path): 5 problems
                  log.entries[0]: required member 'timings' is missing
                  log.entries[0].request.headers[Authorization]: Authorization value is not redacted
                  log.entries[0].request.queryString[access_token]: 'access_token' is not redacted
                  log.entries[0].response.content.text: .User.AccessToken is not redacted
                  log.entries[0].response.content.text: contains the value of $LEAKED

                """)
        }
    }

    @Test func verifyFindsThePasswordAndTokensInAnotherToolsCassette() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("customer.yaml")
            try Data("""
                interactions:
                - request:
                    body: grant_type=password&username=jane.doe%40example.com&password=correct-horse
                    headers:
                      Content-Type: [application/x-www-form-urlencoded]
                    method: POST
                    uri: https://spaces.nexudus.com/api/token
                  response:
                    body: {string: '{"access_token":"eyJabc.def","token_type":"bearer","refresh_token":"r3fr3sh"}'}
                    headers:
                      Content-Type: [application/json]
                    status: {code: 200, message: OK}
                version: 1

                """.utf8).write(to: file)
            let result = try await nexsh(["cassette", "verify", file.path])
            #expect(result.status == 1)
            #expect(result.standardOutput == """
                \(file.path): 3 problems
                  log.entries[0].request.postData: form field 'password' is not redacted
                  log.entries[0].response.content.text: .access_token is not redacted
                  log.entries[0].response.content.text: .refresh_token is not redacted

                """)
        }
    }

    @Test func diffSaysIdenticalForTwoRecordingsAndNamesAChangedValue() async throws {
        try await withTemporaryDirectory { directory in
            let first = directory.appendingPathComponent("a.har")
            let second = directory.appendingPathComponent("b.har")
            try await recordSandboxSession(into: [first, second])
            let same = try await nexsh(["cassette", "diff", first.path, second.path])
            #expect(same.status == 0, "\(same.standardOutput)")
            #expect(same.standardOutput == "\(first.path) and \(second.path) are identical (4 entries; dates, timings and volatile headers ignored)\n")

            let text = try String(contentsOf: second, encoding: .utf8)
            try Data(text.replacingOccurrences(of: #"\"FullName\":\"Acme Design Co.\""#, with: #"\"FullName\":\"Acme Ltd\""#).utf8)
                .write(to: second)
            let changed = try await nexsh(["cassette", "diff", first.path, second.path])
            #expect(changed.status == 1)
            #expect(changed.standardOutput == """
                #2 GET /api/public/coworkers/profiles
                    body .Profiles[1].FullName: "Acme Design Co." → "Acme Ltd"
                #4 GET /api/public/coworkers/profiles
                    body .Profiles[1].FullName: "Acme Design Co." → "Acme Ltd"
                2 of 4 entries differ

                """)
        }
    }

    @Test func redactRewritesTheFileInPlace() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("raw.har")
            var cassette = Cassette()
            cassette.entries = [HAR.Entry(
                request: try HTTPRequest(method: .get, url: "https://h/me", headers: [("Authorization", "Bearer tok-123456")]),
                response: HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Data(#"{"email":"a@b.c","ssn":"123-45-6789"}"#.utf8))
            )]
            try cassette.write(to: file)
            #expect(try await nexsh(["cassette", "verify", file.path]).status == 1)

            let redacted = try await nexsh(["cassette", "redact", file.path, "--redact-json", ".ssn"])
            #expect(redacted.status == 0)
            #expect(redacted.standardOutput == "\(file.path): redacted values in 1 of 1 entries\n")
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains("tok-123456"))
            #expect(!text.contains("123-45-6789"))
            #expect(try await nexsh(["cassette", "verify", file.path]).status == 0)
            #expect(try await nexsh(["cassette", "redact", file.path]).standardOutput == "\(file.path): nothing to redact\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["raw.har"])
        }
    }

    @Test func badInputIsOneLineAndStatus2AndBadCommandLinesStatus3() async throws {
        try await withTemporaryDirectory { directory in
            let notJSON = directory.appendingPathComponent("notes.txt")
            try Data("{\n  \"log\": nope\n}".utf8).write(to: notJSON)
            let notHAR = directory.appendingPathComponent("other.json")
            try Data(#"{"log": {"entries": [{"request": {"url": "http://x/"}, "response": {"status": 200}}]}}"#.utf8).write(to: notHAR)
            let cases: [([String], String)] = [
                (["cassette", "inspect", "/nonexistent/c.har"], "nexsh cassette inspect: cassette /nonexistent/c.har does not exist\n"),
                (["cassette", "verify", notJSON.path],
                 "nexsh cassette verify: \(notJSON.path) is not a HAR file: it is not valid JSON (line 2, column 10: unexpected 'n'; expected a value)\n"
                    + "(a VCR, vcrpy, go-vcr or Betamax cassette converts to HAR with 'nexsh cassette import')\n"),
                (["cassette", "diff", notHAR.path, notHAR.path], "nexsh cassette diff: \(notHAR.path) is not a HAR file: log.entries[0].request: 'method' is missing\n"),
                (["cassette", "import", notJSON.path, "-o", directory.appendingPathComponent("x.har").path],
                 "nexsh cassette import: cannot import \(notJSON.path): not valid JSON (line 2, column 10: unexpected 'n'; expected a value)\n"),
            ]
            for (arguments, message) in cases {
                let result = try await binary(arguments)
                #expect(result.status == 2, "\(arguments)")
                if !message.isEmpty { #expect(result.standardError == message, "\(arguments)") }
            }
            // A wrong command line is status 3.
            let usage = try await binary(["cassette", "diff", "only-one.har"])
            #expect(usage.status == 3)
            #expect(usage.standardError.contains("Missing expected argument '<second>'"))
            let badRule = try await binary(["cassette", "redact", notHAR.path, "--redact-json", "a..b"])
            #expect(badRule.status == 3)
            #expect(badRule.standardError.contains("--redact-json 'a..b': column 3: empty key"))
        }
    }
}

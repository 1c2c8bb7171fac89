import Foundation
@testable import HTTPCassette
import JSONValues
import NexshTesting
import NexudusAPI
import Sandbox
import Testing
import Transport

@Suite struct RedactionTests {
    func entry(
        _ url: String, method: HTTPMethod = .get, requestHeaders: HTTPHeaders = [], body: String = "",
        responseHeaders: HTTPHeaders = [("Content-Type", "application/json")], responseBody: String = ""
    ) throws -> HAR.Entry {
        HAR.Entry(
            request: try HTTPRequest(method: method, url: url, headers: requestHeaders, body: Data(body.utf8)),
            response: HTTPResponse(status: 200, headers: responseHeaders, body: Data(responseBody.utf8))
        )
    }

    @Test func standardRulesTakeOutCredentials() throws {
        var redactor = Redactor(rules: .standard)
        let token = try redactor.redact(entry(
            "https://spaces.example.com/api/token?access_token=abcdef123456&x=1", method: .post,
            requestHeaders: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", "session=s3cr3t-cookie; theme=dark")],
            body: "grant_type=password&username=jane%40example.com&password=correct-horse&totp=123456",
            responseHeaders: [("Content-Type", "application/json"), ("Set-Cookie", "id=cookie-value-1; Path=/")],
            responseBody: #"{"access_token":"tok-AAAA-1111","token_type":"bearer","expires_in":60,"refresh_token":"ref-BBBB-2222"}"#
        ))
        #expect(token.request.url == "https://spaces.example.com/api/token?access_token=%3Credacted%3Aaccess_token%3E&x=1")
        #expect(token.request.queryString.first?.value == "<redacted:access_token>")
        #expect(token.request.headers[1].value == "<redacted:cookie>")
        #expect(token.request.postData?.text
            == "grant_type=password&username=jane%40example.com&password=%3Credacted%3Apassword%3E&totp=%3Credacted%3Atotp%3E")
        #expect(token.request.postData?.params?.map(\.value) == ["password", "jane@example.com", "<redacted:password>", "<redacted:totp>"])
        #expect(token.response.headers[1].value == "<redacted:set-cookie>")
        #expect(token.response.content.text
            == #"{"access_token":"<redacted:access_token>","token_type":"bearer","expires_in":60,"refresh_token":"<redacted:refresh_token>"}"#)

        // What was learned is taken out of later exchanges too, wherever it appears.
        let later = try redactor.redact(entry(
            "https://x.example.com/api/me?echo=correct-horse",
            requestHeaders: [("Authorization", "Bearer tok-AAAA-1111")],
            responseBody: #"{"User":{"AccessToken":"tok-AAAA-1111","Note":"pw correct-horse"}}"#
        ))
        #expect(later.request.headers[0].value == "<redacted:authorization>")
        #expect(later.request.url == "https://x.example.com/api/me?echo=%3Credacted%3Apassword%3E")
        #expect(later.response.content.text == #"{"User":{"AccessToken":"<redacted:access_token>","Note":"pw <redacted:password>"}}"#)
    }

    @Test func callerRulesAddHeadersFieldsPathsAndPatterns() throws {
        let rules = RedactionRules.standard.adding(RedactionRules(
            headers: ["X-Api-Key"], formFields: ["pin"], jsonPaths: [try JSONPath("User.AccessToken"), try JSONPath(".Items[*].Secret")],
            patterns: [try RedactionRules.Pattern(name: "card", expression: #"card=(\d{12,19})"#)]
        ))
        var redactor = Redactor(rules: rules)
        let redacted = try redactor.redact(entry(
            "https://h/x?card=4111111111111111", method: .post,
            requestHeaders: [("x-api-key", "key-123456789"), ("Content-Type", "application/json")],
            body: #"{"Items": [{"Secret": 42}, {"Secret": "short"}]}"#,
            responseBody: #"{"User": {"AccessToken": "zzzz-yyyy-xxxx"}, "echo": "key-123456789"}"#
        ))
        #expect(redacted.request.headers[0].value == "<redacted:x-api-key>")
        #expect(redacted.request.url == "https://h/x?card=<redacted:card>")
        #expect(redacted.request.postData?.text == #"{"Items":[{"Secret":"<redacted:Secret>"},{"Secret":"<redacted:Secret>"}]}"#)
        #expect(redacted.response.content.text == #"{"User": {"AccessToken": "<redacted:AccessToken>"}, "echo": "<redacted:x-api-key>"}"#)
    }

    @Test func secretsAreFoundAndReplacedByteForByte() {
        let text = "a=tok€n1&b=tok€n1tok€n1&c=tok€"
        #expect(text.replacingBytes(Array("tok€n1".utf8), with: "<x>") == "a=<x>&b=<x><x>&c=tok€")
        #expect(text.replacingBytes(Array("absent".utf8), with: "<x>") == text)
        #expect(text.containsBytes(Array("€n1&c".utf8)))
        #expect(!text.containsBytes(Array("tok€n2".utf8)))
        #expect(!"short".containsBytes(Array("longer than the text".utf8)))
    }

    @Test func placeholdersAreStableSoRedactingTwiceChangesNothing() throws {
        var first = Redactor(rules: .standard)
        let once = try first.redact(entry(
            "https://h/api/token", method: .post, requestHeaders: [("Content-Type", "application/x-www-form-urlencoded")],
            body: "password=hunter22-long", responseBody: #"{"access_token":"abcdefgh"}"#
        ))
        var second = Redactor(rules: .standard)
        #expect(second.redact(once) == once)
    }

    @Test func aTokenUsedBeforeTheRecordingStartedIsStillTakenOut() async throws {
        let jane = SandboxAccounts.jane
        try await withTemporaryDirectory { directory in
            try await withSandbox { sandbox in
                try await withLiveTransport { live in
                    // Signed in before recording starts: the recorder never sees the token answer,
                    // but learns the token from the Authorization header it redacts.
                    let client = NexudusClient(baseURL: sandbox.baseURL, transport: live)
                    try await client.login(email: jane.email, password: jane.password)
                    let session = try #require(client.session)
                    let file = directory.appendingPathComponent("late.har")
                    let cassette = try CassetteTransport(file: file, mode: .record, upstream: live)
                    _ = try await NexudusClient(baseURL: sandbox.baseURL, transport: cassette, session: session).profiles()
                    try cassette.flush()
                    let text = try String(contentsOf: file, encoding: .utf8)
                    #expect(!text.contains(session.accessToken))
                    #expect(text.contains(#"\"AccessToken\":\"<redacted:authorization>\""#))
                }
            }
        }
    }

    @Test func aKnownSecretThatSurvivesTheRulesIsNeverWritten() async throws {
        try await withTemporaryDirectory { directory in
            try await withSandbox { sandbox in
                try await withLiveTransport { live in
                    let secrets: @Sendable () -> [KnownSecret] = { [KnownSecret(value: "correct-horse", description: "the password")] }
                    let file = directory.appendingPathComponent("leaky.har")
                    let leaky = try HTTPRequest(
                        method: .post, url: sandbox.baseURL.absoluteString + "/api/echo",
                        headers: [("Content-Type", "application/json")], body: Data(#"{"pass": "correct-horse"}"#.utf8)
                    )
                    // Scoped, so that its recording lock is released before the next one records.
                    do {
                        let cassette = try CassetteTransport(file: file, mode: .record, upstream: live, options: CassetteOptions(knownSecrets: secrets))
                        // The exchange itself goes through; writing it is refused, and the
                        // refusal is reported once the recorder has looked at it.
                        _ = try await cassette.send(leaky)
                        let error = #expect(throws: CassetteError.self) { try cassette.flush() }
                        #expect(error?.description == "refusing to write \(file.path): it would contain the password at "
                            + "entries[0].request.postData.text. Add a redaction rule for it (or remove it from the request) and try again")
                        #expect(!FileManager.default.fileExists(atPath: file.path))
                    }

                    // With a rule for that field, the same request records.
                    let rules = RedactionRules.standard.adding(RedactionRules(jsonPaths: [try JSONPath(".pass")]))
                    let safe = try CassetteTransport(
                        file: file, mode: .record, upstream: live, options: CassetteOptions(redaction: rules, knownSecrets: secrets)
                    )
                    _ = try await safe.send(leaky)
                    try safe.finish()
                    let text = try String(contentsOf: file, encoding: .utf8)
                    #expect(!text.contains("correct-horse"))
                    #expect(text.contains(#"{\"pass\": \"<redacted:pass>\"}"#))
                }
            }
        }
    }
}

import Foundation
@testable import HTTPCassette
import HTTPValues
import JSONValues
import NexshTesting
import NexudusAPI
import Sandbox
import Secrets
import Testing

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

    @Test func aSecretIsFoundInEverySpellingAndNowhereElse() {
        var finder = SecretFinder()
        finder.add("tok/en+Secret€1", name: "token")
        let written = [
            "tok/en+Secret€1", #"tok\/en+Secret€1"#, #"\u0074\u006f\u006B\/en\u002BSecret\u20AC1"#,
            "tok%2Fen%2BSecret%E2%82%AC1", "tok%2fen%2bsecret%e2%82%ac1".replacingOccurrences(of: "secret", with: "Secret"),
            #"tok\/en%2BSecret€1"#,
        ]
        for spelling in written {
            let text = "before " + spelling + " after"
            let matches = finder.matches(in: text)
            #expect(matches.count == 1, "\(spelling)")
            #expect(matches.first.map { Array(text.utf8)[$0.range] } == Array(spelling.utf8)[...], "\(spelling)")
        }
        // Inside base64, at each of the three alignments, in both alphabets.
        for prefix in ["", "x", "xy"] {
            let encoded = Data((prefix + "tok/en+Secret€1 and more").utf8).base64EncodedString()
            #expect(finder.matches(in: encoded).first?.spelling == .base64, "\(prefix)")
            let urlSafe = encoded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            #expect(!finder.matches(in: urlSafe).isEmpty, "\(prefix)")
        }
        #expect(finder.matches(in: "tok/en+Secret€2 and tok/en Secret€1").isEmpty)
        let addedShort = finder.add("short", name: "x")
        #expect(!addedShort, "too short to search for")
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
            let sandbox = InProcessSandbox()
            // Signed in before recording starts: the recorder never sees the token answer,
            // but learns the token from the Authorization header it redacts.
            let client = NexudusClient(baseURL: sandbox.baseURL, transport: sandbox.transport)
            try await client.login(email: jane.email, password: jane.password)
            let session = try #require(client.session)
            let file = directory.appendingPathComponent("late.har")
            let cassette = try CassetteTransport(file: file, mode: .record, upstream: sandbox.transport)
            _ = try await NexudusClient(baseURL: sandbox.baseURL, transport: cassette, session: session).profiles()
            try cassette.flush()
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains(session.accessToken))
            #expect(text.contains(#"\"AccessToken\":\"<redacted:authorization>\""#))
        }
    }

    @Test func aKnownSecretIsTakenOutWhereverItIsAndHoweverItIsWritten() async throws {
        try await withTemporaryDirectory { directory in
            let sandbox = InProcessSandbox()
            let secrets: @Sendable () -> [KnownSecret] = {
                [KnownSecret(value: "correct/horse", description: "the password", placeholderName: "password")]
            }
            let file = directory.appendingPathComponent("echo.har")
            // No rule names the field; the value is known, and written JSON-escaped.
            let leaky = try HTTPRequest(
                method: .post, url: sandbox.baseURL.absoluteString + "/api/echo",
                headers: [("Content-Type", "application/json")], body: Data(#"{"note": "correct\/horse"}"#.utf8)
            )
            let cassette = try CassetteTransport(file: file, mode: .record, upstream: sandbox.transport, options: CassetteOptions(knownSecrets: secrets))
            _ = try await cassette.send(leaky)
            try cassette.finish()
            let data = try Data(contentsOf: file)
            #expect(SecretOracle.leaks(of: ["correct/horse"], in: data).isEmpty)
            #expect(String(decoding: data, as: UTF8.self).contains(#"{\"note\": \"<redacted:password>\"}"#))
        }
    }

    /// A built-in pattern's expression runs only on texts its prefilter admits; the prefilter
    /// must admit every text the expression matches, and may leave out the rest.
    @Test func thePrefiltersAdmitEveryTextTheirPatternsMatch() throws {
        let texts = [
            "Authorization: Bearer tok-AAAA-1111", "BEARER\tabc12345678", "bEaReR \n x.y.z-12345678", "a bearer  1234567890==",
            "Bearer\u{00A0}abc12345678", "bearer\u{2003}\u{2003}tok-12345678", "Bearer \u{3000}tok-12345678",
            "x=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlMTIz", "Bearer <redacted:authorization>",
            "bearer bonds", "bearer", "no credential here", "/api/public/teams/my?isTeamAdmin=true", "Bearer",
        ]
        for pattern in RedactionRules.standard.patterns {
            for text in texts {
                let matches = pattern.regex.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
                if matches { #expect(pattern.mayMatch(text), "\(pattern.name) must admit \(text)") }
            }
        }
        let bearer = try #require(RedactionRules.standard.patterns.first { $0.name == "bearer" })
        // What every replayed request carries, already redacted, is not searched.
        #expect(!bearer.mayMatch("Bearer <redacted:authorization>"))
        #expect(!bearer.mayMatch("/api/public/teams/my?isTeamAdmin=true"))
    }
}

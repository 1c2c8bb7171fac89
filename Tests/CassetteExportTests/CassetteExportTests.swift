@testable import CassetteExport
import Foundation
import HTTPCassette
import HTTPValues
import JSONValues
import NexshTesting
import ShellCore
import Testing

@Suite struct CassetteExportTests {
    static let cassettes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Cassettes")
    static let redaction = RedactionRules.standard

    static func cassette(_ name: String) throws -> Cassette {
        try Cassette.load(from: cassettes.appendingPathComponent(name))
    }

    // MARK: Shell words

    /// Each word, given to `printf %s` by /bin/sh, prints exactly the bytes it was made from.
    @Test func hostileWordsRoundTripThroughTheShell() async throws {
        let hostile: [[UInt8]] = [
            "", "plain", "it's", "'", "''", #"a"b"#, "$HOME", "${x}", "`id`", "$(id)", "back\\slash", "two\nlines\n", "\n\n",
            "tab\there", "*?[a]", "~", "!", "#", "; rm -rf /", "ünïcödé ✓", "\u{1B}]0;title\u{07}", "\u{1B}[31mred",
            "bidi \u{202E}txt", "cr\r", "del\u{7F}",
        ].map { Array($0.utf8) } + [[0xFF, 0xFE, 0x41], [0x41, 0xC3], [0xE2, 0x82]]
        for bytes in hostile {
            let word = try ShellQuoting.quote(bytes: bytes)
            #expect(Terminal.safe(word, keepingNewlines: true) == word, "safe to show: \(word)")
            let printed = try await ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "printf %s \(word)"])
            #expect(printed.status == 0, "\(word): \(printed.standardError)")
            #expect(Array(printed.standardOutputBytes) == bytes, "\(word)")
        }
    }

    @Test func aNulByteIsRefusedNotDropped() {
        #expect(throws: ShellQuoting.UnquotableByte.self) { try ShellQuoting.quote(bytes: [0x61, 0x00, 0x62]) }
    }

    // MARK: curl

    @Test func oneEntryAsCurlTheTokenFromTheEnvironment() throws {
        let text = try CassetteExport.curl(Self.cassette("signin-and-profiles.har"), entry: 2, redaction: Self.redaction)
        #expect(text == """
            # 2: GET http://127.0.0.1:47301/api/public/coworkers/profiles → 200
            curl 'http://127.0.0.1:47301/api/public/coworkers/profiles' \\
              -H 'Accept: application/json' \\
              -H "Authorization: Bearer $NEXSH_TOKEN"
            """)
    }

    @Test func everyEntryAsCurlTheSignInNamingThePasswordItLeavesOut() throws {
        let cassette = try Self.cassette("signin-and-profiles.har")
        let text = try CassetteExport.curl(cassette, redaction: Self.redaction)
        let blocks = text.components(separatedBy: "\n\n")
        #expect(blocks.count == cassette.entries.count)
        #expect(blocks[0] == """
            # 1: POST http://127.0.0.1:47301/api/token → 200
            # sends <redacted:password> where the secret was: put its value in
            curl 'http://127.0.0.1:47301/api/token' \\
              -H 'Accept: application/json' \\
              -H 'Content-Type: application/x-www-form-urlencoded' \\
              --data-binary 'grant_type=password&username=jane.doe%40example.com&password=%3Credacted%3Apassword%3E'
            """)
        #expect(!text.contains("<redacted:authorization>"))
        #expect(throws: CassetteExport.Failure.self) { try CassetteExport.curl(cassette, entry: 4, redaction: Self.redaction) }
    }

    // MARK: Hurl

    /// The Hurl file of a shipped cassette, read back: one request per entry with its method,
    /// URL and status, secrets as variables, and asserts that hold for each recorded body.
    @Test func aHurlExportReadsBackAsTheCassette() throws {
        let cassette = try Self.cassette("member-activity.har")
        let entries = try CassetteExport.entries(of: cassette, entry: nil, redaction: Self.redaction)
        let text = try HurlFile.render(entries, source: "member-activity.har", asserts: .body)
        #expect(Terminal.safe(text, keepingNewlines: true) == text)
        #expect(text.hasPrefix("""
            # Exported by nexsh from member-activity.har: 11 requests.
            # The secrets are variables; pass them to hurl:
            #   --variable password=…
            #   --variable token=…   (the bearer token: --variable token="$NEXSH_TOKEN")
            """))
        let hurl = try HurlStructure(text)
        #expect(hurl.entries.count == cassette.entries.count)
        for (read, entry) in zip(hurl.entries, cassette.entries) {
            #expect(read.method == entry.request.method)
            #expect(read.url == entry.request.url)
            #expect(read.status == entry.response.status)
            if entry.request.headers.contains(where: { $0.name == "Authorization" }) {
                #expect(read.headers.contains { $0 == ("Authorization", "Bearer {{token}}") })
            }
            let body = try JSONValue.parse(entry.response.bodyData())
            for assert in read.asserts {
                switch (assert.predicate, body) {
                case ("count ==", .array(let items)):
                    #expect(assert.path == "$" && assert.value == String(items.count))
                case ("exists", .object(let object)):
                    let value = try #require(object[String(assert.path.dropFirst(2))])
                    #expect(RedactionRules.isPlaceholder(value.stringValue ?? ""))
                case ("==", .object(let object)):
                    let value = try #require(object[String(assert.path.dropFirst(2))], "\(assert.path)")
                    #expect(value.stringValue ?? value.serialized() == assert.value, "\(assert.path)")
                default:
                    Issue.record("\(assert) does not fit the body of \(entry.request.url)")
                }
            }
        }
        #expect(hurl.entries.filter { !$0.asserts.isEmpty }.count == 10, "all but the profiles answer, whose members are all objects")
        let signIn = hurl.entries[0]
        #expect(signIn.sections["FormParams"]?.map(\.name) == ["grant_type", "username", "password"])
        #expect(signIn.sections["FormParams"]?.last?.value == "{{password}}")
        #expect(signIn.asserts.contains(.init(path: "$.token_type", predicate: "==", value: "bearer")))
        #expect(signIn.asserts.contains(.init(path: "$.access_token", predicate: "exists", value: nil)))
        #expect(hurl.entries[2].asserts.contains(.init(path: "$.Id", predicate: "==", value: "7")))
    }

    @Test func aJSONBodyKeepsItsMeaningAndIsSafeToShow() throws {
        let body = #"{"Name": "a\u202eb\u001bc", "Token": "<redacted:api_key>"}"#
        let escaped = HurlFile.jsonEscapingHostile(try JSONValue.parse(Data(body.utf8)).serialized(.pretty))
        #expect(Terminal.safe(escaped, keepingNewlines: true) == escaped)
        #expect(try JSONValue.parse(Data(escaped.utf8)) == JSONValue.parse(Data(body.utf8)))
    }

    /// Escapes keep a value a value: `#` is not a comment, `{{` not a template.
    @Test func hurlValuesEscapeWhatHurlReads() throws {
        let text = "a #b {{c}} \\ \"q\" \n\u{1B}"
        let escaped = HurlFile.escaped(text, also: "#")
        #expect(!escaped.contains("{{") && !escaped.contains(" #") && !escaped.contains("\n"))
        #expect(try HurlStructure.unescape(escaped) == text)
        #expect(try HurlStructure.unquote(HurlFile.quoted(text)) == text)
    }
}

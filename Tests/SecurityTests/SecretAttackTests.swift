import Foundation
import NexshAppTesting
import NexshTesting
import Synchronization
import Testing

/// Attacks on redaction: a server that echoes back what it is sent, in every spelling; files
/// made by tools that redact nothing; secrets typed into the shell. After each, every file nexsh
/// wrote is scanned for every secret, decoding JSON escapes, percent-encoding and base64
/// (``SecretOracle``), and `cassette verify` must agree.
@Suite struct SecretAttackTests {
    static let accessToken = "tok/en+SECRET-access-0042"
    static let refreshedToken = "tok/en+SECRET-refreshed-0077"
    static let refreshToken = "refresh/SECRET+0042-xyz"
    static let newRefreshToken = "refresh/SECRET+0077-new"
    static let password = "correct horse/battery"
    static let apiKey = "apikey-SECRET-0099"
    static let jsonPassword = "json-SECRET-pass"
    static let formPassword = "form-SECRET-pass"
    static var all: [String] {
        [accessToken, refreshedToken, refreshToken, newRefreshToken, password, apiKey, jsonPassword, formPassword]
    }

    func nexsh(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) async throws -> ProcessResult {
        try await InProcessNexsh.run(
            arguments, environment: ["NO_COLOR": "1", "NEXSH_SERVER": ""].merging(environment) { $1 },
            currentDirectory: directory
        )
    }

    /// A server that answers sign-in and refresh, and echoes every other request back: its
    /// headers and body, and its bearer token written four more ways. `/refresh-me` refuses the
    /// first token, so that the client refreshes and the new token is echoed too.
    static func echoServer() -> [TestRoute] {
        @Sendable func token(_ request: ReceivedRequest) -> String {
            let authorization = request.headers.first { $0.name.lowercased() == "authorization" }?.value ?? ""
            return String(authorization.split(separator: " ").last ?? "")
        }
        @Sendable func echo(_ request: ReceivedRequest) -> CannedResponse {
            let bearer = token(request)
            let unicode = bearer.unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined()
            let percent = lowercaseHex((bearer.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            let headers = request.headers.map { #""\#($0.name)": "\#($0.value)""# }.joined(separator: ", ")
            let body = String(decoding: request.body, as: UTF8.self).replacingOccurrences(of: "\"", with: "\\\"")
            let text = """
                {"headers": {\(headers)}, "body": "\(body)", "slash": "\(bearer.replacingOccurrences(of: "/", with: "\\/"))", \
                "unicode": "\(unicode)", "percent": "\(percent)", "base64": "\(Data(("x" + bearer).utf8).base64EncodedString())"}
                """
            return CannedResponse(headers: [("Content-Type", "application/json")], text: text)
        }
        let refused = Refusal()
        return [
            TestRoute("POST", "/api/token") { request in
                let form = String(decoding: request.body, as: UTF8.self)
                let refreshing = form.contains("grant_type=refresh_token")
                let answer = #"{"access_token": "\#(refreshing ? refreshedToken : accessToken)", "token_type": "bearer", "expires_in": 604799, "refresh_token": "\#(refreshing ? newRefreshToken : refreshToken)"}"#
                return CannedResponse(headers: [("Content-Type", "application/json")], text: answer)
            },
            TestRoute("GET", "/api/public/coworkers/profiles", respond: echo),
            TestRoute("GET", "/echo", respond: echo),
            TestRoute("POST", "/echo", respond: echo),
            TestRoute("GET", "/refresh-me") { request in
                let first = !refused.done.exchange(true, ordering: .relaxed)
                if first, token(request) == accessToken {
                    return CannedResponse(status: 401, headers: [("WWW-Authenticate", "Bearer")], text: "")
                }
                return echo(request)
            },
            TestRoute("GET", "/bin") { request in
                CannedResponse(headers: [("Content-Type", "application/octet-stream")], body: [0, 1, 0xFF] + Array(token(request).utf8) + [0xFE, 0])
            },
        ]
    }

    /// `%2F` → `%2f`: percent-encoding in the case some servers write it.
    static func lowercaseHex(_ text: String) -> String {
        var output = ""
        var remaining = 0
        for character in text {
            if character == "%" {
                remaining = 2
                output.append(character)
            } else if remaining > 0 {
                remaining -= 1
                output += character.lowercased()
            } else {
                output.append(character)
            }
        }
        return output
    }

    static let attackScript = """
        login jane.doe@example.com --password "\(password)"
        get /echo --header "X-Api-Key: \(apiKey)"
        post /echo --body '{"password": "\(jsonPassword)"}'
        post /echo --header "Content-Type: text/plain" --body 'user=a&password=\(formPassword)'
        get /bin
        get /refresh-me
        expect status 200
        expect .headers.Authorization == "nothing like this"

        """

    @Test func anEchoingServerCannotPutASecretInAnyFileNexshWrites() async throws {
        try await withTemporaryDirectory { scripts in
            try await withTemporaryDirectory { output in
                let script = scripts.appendingPathComponent("attack.nexsh")
                try Data(Self.attackScript.utf8).write(to: script)
                try await withTestServer(Self.echoServer()) { url in
                    let run = try await nexsh([
                        "run", script.path, "--server", url.absoluteString, "--cassette", "c.har", "--mode", "record",
                        "--report", "html:r.html", "--report", "junit:r.xml", "--report", "tap:r.tap",
                    ], in: output)
                    // The last expectation fails on purpose: its report shows the actual value.
                    #expect(run.status == 1, "\(run.standardOutput)\(run.standardError)")
                    #expect(run.standardError.contains("expectation failed"))
                    let bundle = try await nexsh(["bundle", "create", "b.har", "--script", script.path, "--server", url.absoluteString], in: output)
                    #expect(bundle.standardOutput.contains("wrote b.har"), "\(bundle.standardOutput)\(bundle.standardError)")
                }
                let written = FileTree.regularFiles(under: output).map(\.lastPathComponent).sorted()
                #expect(written == ["b.har", "c.har", "r.html", "r.tap", "r.xml"])
                #expect(SecretOracle.leaks(of: Self.all, inFilesUnder: output) == [])
                for file in ["c.har", "b.har"] {
                    let verified = try await nexsh(["cassette", "verify", file], in: output)
                    #expect(verified.status == 0, "\(file): \(verified.standardOutput)")
                    let redacted = try await nexsh(["cassette", "redact", file], in: output)
                    #expect(redacted.standardOutput == "\(file): nothing to redact\n")
                }
                // What stands in for each secret says what it was.
                let cassette = try String(contentsOf: output.appendingPathComponent("c.har"), encoding: .utf8)
                for placeholder in ["<redacted:x-api-key>", "<redacted:access_token>", "<redacted:password>", "%3Credacted%3Apassword%3E"] {
                    #expect(cassette.contains(placeholder), "\(placeholder)")
                }
                let bundleText = try String(contentsOf: output.appendingPathComponent("b.har"), encoding: .utf8)
                #expect(bundleText.contains("--password-env NEXSH_PASSWORD"))
            }
        }
    }

    /// A HAR as a tool that redacts nothing writes it (mitmproxy, a browser), with a secret in
    /// each place the attack found one: `verify` names every place, `redact` takes all out, and
    /// `verify` then has nothing to say.
    @Test func verifyFlagsEveryLeakSiteAndRedactLeavesNoneOfThem() async throws {
        let token = Self.accessToken
        func entry(_ method: String, _ url: String, requestHeaders: [(String, String)] = [], postData: String? = nil,
                   mimeType: String = "", responseType: String = "application/json", response: String, base64: Bool = false) -> String {
            let headers = requestHeaders.map { #"{"name": "\#($0.0)", "value": "\#($0.1)"}"# }.joined(separator: ", ")
            let post = postData.map { #", "postData": {"mimeType": "\#(mimeType)", "text": "\#($0)"}"# } ?? ""
            let encoding = base64 ? #", "encoding": "base64""# : ""
            return """
                {"startedDateTime": "2026-01-01T00:00:00.000Z", "time": 1, "request": {"method": "\(method)", "url": "\(url)", \
                "httpVersion": "HTTP/1.1", "cookies": [], "headers": [\(headers)], "queryString": [], "headersSize": -1, "bodySize": 0\(post)}, \
                "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [], \
                "content": {"size": 1, "mimeType": "\(responseType)", "text": "\(response)"\(encoding)}, "redirectURL": "", "headersSize": -1, "bodySize": 1}, \
                "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}
                """
        }
        let escaped = token.replacingOccurrences(of: "/", with: "\\\\/")
        let unicode = token.unicodeScalars.map { String(format: "\\\\u%04X", $0.value) }.joined()
        let percent = Self.lowercaseHex(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        let entries = [
            entry("POST", "https://h/api/token", postData: "grant_type=password&username=u&password=\(Self.formPassword)",
                  mimeType: "application/x-www-form-urlencoded", response: #"{\"access_token\": \"\#(token)\", \"refresh_token\": \"\#(Self.refreshToken)\"}"#),
            entry("GET", "https://h/x", requestHeaders: [("Authorization", "Bearer \(token)"), ("X-Api-Key", Self.apiKey)],
                  response: #"{\"slash\": \"\#(escaped)\", \"unicode\": \"\#(unicode)\", \"percent\": \"\#(percent)\"}"#),
            entry("POST", "https://h/y", postData: #"{\"password\": \"\#(Self.jsonPassword)\"}"#, mimeType: "application/json",
                  responseType: "text/plain", response: "user=x&password=correct+horse%2Fbattery"),
            entry("GET", "https://h/bin", responseType: "application/octet-stream",
                  response: Data([0, 1, 0xFF] + Array(token.utf8) + [0xFE]).base64EncodedString(), base64: true),
            entry("GET", "https://h/z?api_key=\(Self.apiKey)-2&note=1", response: "{}"),
        ]
        let script = """
            set pw hunter2-SECRET
            login u --password-env NEXSH_PASSWORD
            get /z --header "Authorization: Bearer \(Self.refreshedToken)"
            get /z api_key=\(Self.newRefreshToken)
            """.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
        let har = """
            {"log": {"version": "1.2", "creator": {"name": "mitmproxy", "version": "11"}, "entries": [\(entries.joined(separator: ", "))], \
            "_script": {"name": "bug.nexsh", "text": "\(script)"}, "_variables": {"api_key": "k-SECRET-var", "note": "\(token)"}}}
            """
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("leaky.har")
            try Data(har.utf8).write(to: file)
            let secrets = Self.all + ["hunter2-SECRET", "k-SECRET-var"]
            #expect(!SecretOracle.leaks(of: secrets, in: try Data(contentsOf: file)).isEmpty)

            let flagged = try await nexsh(["cassette", "verify", "leaky.har"], in: directory)
            #expect(flagged.status == 1)
            for place in [
                "log.entries[0].request.postData: form field 'password' is not redacted",
                "log.entries[0].response.content.text: .access_token is not redacted",
                "log.entries[0].response.content.text: .refresh_token is not redacted",
                "log.entries[1].request.headers[Authorization]",
                "log.entries[1].request.headers[X-Api-Key]: X-Api-Key value is not redacted",
                "log.entries[1].response.content.text: contains a value redacted elsewhere as <redacted:access_token>",
                "log.entries[2].request.postData.text: .password is not redacted",
                "log.entries[2].response.content: form field 'password' is not redacted",
                "log.entries[3].response.content.text: contains a value redacted elsewhere as <redacted:access_token>",
                "log.entries[4].request.queryString[api_key]: 'api_key' is not redacted",
                "log._script.text: line 1: set pw: the value is a literal secret",
                "log._script.text: line 3: the header Authorization holds a literal credential",
                "log._script.text: line 4: 'api_key=…' holds a literal secret",
                "log._variables.api_key: variable 'api_key' is not redacted",
                "log._variables.note: contains a value redacted elsewhere as <redacted:access_token>",
            ] {
                #expect(flagged.standardOutput.contains(place), "\(place)\n\(flagged.standardOutput)")
            }

            let redacted = try await nexsh(["cassette", "redact", "leaky.har"], in: directory)
            #expect(redacted.status == 0)
            #expect(redacted.standardOutput == "leaky.har: redacted values in 5 of 5 entries and in the bundle's script or variables\n")
            let clean = try await nexsh(["cassette", "verify", "leaky.har"], in: directory)
            #expect(clean.status == 0, "\(clean.standardOutput)")
            #expect(clean.standardOutput == "leaky.har: valid HAR 1.2, 5 entries, no unredacted secrets\n")
            #expect(SecretOracle.leaks(of: secrets, in: try Data(contentsOf: file)) == [])
            #expect(try await nexsh(["cassette", "redact", "leaky.har"], in: directory).standardOutput == "leaky.har: nothing to redact\n")
            // The script still reads as a script.
            let shown = try await nexsh(["bundle", "show", "leaky.har"], in: directory)
            #expect(shown.status == 0, "\(shown.standardError)")
            #expect(shown.standardOutput.contains("set pw '<redacted:pw>'"))
        }
    }

    /// A vcrpy cassette holds an API key, a JSON password and, in a binary body, the token its
    /// Authorization header carries: `import` writes none of them, so `verify` has nothing to say.
    @Test func importWritesNothingThatVerifyWouldFlag() async throws {
        let binary = Data([0x89, 0] + Array(Self.accessToken.utf8) + [0xFF]).base64EncodedString()
        let yaml = """
            interactions:
            - request:
                body: '{"password": "\(Self.jsonPassword)"}'
                headers:
                  Authorization: [Bearer \(Self.accessToken)]
                  X-Api-Key: [\(Self.apiKey)]
                  Content-Type: [application/json]
                method: POST
                uri: https://h/echo
              response:
                body:
                  string: !!binary |
                    \(binary)
                headers:
                  Content-Type: [application/octet-stream]
                status: {code: 200, message: OK}
            version: 1

            """
        try await withTemporaryDirectory { directory in
            try Data(yaml.utf8).write(to: directory.appendingPathComponent("vcr.yaml"))
            let flagged = try await nexsh(["cassette", "verify", "vcr.yaml"], in: directory)
            #expect(flagged.status == 1, "the cassette as it is: \(flagged.standardOutput)")
            let imported = try await nexsh(["cassette", "import", "vcr.yaml", "-o", "out.har"], in: directory)
            #expect(imported.status == 0, "\(imported.standardOutput)\(imported.standardError)")
            let verified = try await nexsh(["cassette", "verify", "out.har"], in: directory)
            #expect(verified.status == 0, "\(verified.standardOutput)")
            #expect(SecretOracle.leaks(of: Self.all, in: try Data(contentsOf: directory.appendingPathComponent("out.har"))) == [])
        }
    }

    /// Secrets typed into the shell, in every way the tokenizer reads a word: after tabs (typed
    /// with Ctrl-V), in quotes with a space, after `=`, in a header, as a query word, in a
    /// variable named as a secret and in one that only its use shows to be. None reaches the
    /// history, a saved script or a bundle, and the saved script still runs.
    @Test func aLineThatDoesNotReadLeavesTheOtherLinesScrubbedAsUsual() async throws {
        let script = """
            login jane.doe@example.com \\
              --password continued-SECRET
            echo "a quote left open
            login jane.doe@example.com \\
              --password "unclosed-SECRET
            set pw flow-SECRET
            echo done

            """
        try await withTemporaryDirectory { directory in
            try Data("login jane.doe@example.com --password correct-horse\n".utf8).write(to: directory.appendingPathComponent("ok.nexsh"))
            #expect(try await nexsh(["run", "ok.nexsh", "--cassette", "ok.har", "--mode", "record"], in: directory).status == 0)
            try Data(script.utf8).write(to: directory.appendingPathComponent("bug.nexsh"))
            let created = try await nexsh(["bundle", "create", "bug.har", "--script", "bug.nexsh", "--cassette", "ok.har"], in: directory)
            #expect(created.status == 0, "\(created.standardError)")
            let bundle = try Data(contentsOf: directory.appendingPathComponent("bug.har"))
            #expect(SecretOracle.leaks(of: ["continued-SECRET", "unclosed-SECRET", "flow-SECRET"], in: bundle) == [])
            let shown = try await nexsh(["bundle", "show", "bug.har"], in: directory)
            #expect(shown.standardOutput.contains("""
                  1  login jane.doe@example.com \\
                  2    --password-env NEXSH_PASSWORD
                  3  echo "a quote left open
                  4  # (a line that did not read, and may hold a secret, was left out)
                  5  #
                  6  set pw '<redacted:pw>'
                  7  echo done
                """), "the lines keep their numbers: \(shown.standardOutput)")
        }
    }

    @Test func secretsTypedIntoTheShellReachNoFile() async throws {
        let typed: [(line: String, secrets: [String])] = [
            ("set pw hunter2-SECRET", ["hunter2-SECRET"]),
            ("set mine flow-SECRET-123", ["flow-SECRET-123"]),
            ("login jane.doe@example.com\u{16}\t--password\u{16}\tcorrect-horse", ["correct-horse"]),
            ("get /api/public/coworkers/profiles --header \"X-Api-Key: ${mine}\"", []),
            ("get /api/public/coworkers/profiles --header \"Authorization: Bearer bearer-SECRET-77\"", ["bearer-SECRET-77"]),
            ("get /api/public/coworkers/profiles password=query-SECRET-1", ["query-SECRET-1"]),
            ("login jane.doe@example.com --password \"wrong horse-SECRET\"", ["wrong horse-SECRET"]),
            ("login jane.doe@example.com --password=correct-horse --totp 864209", ["864209"]),
        ]
        let secrets = typed.flatMap(\.secrets)
        try await withTemporaryDirectory { home in
            let terminal = try PseudoTerminal(BuildProducts.nexsh, [], environment: PseudoTerminal.shellEnvironment(home: home))
            defer { terminal.stop() }
            try await terminal.waitFor("help lists the commands")
            for (line, _) in typed {
                try await terminal.waitFor("> ")
                try await terminal.waitForMode(raw: true)
                let before = terminal.transcript.count
                terminal.type(line + "\r")
                // The line ran when the next prompt is drawn.
                while terminal.transcript.dropFirst(before).components(separatedBy: "> ").count < 2 {
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            for command in ["save-script \(home.path)/saved.nexsh", "bundle \(home.path)/bug.har"] {
                try await terminal.waitForMode(raw: true)
                terminal.type(command + "\r")
                try await terminal.waitFor(command.hasPrefix("save") ? "saved " : "wrote ")
            }
            try await terminal.waitForMode(raw: true)
            terminal.type("\u{04}")
            #expect(try await terminal.waitForExit() == 0)

            let files = ["saved.nexsh", "bug.har", ".nexsh_history"].map { home.appendingPathComponent($0) }
            for file in files {
                #expect(FileManager.default.fileExists(atPath: file.path), "\(file.lastPathComponent)")
                #expect(SecretOracle.leaks(of: secrets, in: (try? Data(contentsOf: file)) ?? Data()) == [], "\(file.lastPathComponent)")
            }
            let saved = try String(contentsOf: files[0], encoding: .utf8)
            #expect(saved.contains("set pw '<redacted:pw>'"))
            #expect(saved.contains("set mine '<redacted:mine>'"), "only its use as a header says it is secret")
            #expect(saved.contains("login jane.doe@example.com\t--password-env NEXSH_PASSWORD"))
            #expect(saved.contains("login jane.doe@example.com --password-env NEXSH_PASSWORD\nexpect status 400"), "the wrong password")
            let history = try String(contentsOf: files[2], encoding: .utf8)
            #expect(history.contains("login\\040jane.doe@example.com\\040--totp\\040'<redacted:totp>'") == false, "options are left out of the history")
            #expect(history.contains("login\\040jane.doe@example.com\n"))

            // The saved script reads, and runs against the sandbox with the password from the
            // environment.
            let run = try await InProcessNexsh.run(
                ["run", files[0].path, "--sandbox"],
                environment: ["NO_COLOR": "1", "NEXSH_SERVER": "", "NEXSH_PASSWORD": "correct-horse"], currentDirectory: home
            )
            #expect(run.status != 2 && run.status != 3, "\(run.standardOutput)\(run.standardError)")
        }
    }
}

/// Whether the echo server has refused the first token yet.
final class Refusal: Sendable {
    let done = Atomic(false)
}

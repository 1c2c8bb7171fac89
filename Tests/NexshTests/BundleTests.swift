import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import NexshAppTesting
import NexshTesting
import Testing

/// Bug reports as one file: bundles made from the sandbox, drift checks against a changed
/// sandbox, and the HTML report of a failing run.
@Suite struct BundleTests {
    func nexsh(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) async throws -> ProcessResult {
        try await InProcessNexsh.run(
            arguments,
            environment: environment.merging(["NO_COLOR": "1", "NEXSH_SERVER": "", "NEXSH_PASSWORD": "correct-horse"]) { $1 },
            currentDirectory: directory
        )
    }

    func write(_ text: String, to name: String, in directory: URL) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    static let switching = """
        # Jane switches to her company profile.
        login jane.doe@example.com --password-env NEXSH_PASSWORD
        expect status 200
        switch ${profile}
        expect .Profiles[1].IsDefaultProfile == true
        capture company .Profiles[1].FullName
        echo now acting as ${company}
        teams --book
        expect .[0].Team.Name == "Acme Design Studio"

        """

    @Test func aBundleFromTheSandboxReplaysOfflineToTheSameOutput() async throws {
        try await withTemporaryDirectory { directory in
            try write(Self.switching, to: "switch.nexsh", in: directory)
            let created = try await nexsh(["bundle", "create", "bug.har", "--script", "switch.nexsh", "--var", "profile=102"], in: directory)
            #expect(created.status == 0, "\(created.standardOutput)\(created.standardError)")
            #expect(created.standardOutput.hasSuffix("wrote bug.har: switch.nexsh and 5 entries (replay it with: nexsh run bug.har)\n"))
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(".bug.har.lock").path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["bug.har", "switch.nexsh"])

            // Offline: a server that does not exist, and the password gone from the environment.
            let replayed = try await nexsh(
                ["run", "bug.har", "--server", "http://127.0.0.1:9"], in: directory, environment: ["NEXSH_PASSWORD": ""]
            )
            #expect(replayed.status == 0, "\(replayed.standardOutput)\(replayed.standardError)")
            let recording = created.standardOutput.split(separator: "\n").filter { !$0.hasPrefix("wrote ") }
                .map { $0.replacingOccurrences(of: "switch.nexsh", with: "bug.har") }
            #expect(replayed.standardOutput.split(separator: "\n").map(String.init) == recording)
            #expect(replayed.standardOutput.contains("now acting as Acme Design Co."))
            #expect(replayed.standardError.hasSuffix("✔ bug.har: 3 expectations passed\n3 passed, 0 failed\n"))
        }
    }

    @Test func aBundleIsPlainHAR12ForReadersThatKnowNothingOfNexsh() async throws {
        try await withTemporaryDirectory { directory in
            try write(Self.switching, to: "switch.nexsh", in: directory)
            #expect(try await nexsh(["bundle", "create", "bug.har", "--script", "switch.nexsh", "--var", "profile=102"], in: directory).status == 0)
            let data = try Data(contentsOf: directory.appendingPathComponent("bug.har"))

            // Foundation's JSON reader and the HAR 1.2 specification's required members.
            let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let log = try #require(root["log"] as? [String: Any])
            #expect(log["version"] as? String == "1.2")
            let creator = try #require(log["creator"] as? [String: Any])
            #expect(creator["name"] is String && creator["version"] is String)
            let entries = try #require(log["entries"] as? [[String: Any]])
            #expect(entries.count == 5)
            for entry in entries {
                for key in ["startedDateTime", "time", "request", "response", "cache", "timings"] { #expect(entry[key] != nil, "\(key)") }
                let request = try #require(entry["request"] as? [String: Any])
                for key in ["method", "url", "httpVersion", "cookies", "headers", "queryString", "headersSize", "bodySize"] {
                    #expect(request[key] != nil, "request.\(key)")
                }
                let response = try #require(entry["response"] as? [String: Any])
                for key in ["status", "statusText", "httpVersion", "cookies", "headers", "content", "redirectURL", "headersSize", "bodySize"] {
                    #expect(response[key] != nil, "response.\(key)")
                }
                let timings = try #require(entry["timings"] as? [String: Any])
                #expect(timings["send"] is NSNumber && timings["wait"] is NSNumber && timings["receive"] is NSNumber)
            }
            // nexsh's own fields are all `_`-prefixed.
            #expect(Set(log.keys).subtracting(["version", "creator", "browser", "pages", "entries", "comment"]).allSatisfy { $0.hasPrefix("_") })
            let script = try #require(log["_script"] as? [String: Any])
            #expect(script["name"] as? String == "switch.nexsh")
            #expect(script["text"] as? String == Self.switching)
            #expect(log["_variables"] as? [String: String] == ["profile": "102"])
            #expect(log["_nexshVersion"] as? String == "0.1.0")
            #expect((log["_server"] as? String)?.hasPrefix("http://127.0.0.1:") == true)
            #expect((log["_matchRules"] as? [String: Any])?["matchBody"] as? Bool == true)

            let verified = try await nexsh(["cassette", "verify", "bug.har"], in: directory)
            #expect(verified.status == 0)
            #expect(verified.standardOutput == "bug.har: valid HAR 1.2, 5 entries, no unredacted secrets\n")
        }
    }

    @Test func secretsNeverReachABundle() async throws {
        try await withTemporaryDirectory { directory in
            try write("""
                login jane.doe@example.com --password "correct-horse"
                expect .User.Id == 42
                echo token is ${apiToken}

                """, to: "leaky.nexsh", in: directory)
            let created = try await nexsh(
                ["bundle", "create", "bug.har", "--script", "leaky.nexsh", "--var", "apiToken=s3cr3t-t0ken-value"], in: directory
            )
            #expect(created.status == 0, "\(created.standardOutput)\(created.standardError)")
            let text = try String(contentsOf: directory.appendingPathComponent("bug.har"), encoding: .utf8)
            for secret in ["correct-horse", "s3cr3t-t0ken-value"] { #expect(!text.contains(secret), "\(secret)") }
            #expect(text.range(of: #"Bearer [^<]|"access_token": "[^<]|"refresh_token": "[^<]"#, options: .regularExpression) == nil)
            #expect(text.contains("login jane.doe@example.com --password-env NEXSH_PASSWORD"))
            #expect(text.contains(#""apiToken": "<redacted:apiToken>""#))
            #expect(try await nexsh(["cassette", "verify", "bug.har"], in: directory).status == 0)
            let replayed = try await nexsh(["run", "bug.har"], in: directory, environment: ["NEXSH_PASSWORD": ""])
            #expect(replayed.status == 0, "\(replayed.standardOutput)\(replayed.standardError)")
            #expect(replayed.standardOutput.contains("token is <redacted:apiToken>"))
        }
    }

    @Test func bundleShowPrintsTheScriptAndTheExchanges() async throws {
        try await withTemporaryDirectory { directory in
            try write(Self.switching, to: "switch.nexsh", in: directory)
            #expect(try await nexsh(["bundle", "create", "bug.har", "--script", "switch.nexsh", "--var", "profile=102"], in: directory).status == 0)
            let shown = try await nexsh(["bundle", "show", "bug.har"], in: directory)
            #expect(shown.status == 0)
            let lines = shown.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines[0].hasPrefix("bundle bug.har: made by nexsh 0.1.0 against http://127.0.0.1:"))
            #expect(lines[1] == "variables: profile=102")
            #expect(lines[2] == "matching: method, path, query, body")
            #expect(lines[4] == "script switch.nexsh (9 lines):")
            #expect(lines[6] == "  2  login jane.doe@example.com --password-env NEXSH_PASSWORD")
            #expect(lines[8] == "  4  switch ${profile}")
            #expect(shown.standardOutput.contains("bug.har: HAR 1.2 by nexsh 0.1.0, 5 entries\n"))
            #expect(shown.standardOutput.contains("\n3  PUT     /api/public/coworkers/profiles/current?coworkerId=102  200 OK"))
            #expect(shown.standardOutput.hasSuffix("\nreplay it with: nexsh run bug.har\n"))
        }
    }

    @Test func aCassetteWithoutAScriptIsNotABundle() async throws {
        try await withTemporaryDirectory { directory in
            try write("login jane.doe@example.com --password correct-horse\n", to: "plain.nexsh", in: directory)
            #expect(try await nexsh(["run", "plain.nexsh", "--cassette", "plain.har", "--mode", "record"], in: directory).status == 0)
            let run = try await nexsh(["run", "plain.har"], in: directory)
            #expect(run.status == 2)
            #expect(run.standardError.contains("plain.har is a HAR file without a nexsh script (not a bundle); replay a cassette with: nexsh run SCRIPT --cassette plain.har"))
            let show = try await nexsh(["bundle", "show", "plain.har"], in: directory)
            #expect(show.status == 2)
            let missing = try await nexsh(["bundle", "create", "out.har", "--script", "absent.nexsh"], in: directory)
            #expect(missing.status == 2)
            #expect(missing.standardError.hasPrefix("nexsh bundle create: cannot read the script absent.nexsh"))
            #expect(try await nexsh(["run", "plain.har", "--mode", "record"], in: directory).status == 3)
        }
    }

    static let shapes = """
        login jane.doe@example.com --password-env NEXSH_PASSWORD
        profiles --shape DefaultBusiness
        profiles

        """

    @Test func verifyReportsNoDriftAgainstTheSameAPIAndSchemaAndValueDriftAgainstAChangedOne() async throws {
        try await withTemporaryDirectory { directory in
            try write(Self.shapes, to: "shapes.nexsh", in: directory)
            #expect(try await nexsh(["run", "shapes.nexsh", "--cassette", "shapes.har", "--mode", "record"], in: directory).status == 0)

            let same = try await nexsh(["run", "shapes.nexsh", "--cassette", "shapes.har", "--mode", "verify"], in: directory)
            #expect(same.status == 0, "\(same.standardOutput)")
            #expect(same.standardError.split(separator: "\n").filter { $0.hasSuffix("  unchanged") }.count == 4)
            #expect(same.standardError.contains("no drift\n"))
            #expect(!same.standardOutput.contains("drift:"))

            let changed = try await nexsh(
                ["run", "shapes.nexsh", "--cassette", "shapes.har", "--mode", "verify", "--sandbox-revision", "revised"], in: directory
            )
            #expect(changed.status == 1)
            let lines = changed.standardError.split(separator: "\n").map(String.init)
            let token = try #require(lines.first { $0.contains("POST /api/token") })
            #expect(token.hasSuffix("unchanged"))
            let shaped = try #require(lines.first { $0.contains("_shape=DefaultBusiness") })
            #expect(shaped.hasSuffix(#"value drift: changed value .DefaultBusiness.Name: "Nexudus HQ" → "Nexudus HQ (Headquarters)""#))
            let whole = try #require(lines.first { $0.contains("#4") })
            #expect(whole.contains("schema drift: missing field .Profiles[*].VirtualOfficePaused (2×) (was null)"))
            #expect(whole.contains(#"new field .Profiles[*].PortalTheme (2×): "light""#))
            #expect(changed.standardError.contains("3 of 4 requests drifted\n"))
            // Drift is a failure of the line that met it first: login fetches the profiles too.
            #expect(changed.standardError.contains("✘ shapes.nexsh: failed at line 1\n"))
            // The recording is only read.
            #expect(try await nexsh(["cassette", "verify", "shapes.har"], in: directory).status == 0)
        }
    }

    @Test func volatilePathsLiveInTheCassetteAndSurviveReRecording() async throws {
        try await withTemporaryDirectory { directory in
            try write(Self.shapes, to: "shapes.nexsh", in: directory)
            #expect(try await nexsh(["run", "shapes.nexsh", "--cassette", "shapes.har", "--mode", "record"], in: directory).status == 0)
            let added = try await nexsh(
                ["cassette", "volatile", "shapes.har", "--add", ".DefaultBusiness.Name", "--add", ".Profiles[*].PortalTheme",
                 "--add", ".Profiles[*].VirtualOfficePaused"], in: directory
            )
            #expect(added.standardOutput == """
                shapes.har: drift checks leave out
                  .DefaultBusiness.Name
                  .Profiles[*].PortalTheme
                  .Profiles[*].VirtualOfficePaused

                """)
            let checked = try await nexsh(
                ["run", "shapes.nexsh", "--cassette", "shapes.har", "--mode", "verify", "--sandbox-revision", "revised"], in: directory
            )
            #expect(checked.status == 0, "\(checked.standardOutput)")
            #expect(checked.standardError.contains("no drift\n"))

            #expect(try await nexsh(["run", "shapes.nexsh", "--cassette", "shapes.har", "--mode", "record"], in: directory).status == 0)
            let kept = try await nexsh(["cassette", "volatile", "shapes.har"], in: directory)
            #expect(kept.standardOutput.contains("  .Profiles[*].PortalTheme\n"))
            let bad = try await nexsh(["cassette", "volatile", "shapes.har", "--add", ".Profiles["], in: directory)
            #expect(bad.status == 3)
        }
    }

    @Test func theHTMLReportOfAFailingRunShowsTheFailure() async throws {
        try await withTemporaryDirectory { directory in
            try write("""
                login jane.doe@example.com --password-env NEXSH_PASSWORD
                expect .User.FullName == "Jane Doe"
                profiles
                expect .Profiles[1].FullName == "Acme Design Ltd."

                """, to: "failing.nexsh", in: directory)
            try write("echo fine\n", to: "passing.nexsh", in: directory)
            let run = try await nexsh(["run", "failing.nexsh", "passing.nexsh", "--keep-going", "--report", "html:report.html"], in: directory)
            #expect(run.status == 1)
            let data = try Data(contentsOf: directory.appendingPathComponent("report.html"))
            let page = try XHTMLPage(data)

            #expect(page.text(ofClass: "summary fail").contains("✘ nexsh run failed"))
            #expect(page.texts(ofTag: "dd") == ["2", "1", "1", "1 held, 1 failed", page.texts(ofTag: "dd")[4]])
            #expect(page.texts(ofTag: "h2") == ["✘ failing.nexsh", "✔ passing.nexsh", "Coverage"])
            // Each line, with the requests it sent; then the endpoints of the coverage section.
            #expect(page.texts(ofTag: "code") == [
                "login jane.doe@example.com --password-env NEXSH_PASSWORD", #"expect .User.FullName == "Jane Doe""#, "profiles",
                #"expect .Profiles[1].FullName == "Acme Design Ltd.""#, "echo fine",
                "GET /api/public/coworkers/profiles", "POST /api/token (not in the catalogue)",
            ])
            #expect(page.texts(ofClass: "method") == ["POST", "GET", "GET"])
            #expect(page.texts(ofClass: "status s2xx") == ["200 OK", "200 OK", "200 OK"])
            // Expected and actual side by side (the coverage table's headings come after).
            #expect(page.texts(ofTag: "th").suffix(7) == ["expected", "actual", "endpoint", "requests", "statuses", "status asserted", "fields asserted"])
            let comparison = page.text(ofClass: "comparison")
            #expect(comparison.contains(#""Acme Design Ltd.""#) && comparison.contains(#""Acme Design Co.""#))
            #expect(page.texts(ofClass: "step failed").count == 1)
            // JSON bodies as collapsible trees; secrets as the cassette holds them.
            #expect(page.count(ofTag: "details") > 10)
            #expect(page.allText.contains(#""AccessToken": "#) && page.allText.contains("<redacted:"))
            let html = String(decoding: data, as: UTF8.self)
            #expect(!html.contains("correct-horse"))
            #expect(html.range(of: #"Bearer [^&]|access_token&quot;: &quot;[^&]"#, options: .regularExpression) == nil)
            // Self-contained: no script, no external asset.
            #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("http://127.0.0.1\"") && !html.contains("<link"))
            #expect(html.contains("<style>"))
        }
    }
}

/// An XHTML page read with Foundation's XML parser: text by element and class.
final class XHTMLPage: NSObject, XMLParserDelegate {
    private struct Element {
        let name: String
        let className: String
        var text = ""
    }

    private var open: [Element] = []
    private var closed: [Element] = []
    private(set) var allText = ""

    init(_ data: Data) throws {
        super.init()
        let parser = XMLParser(data: data)
        parser.delegate = self
        guard parser.parse() else {
            throw ParseFailure(description: "not well-formed: \(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)")
        }
    }

    struct ParseFailure: Error, CustomStringConvertible { let description: String }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        open.append(Element(name: name, className: attributes["class"] ?? ""))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        allText += string
        for index in open.indices { open[index].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if let element = open.popLast() { closed.append(element) }
    }

    /// Closed elements are collected when they end; sort back into document order is not needed
    /// for leaves, which end in order.
    func texts(ofTag tag: String) -> [String] { closed.filter { $0.name == tag }.map(\.text) }
    func texts(ofClass name: String) -> [String] { closed.filter { $0.className == name }.map(\.text) }
    func text(ofClass name: String) -> String { texts(ofClass: name).joined(separator: "\n") }
    func count(ofTag tag: String) -> Int { closed.filter { $0.name == tag }.count }
}

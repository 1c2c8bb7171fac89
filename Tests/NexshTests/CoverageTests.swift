import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import JSONValues
import NexshAppTesting
import NexshTesting
import ShellCore
import Testing

/// `nexsh run --coverage FILE`: the shipped scripts replayed from their cassettes, their
/// coverage checked against a count made by hand, the file's shape, where the table goes, and
/// that parallel jobs and the HTML report say the same.
@Suite struct CoverageTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `nexsh run Scripts/ --cassette Cassettes/ --coverage <directory>/FILE …`, offline.
    func replayShippedScripts(_ extra: [String], coverage: URL) async throws -> ProcessResult {
        let result = try await InProcessNexsh.run(
            ["run", "Scripts/", "--cassette", "Cassettes/", "--coverage", coverage.path] + extra,
            // No password: a replay needs none. No server: a replay contacts none.
            environment: ["NEXSH_PASSWORD": "", "NEXSH_SERVER": "http://127.0.0.1:9", "NO_COLOR": "1"],
            currentDirectory: Self.repository
        )
        try #require(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        return result
    }

    func endpoint(_ method: String, _ template: String, in file: JSONValue) throws -> JSONObject {
        let found = file["endpoints"]?.arrayValue?.compactMap(\.objectValue).first {
            $0["method"]?.stringValue == method && $0["template"]?.stringValue == template
        }
        return try #require(found, "\(method) \(template) is in the file")
    }

    func strings(_ value: JSONValue?) -> [String] { value?.arrayValue?.compactMap(\.stringValue) ?? [] }

    @Test func theShippedScriptsCoverWhatAHandCountSays() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("coverage.json")
            _ = try await replayShippedScripts([], coverage: file)
            let coverage = try JSONValue.parse(Array(try Data(contentsOf: file)))
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "a new coverage file is its owner's alone")

            // GET /api/public/coworkers/profiles, counted by reading each Scripts/*.nexsh with
            // its Cassettes/*.har (the entries a line sends are the cassette's, in order):
            // requests: expired-token 3 (200, 401, 200 after the refresh), inactive-profile 1
            // (login), member-activity 1 (login), raw-request 2 (login 200; the `get` after
            // `logout` 401), shape 3, signin-and-profiles 2, switch-company-and-back 3 (login,
            // after each `switch`), switch-to-another-accounts-profile 2, team-profiles-for-booking
            // 2, wrong-password 0: 19 requests, 17 × 200 and 2 × 401.
            // Fields read by the expect/capture lines whose last response was this endpoint's
            // (indexes as [*]): .User.Email (expired-token, shape, signin), .User.FullName,
            // .Profiles[*].Id, .Profiles[*].FullName, .DefaultBusiness.Name, .Profiles (shape;
            // `count(.Profiles)` in signin), .User.Id, .DefaultBusiness.WebAddress,
            // .Profiles[*].IsDefaultProfile, .Profiles[*].VirtualOfficeContractId: 10, all held.
            // Fields held, the union over the 19 bodies: . .User .User.Id .User.FullName
            // .User.Email .User.Active .User.IsAdmin .User.AccessToken .DefaultBusiness
            // .DefaultBusiness.Id .DefaultBusiness.Name .DefaultBusiness.WebAddress .Profiles
            // .Profiles[*] and its 9 members (Id FullName CompanyName CoworkerType Active
            // IsDefaultProfile HasVirtualOffice VirtualOfficeContractId VirtualOfficePaused), and
            // .Message of the 401: 24. `expect status` (signin, switch-company, expired-token, raw-
            // request) asserts the status; raw-request reads the WWW-Authenticate header.
            let profiles = try endpoint("GET", "/api/public/coworkers/profiles", in: coverage)
            #expect(profiles["requests"] == 19)
            #expect(profiles["statuses"] == ["200": 17, "401": 2])
            #expect(profiles["statusAsserted"] == true)
            #expect(strings(profiles["headersAsserted"]) == ["www-authenticate"])
            #expect(strings(profiles["fieldsHeld"]).count == 24)
            #expect(strings(profiles["fieldsAsserted"]) == [
                ".DefaultBusiness.Name", ".DefaultBusiness.WebAddress", ".Profiles", ".Profiles[*].FullName", ".Profiles[*].Id",
                ".Profiles[*].IsDefaultProfile", ".Profiles[*].VirtualOfficeContractId", ".User.Email", ".User.FullName", ".User.Id",
            ])
            #expect(profiles["ratio"] == .number(JSONNumber(0.4167)))

            // GET /api/public/events/my: only member-activity.nexsh; its cassette has entries 8
            // (`events --upcoming`) and 9-11 (`events --all`, three pages): 4 requests, all 200.
            // Read after --upcoming: .TotalItems, .HasNextPage; after --all (the last page):
            // .CurrentPage, .HasNextPage, count(.Records) → .Records: 4 fields, no status.
            // Held: the page's 13 members (. TotalItems TotalPages CurrentPage CurrentPageSize
            // PageNumber PageSize FirstItem LastItem HasNextPage HasPreviousPage
            // CurrentOrderField CurrentSortDirection Records, with . that is 14), .Records[*] and
            // its 8 members (Id Name StartDate EndDate Location BusinessId ResourceId Attendees),
            // .Records[*].Attendees[*] and the 2 of an attendee (CoworkerId FullName): 26.
            let events = try endpoint("GET", "/api/public/events/my", in: coverage)
            #expect(events["requests"] == 4)
            #expect(events["statuses"] == ["200": 4])
            #expect(events["statusAsserted"] == false)
            #expect(strings(events["fieldsHeld"]).count == 26)
            #expect(strings(events["fieldsAsserted"]) == [".CurrentPage", ".HasNextPage", ".Records", ".TotalItems"])

            // The token request is no catalogue entry: it is counted under its own path.
            let token = try endpoint("POST", "/api/token", in: coverage)
            #expect(token["inCatalogue"] == false)
            // Two in expired-token.nexsh (the sign-in and the refresh), one in each other script.
            #expect(token["statuses"] == ["200": 10, "400": 1])
        }
    }

    @Test func theFileHasTheDocumentedShape() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("coverage.json")
            _ = try await replayShippedScripts([], coverage: file)
            let coverage = try JSONValue.parse(Array(try Data(contentsOf: file)))
            #expect(coverage["format"] == "nexsh-coverage")
            #expect(coverage["version"] == 1)
            let totals = try #require(coverage["totals"]?.objectValue)
            #expect(totals.keys == ["catalogueEndpoints", "catalogueRequested", "endpointsRequested", "requests", "fieldsHeld", "fieldsAsserted", "ratio"])
            #expect(totals["catalogueEndpoints"] == 20)
            let endpoints = (coverage["endpoints"]?.arrayValue ?? []).compactMap(\.objectValue)
            #expect(!endpoints.isEmpty)
            let notRequested = try #require(coverage["notRequested"]?.arrayValue)
            #expect(endpoints.filter { $0["inCatalogue"] == true }.count + notRequested.count == 20)
            #expect(totals["requests"]?.numberValue?.intValue == endpoints.compactMap { $0["requests"]?.numberValue?.intValue }.reduce(0, +))
            #expect(totals["fieldsHeld"]?.numberValue?.intValue == endpoints.map { strings($0["fieldsHeld"]).count }.reduce(0, +))
            #expect(totals["fieldsAsserted"]?.numberValue?.intValue == endpoints.map { strings($0["fieldsAsserted"]).count }.reduce(0, +))
            for endpoint in endpoints {
                #expect(endpoint.keys == [
                    "method", "template", "inCatalogue", "requests", "statuses", "statusAsserted", "headersAsserted", "fieldsHeld",
                    "fieldsAsserted", "fieldsReadNotHeld", "ratio",
                ])
                let held = Set(strings(endpoint["fieldsHeld"]))
                #expect(Set(strings(endpoint["fieldsAsserted"])).isSubset(of: held))
                #expect(Set(strings(endpoint["fieldsReadNotHeld"])).isDisjoint(with: held))
                #expect(endpoint["statuses"]?.objectValue?.members.map { $0.value.numberValue?.intValue ?? 0 }.reduce(0, +)
                    == endpoint["requests"]?.numberValue?.intValue)
            }
        }
    }

    @Test func theTableEndsTheSummaryOnItsStream() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("c.json")
            let standard = try await replayShippedScripts([], coverage: file)
            let table = try #require(standard.standardError.range(of: "coverage (\(file.path)): "))
            #expect(!standard.standardOutput.contains("coverage ("))
            #expect(standard.standardError[table.lowerBound...].contains("  GET /api/public/coworkers/profiles  "))
            #expect(standard.standardError.hasSuffix(" passed, 0 failed\n"), "the verdict stays the last line")

            let old = try await replayShippedScripts(["--summary", "stdout"], coverage: file)
            #expect(old.standardOutput.contains("coverage (\(file.path)): "))
            #expect(!old.standardError.contains("coverage ("))
            #expect(old.standardOutput.hasSuffix(" passed, 0 failed\n"))
        }
    }

    @Test func parallelJobsCountWhatOneJobCounts() async throws {
        try await withTemporaryDirectory { directory in
            let one = directory.appendingPathComponent("one.json")
            let four = directory.appendingPathComponent("four.json")
            let serial = try await replayShippedScripts(["--jobs", "1"], coverage: one)
            let parallel = try await replayShippedScripts(["--jobs", "4"], coverage: four)
            #expect(try Data(contentsOf: one) == Data(contentsOf: four))
            func table(_ text: String) -> String { String(text[text.range(of: "coverage (")!.lowerBound...]) }
            #expect(table(serial.standardError).replacingOccurrences(of: "one.json", with: "four.json") == table(parallel.standardError))
        }
    }

    @Test func theHTMLReportHasTheCoverageSection() async throws {
        try await withTemporaryDirectory { directory in
            let report = directory.appendingPathComponent("r.html")
            _ = try await replayShippedScripts(["--report", "html:\(report.path)"], coverage: directory.appendingPathComponent("c.json"))
            let page = try String(contentsOf: report, encoding: .utf8)
            #expect(XMLParser(data: Data(page.utf8)).parse(), "the page stays well-formed XML")
            let section = try #require(page.range(of: #"<section class="coverage" id="coverage">"#))
            let coverage = page[section.lowerBound...]
            #expect(coverage.contains("<code>GET /api/public/coworkers/profiles</code>"))
            #expect(coverage.contains("<td>10 of 24 (42%)</td>"))
            #expect(coverage.contains("<code>POST /api/token (not in the catalogue)</code>"))
            #expect(coverage.contains(#"<li class="asserted">✔ .Profiles[*].Id</li>"#))
        }
    }

    /// A server's keys reach the file and the HTML report, its paths the table: none of them
    /// carries a control or bidirectional character there. A path outside the catalogue counts
    /// with its all-digit segments as `{id}`.
    @Test func whatAServerSendsIsShownSafely() async throws {
        let payload = "\u{1B}]0;pwned\u{07}\u{9B}2J\u{202E}\r"
        let key = payload.unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined()
        let routes = [
            TestRoute("GET", "/x/123") { _ in
                CannedResponse(headers: [("Content-Type", "application/json")], text: #"{"\#(key)": [{"a": 1}], "name": "n"}"#)
            },
        ]
        try await withTemporaryDirectory { directory in
            try Data("get /x/123\nexpect .name exists\n".utf8).write(to: directory.appendingPathComponent("s.nexsh"))
            try await withTestServer(routes) { url in
                let result = try await InProcessNexsh.run(
                    ["run", "s.nexsh", "--server", url.absoluteString, "--coverage", "c.json", "--report", "html:r.html"],
                    environment: ["NO_COLOR": "1", "NEXSH_SERVER": ""], currentDirectory: directory
                )
                #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
                #expect(ControlOracle.hostile(in: result.standardError) == [])
                #expect(result.standardError.contains("  GET /x/{id} *  "))
            }
            let file = try Data(contentsOf: directory.appendingPathComponent("c.json"))
            #expect(ControlOracle.hostile(in: file) == [])
            #expect(ControlOracle.hostile(in: try Data(contentsOf: directory.appendingPathComponent("r.html"))) == [])
            let x = try endpoint("GET", "/x/{id}", in: try JSONValue.parse(Array(file)))
            // Made safe as the other reports' text (`Terminal.safe`), for a file someone may `cat`.
            let quotedKey = Terminal.safe("[" + JSONValue.quoted(payload) + "]")
            #expect(strings(x["fieldsHeld"]) == [".", quotedKey, quotedKey + "[*]", quotedKey + "[*].a", ".name"].sorted())
            #expect(strings(x["fieldsAsserted"]) == [".name"])
        }
    }
}

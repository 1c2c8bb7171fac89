import Foundation
import HTTPCassette
import HTTPValues
import JSONValues
import Testing

/// How a live answer is compared with a recorded one in `nexsh run --mode verify`.
@Suite struct DriftTests {
    func recorded(_ body: String, status: Int = 200, type: String = "application/json") throws -> HAR.Entry {
        HAR.Entry(
            request: try HTTPRequest(method: .get, url: "https://spaces.example.com/api/public/coworkers/profiles"),
            response: HTTPResponse(status: status, headers: [("Content-Type", type)], body: Data(body.utf8))
        )
    }

    func live(_ body: String, status: Int = 200, type: String = "application/json; charset=utf-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", type), ("Date", "Mon, 23 Nov 2026 12:00:00 GMT")], body: Data(body.utf8))
    }

    func compare(_ old: HAR.Entry, _ new: HTTPResponse, volatile: [String] = []) throws -> DriftReport {
        DriftReport.compare(
            recorded: old.response, number: 1, live: new, request: "GET /p", volatile: VolatilePaths(try volatile.map { try JSONPath($0) })
        )
    }

    @Test func theSameAnswerWithOtherHeadersAndKeyOrderIsUnchanged() throws {
        let report = try compare(recorded(#"{"a": 1, "b": [1, 2]}"#), live(#"{"b":[1,2],"a":1.0}"#))
        #expect(report.verdict == .unchanged)
        #expect(report.findings.isEmpty)
        #expect(report.summary() == "unchanged")
    }

    @Test func newMissingAndRetypedMembersAreSchemaDrift() throws {
        let report = try compare(
            recorded(#"{"Id": 1, "Name": "Jane", "Tags": ["x"], "Paused": false}"#),
            live(#"{"Id": "1", "Name": "Jane", "Tags": ["x"], "Theme": "light"}"#)
        )
        #expect(report.verdict == .schemaDrift)
        #expect(report.findings.map(\.description) == [
            "changed type .Id: number → string", "missing field .Paused (was false)", #"new field .Theme: "light""#,
        ])
    }

    @Test func otherValuesStatusesAndElementCountsAreValueDrift() throws {
        let report = try compare(recorded(#"{"Name": "Jane", "List": [1, 2], "Note": null}"#), live(#"{"Name": "Janet", "List": [1, 2, 3], "Note": "x"}"#, status: 201))
        #expect(report.verdict == .valueDrift)
        #expect(report.summary(limit: 10) == #"value drift: status: 200 → 201; changed value .Name: "Jane" → "Janet"; new element .List[2]: 3; changed value .Note: null → "x""#)
    }

    @Test func redactedValuesAndVolatilePathsMatchAnything() throws {
        let old = try recorded(#"{"User": {"AccessToken": "<redacted:accesstoken>"}, "Profiles": [{"UpdatedOn": "2026-01-01"}, {"UpdatedOn": "2026-01-02"}], "Id": 5}"#)
        let new = live(#"{"User": {"AccessToken": "live-token-123"}, "Profiles": [{"UpdatedOn": "2026-11-23"}, {"UpdatedOn": "2026-11-24"}], "Id": 6}"#)
        #expect(try compare(old, new).findings.map(\.path) == [".Profiles[0].UpdatedOn", ".Profiles[1].UpdatedOn", ".Id"])
        #expect(try compare(old, new, volatile: [".Profiles[*].UpdatedOn", "Id"]).verdict == .unchanged)
        #expect(try compare(old, new, volatile: [".Profiles"]).findings.map(\.path) == [".Id"])
        #expect(try compare(old, new, volatile: [".Profiles[1]"]).findings.map(\.path) == [".Profiles[0].UpdatedOn", ".Id"])
    }

    @Test func textBodiesAndMediaTypesAreComparedToo() throws {
        #expect(try compare(recorded("hello", type: "text/plain"), live("hello", type: "text/plain")).verdict == .unchanged)
        #expect(try compare(recorded("hello", type: "text/plain"), live("bye", type: "text/plain")).summary() == #"value drift: changed value body: "hello" → "bye""#)
        let html = try compare(recorded(#"{"a": 1}"#), live("<html>down</html>", type: "text/html"))
        #expect(html.verdict == .schemaDrift)
        #expect(html.findings.first?.description == "media type: application/json → text/html")
    }

    @Test func volatilePathsRoundTripThroughTheLog() throws {
        var log = HAR.Log(creator: .init(name: "t", version: "1"))
        var paths = VolatilePaths(log: log)
        #expect(paths.isEmpty)
        #expect(paths.add([try JSONPath(".Profiles[*].UpdatedOn"), try JSONPath("Id")]))
        #expect(!paths.add([try JSONPath(".Id")]))
        log.extensions[VolatilePaths.logField] = paths.json
        #expect(VolatilePaths(log: log).paths.map(\.text) == [".Profiles[*].UpdatedOn", ".Id"])
        #expect(VolatilePaths(log: log).covers(".Profiles[7].UpdatedOn.Date"))
        #expect(!VolatilePaths(log: log).covers(".Profiles[7].CreatedOn"))
    }
}

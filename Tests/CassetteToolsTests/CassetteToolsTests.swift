import CassetteTools
import Foundation
import HTTPCassette
import HTTPValues
import JSONValues
import Testing
import Transport

/// `cassette diff` and `cassette verify`, called directly on cassettes built in memory.
@Suite struct CassetteToolsTests {
    func entry(
        _ method: HTTPMethod = .get, _ url: String, status: Int = 200, headers: HTTPHeaders = [("Content-Type", "application/json")],
        body: String = "{}", requestHeaders: HTTPHeaders = []
    ) throws -> HAR.Entry {
        HAR.Entry(
            request: try HTTPRequest(method: method, url: url, headers: requestHeaders),
            response: HTTPResponse(status: status, headers: headers, body: Data(body.utf8))
        )
    }

    func cassette(_ entries: [HAR.Entry]) -> Cassette {
        var cassette = Cassette()
        cassette.entries = entries
        return cassette
    }

    let profiles = "https://a.example.com/api/public/coworkers/profiles"
    let benefits = "https://a.example.com/api/public/coworkers/profiles/current/benefits"
    let teams = "https://a.example.com/api/public/teams"

    // MARK: CassetteDiff

    @Test func identicalCassettesDifferInNothing() throws {
        let left = cassette([try entry(.get, profiles, body: #"{"a":1}"#), try entry(.get, teams)])
        let comparison = CassetteDiff.compare(left, left)
        #expect(comparison.differences.isEmpty)
        #expect(comparison.alignedEntries == 2)
    }

    @Test func anAddedEntryShowsAsThatAndLaterPairsStayAligned() throws {
        let left = cassette([try entry(.get, profiles), try entry(.get, teams)])
        let right = cassette([try entry(.get, profiles), try entry(.get, benefits), try entry(.get, teams)])
        let comparison = CassetteDiff.compare(left, right)
        #expect(comparison.alignedEntries == 3)
        #expect(comparison.differences.map(\.number) == [2])
        #expect(comparison.differences.map(\.request) == ["GET /api/public/coworkers/profiles/current/benefits"])
        #expect(comparison.differences.map(\.lines) == [["only in the second cassette"]])
        let removed = CassetteDiff.compare(right, left)
        #expect(removed.differences.map(\.lines) == [["only in the first cassette"]])
    }

    @Test func statusBodyValuesAndHeadersAreComparedVolatileHeadersAndTheHostAreNot() throws {
        let left = cassette([try entry(
            .get, profiles, headers: [("Content-Type", "application/json"), ("Date", "Mon, 1 Jan 2024 00:00:00 GMT"), ("X-Plan", "basic")],
            body: #"{"Name":"Jane","Count":2}"#
        )])
        let right = cassette([try entry(
            .get, profiles.replacingOccurrences(of: "a.example.com", with: "b.example.com"), status: 203,
            headers: [("Content-Type", "application/json"), ("Date", "Tue, 2 Jan 2024 00:00:00 GMT"), ("X-Plan", "pro")],
            body: #"{"Count":2,"Name":"Jo"}"#
        )])
        let comparison = CassetteDiff.compare(left, right)
        #expect(comparison.differences.map(\.request) == ["GET /api/public/coworkers/profiles"])
        #expect(comparison.differences.map(\.lines) == [["status: 200 → 203", "header X-Plan: 'basic' → 'pro'", #"body .Name: "Jane" → "Jo""#]])
        let withHost = CassetteDiff.compare(left, right, options: .init(compareHost: true))
        #expect(withHost.alignedEntries == 2, "another host is another request")
        #expect(withHost.differences.map(\.lines) == [["only in the first cassette"], ["only in the second cassette"]])
    }

    // MARK: CassetteVerifier

    /// These cassettes carry no fields of their own (no bundle), so there is nothing more to check.
    let noLogFields: CassetteVerifier.LogFieldCheck = { _, _ in [] }

    @Test func aCassetteNexshWritesIsClean() throws {
        let clean = cassette([try entry(.get, profiles, body: #"{"Profiles":[]}"#)])
        #expect(CassetteVerifier.findings(in: clean, logFields: noLogFields).isEmpty)
    }

    @Test func missingMembersWrongTypesAndVersionsAreFound() throws {
        let document = try JSONValue.parse(Array(#"""
        {"log": {"version": "1.3", "creator": {"name": "x"}, "entries": [
          {"startedDateTime": "2024-01-01T00:00:00Z", "time": "slow", "request": {}, "response": {"status": 200},
           "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}}
        ]}}
        """#.utf8))
        let found = CassetteVerifier.findings(document: document, cassette: Cassette(), logFields: noLogFields).map(\.description)
        #expect(found.contains("log.version: is '1.3', expected '1.2'"))
        #expect(found.contains("log.creator: required member 'version' is missing"))
        #expect(found.contains("log.entries[0].time: should be a number, is string"))
        #expect(found.contains("log.entries[0].request: required member 'method' is missing"))
        #expect(found.contains("log.entries[0].response: required member 'statusText' is missing"))
        #expect(!found.contains { $0.hasPrefix("log.entries[0].timings") }, "\(found)")
    }

    @Test func credentialsAndKnownSecretsLeftInAFileAreFound() throws {
        let leaky = cassette([try entry(.get, profiles, body: #"{"Note":"s3cret-value-123"}"#, requestHeaders: [("Authorization", "Bearer abcdef123456")])])
        let found = CassetteVerifier.findings(in: leaky, logFields: noLogFields)
        #expect(found.contains { $0.location == "log.entries[0].request.headers[Authorization]" }, "\(found)")
        #expect(!found.contains { $0.location.hasPrefix("log.entries[0].response") }, "the body holds nothing the rules know")
        let known = KnownSecret(value: "s3cret-value-123", description: "the password", placeholderName: "password")
        let withKnown = CassetteVerifier.findings(in: leaky, knownSecrets: [known], logFields: noLogFields)
        #expect(withKnown.contains { $0.location.hasPrefix("log.entries[0].response") && $0.message.contains("the password") }, "\(withKnown)")
    }
}

import Foundation
@testable import HTTPCassette
import HTTPValues
import JSONValues
import NexshTesting
import Testing

@Suite struct HARFileTests {
    @Test(arguments: InteropCassettes.harFiles)
    func otherToolsHARFilesLoad(_ name: String) throws {
        let cassette = try Cassette.load(from: InteropCassettes.url(name))
        #expect(!cassette.entries.isEmpty)
        for entry in cassette.entries {
            #expect(!entry.request.method.isEmpty)
            #expect(entry.request.url.hasPrefix("http"))
            #expect(entry.response.status > 0)
        }
    }

    @Test func pollyExtensionsSurviveARewrite() throws {
        let cassette = try Cassette.load(from: InteropCassettes.url("pollyjs-rest-persister.har"))
        #expect(cassette.log.extensions["_recordingName"] == "REST Persister/should work")
        #expect(cassette.entries[0].extensions["_id"] == "ffbc4836d419fc265c3b85cbe1b7f22e")
        let again = try Cassette.parse(cassette.encoded(), path: "rewritten")
        #expect(again == cassette)
    }

    @Test func writingIsDeterministicPrettyAndEndsWithANewline() throws {
        let cassette = try Cassette.load(from: InteropCassettes.url("replay-fetchUser.har"))
        let first = cassette.encoded()
        #expect(first == cassette.encoded())
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.hasSuffix("}\n"))
        #expect(!text.hasSuffix("\n\n"))
        #expect(text.hasPrefix("{\n  \"log\": {\n    \"version\": \"1.2\",\n    \"creator\": {\n      \"name\": \"Replay\""))
        #expect(text.contains("\n    \"entries\": [\n      {\n        \"startedDateTime\": \"2024-01-15T10:30:00.000Z\",\n        \"time\": 150,"))
        #expect(try Cassette.parse(first, path: "x") == cassette)
    }

    /// The hand-written date text agrees with Foundation's ISO 8601 style, before 1970 too.
    @Test(arguments: [0, 1_795_000_000.123, 1_795_000_000.9999, 951_782_400.5, -1.25, -86_400 * 365.25 * 30 + 0.042])
    func startedDateTimeIsISO8601InUTCWithMilliseconds(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(HAR.dateText(date) == date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    @Test func notJSONSaysWhere() throws {
        let error = #expect(throws: CassetteError.self) {
            try Cassette.parse(Array("{\n  \"log\": {\n    \"entries\": [,]\n  }\n}".utf8), path: "bad.har")
        }
        #expect(error?.description == "bad.har is not a HAR file: it is not valid JSON (line 3, column 17: unexpected ','; expected a value)")
    }

    @Test func jsonThatIsNotHARNamesTheMissingField() throws {
        let cases: [(String, String)] = [
            (#"{"entries": []}"#, "(top level): 'log' is missing"),
            (#"{"log": {"version": "1.2"}}"#, "log: 'entries' is missing"),
            (#"{"log": {"entries": [{"response": {"status": 200}}]}}"#, "log.entries[0]: 'request' is missing"),
            (#"{"log": {"entries": [{"request": {"method": "GET"}, "response": {"status": 200}}]}}"#, "log.entries[0].request: 'url' is missing"),
            (#"{"log": {"entries": [{"request": {"method": "GET", "url": "http://x/"}, "response": {"status": "200"}}]}}"#, "log.entries[0].response.status: expected a whole number, found string"),
            (#"{"log": {"entries": {}}}"#, "log.entries: expected an array, found object"),
            ("[1, 2]", ": expected an object, found array"),
        ]
        for (text, message) in cases {
            let error = #expect(throws: CassetteError.self, "\(text)") { try Cassette.parse(Array(text.utf8), path: "x.har") }
            #expect(error?.description == "x.har is not a HAR file: \(message)", "\(text)")
        }
    }

    @Test func missingFilesAreNamed() throws {
        let error = #expect(throws: CassetteError.self) { try Cassette.load(from: URL(fileURLWithPath: "/nonexistent/c.har")) }
        #expect(error?.description == "cassette /nonexistent/c.har does not exist")
    }

    @Test func textStaysTextBinaryBecomesBase64() throws {
        let request = try HTTPRequest(
            method: .post, url: "http://h/upload?b=2&a=x%20y",
            headers: [("Content-Type", "application/octet-stream")], body: Data([0, 1, 2, 255])
        )
        let response = HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Data(#"{"é": "ok"}"#.utf8))
        let entry = HAR.Entry(request: request, response: response)
        #expect(entry.request.postData?.text == "AAEC/w==")
        #expect(entry.request.postData?.extensions["_encoding"] == "base64")
        #expect(try entry.request.bodyData() == Data([0, 1, 2, 255]))
        #expect(entry.request.queryString == [HAR.NameValue(name: "b", value: "2"), HAR.NameValue(name: "a", value: "x y")])
        #expect(entry.response.content.text == #"{"é": "ok"}"#)
        #expect(entry.response.content.encoding == nil)
        #expect(entry.response.content.size == 12)
        let replayed = try entry.response.httpResponse()
        #expect(replayed.body == response.body)
        #expect(replayed.reason == "OK")
    }

    @Test func compressedBodiesAreStoredDecodedWithConsistentHeaders() throws {
        // gzip of {"compressed":true}
        let gzipped = Data(base64Encoded: "H4sIAAAAAAACA6tWSs7PLShKLS5OTVGyKikqTa0FAPHqOZUTAAAA")!
        let response = HTTPResponse(
            status: 200,
            headers: [("Content-Type", "application/json"), ("Content-Encoding", "gzip"), ("Content-Length", String(gzipped.count))],
            body: gzipped
        )
        let entry = HAR.Entry(request: try HTTPRequest(method: .get, url: "http://h/"), response: response)
        #expect(entry.response.content.text == #"{"compressed":true}"#)
        #expect(entry.response.content.extensions["_contentEncoding"] == "gzip")
        #expect(entry.response.content.compression == 0)
        #expect(entry.response.bodySize == gzipped.count)
        #expect(entry.response.headers.map(\.name) == ["Content-Type", "Content-Length"])
        #expect(entry.response.headers.last?.value == "19")
        #expect(entry.response.content.size == 19)
        let replayed = try entry.response.httpResponse()
        #expect(String(decoding: replayed.body, as: UTF8.self) == #"{"compressed":true}"#)
        #expect(replayed.headers["Content-Encoding"] == nil)
    }

    @Test func corruptCompressedBodiesAreKeptAsTheyCame() throws {
        let response = HTTPResponse(status: 200, headers: [("Content-Encoding", "gzip")], body: Data([0x1F, 0x8B, 0x08, 0x00, 0x42]))
        let entry = HAR.Entry(request: try HTTPRequest(method: .get, url: "http://h/"), response: response)
        #expect(entry.response.content.encoding == "base64")
        #expect(entry.response.headers.first?.name == "Content-Encoding")
        #expect(try entry.response.bodyData() == response.body)
    }

    @Test func invalidBase64IsAClearError() throws {
        let entry = HAR.Entry(
            startedDateTime: "", time: 0, request: HAR.Request(method: "GET", url: "http://h/"),
            response: HAR.Response(status: 200, content: HAR.Content(text: "***", encoding: "base64")), timings: HAR.Timings()
        )
        #expect(throws: CassetteError.invalidBase64(place: "response body")) { try entry.response.httpResponse() }
    }

    @Test func writesReplaceTheFileAtomically() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("c.har")
            try Cassette().write(to: file)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
            var cassette = try Cassette.load(from: URL(fileURLWithPath: InteropCassettes.url("replay-fetchUser.har").path))
            cassette.log.creator = Cassette.defaultCreator
            try cassette.write(to: file)
            #expect(try Cassette.load(from: file) == cassette)
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600, "an existing file keeps its permissions")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["c.har"], "no temporary file left")
        }
    }
}

import CassetteTools
import Foundation
import HTTPCassette
import HTTPValues
import JSONValues
import NexshTesting
import Testing

@Suite struct ImportTests {
    struct Unreachable: HTTPTransport {
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            throw TransportError.connectionRefused(origin: request.origin)
        }
    }

    /// Imports `name`, writes the HAR, and replays every recorded request from it in order.
    func importAndReplay(_ name: String) async throws -> (CassetteImporter.Result, [HTTPResponse]) {
        try await withTemporaryDirectory { directory in
            let imported = try CassetteImporter.importFile(at: InteropCassettes.url(name))
            let file = directory.appendingPathComponent("imported.har")
            try imported.cassette.write(to: file)
            let player = try CassetteTransport(file: file, mode: .replay, upstream: Unreachable())
            var responses: [HTTPResponse] = []
            for entry in try Cassette.load(from: file).entries {
                responses.append(try await player.send(try entry.request.httpRequest()))
            }
            #expect(try player.finish().unusedCount == 0)
            return (imported, responses)
        }
    }

    @Test(arguments: InteropCassettes.vcrFiles + InteropCassettes.harFiles + InteropCassettes.madeHere)
    func everyInteropFileImportsAndReplays(_ name: String) async throws {
        let (imported, responses) = try await importAndReplay(name)
        #expect(!responses.isEmpty)
        #expect(responses.map(\.status) == imported.cassette.entries.map(\.response.status))
    }

    @Test func vcrpyFlowStyle() async throws {
        let (imported, responses) = try await importAndReplay("vcrpy-new-cassette.yaml")
        #expect(imported.format == .vcrpy)
        let entry = try #require(imported.cassette.entries.first)
        #expect(entry.request.method == "GET")
        #expect(entry.request.url == "http://httpbin.org/ip")
        #expect(entry.request.headers.first == HAR.NameValue(name: "accept", value: "*/*"))
        #expect(entry.response.statusText == "OK")
        #expect(String(decoding: responses[0].body, as: UTF8.self) == "{\n  \"origin\": \"217.122.164.194\"\n}")
        #expect(imported.cassette.log.extensions["_importedFrom"]?["format"] == "vcrpy")
    }

    @Test func vcrpyGzipBinaryBodyIsStoredReadable() async throws {
        let (imported, responses) = try await importAndReplay("vcrpy-gzip-requests.yaml")
        let content = try #require(imported.cassette.entries.first?.response.content)
        #expect(content.encoding == nil)
        #expect(content.extensions["_contentEncoding"] == "gzip")
        let body = try JSONValue.parse(responses[0].body)
        #expect(body["gzipped"] == true)
        #expect(responses[0].headers["Content-Encoding"] == nil)
        #expect(responses[0].headers["Content-Length"] == String(responses[0].body.count))
        #expect(responses[0].reason == "great")
    }

    @Test func goVCRAuthorizationIsRedacted() async throws {
        let (imported, responses) = try await importAndReplay("govcr-json-content-type.yaml")
        #expect(imported.format == .goVCR)
        let entry = try #require(imported.cassette.entries.first)
        #expect(entry.request.headers.first { $0.name == "Authorization" }?.value == "<redacted:authorization>")
        #expect(entry.response.httpVersion == "HTTP/2.0")
        #expect(entry.response.statusText == "OK")
        #expect(String(decoding: imported.cassette.encoded(), as: UTF8.self).contains("\"wait\": 2086.618,"))
        let text = String(decoding: imported.cassette.encoded(), as: UTF8.self)
        #expect(!text.contains("Bearer foo"))
        #expect(try JSONValue.parse(responses[0].body)["headers"]?["Authorization"] == "<redacted:authorization>")
    }

    @Test func betamaxBase64Bodies() async throws {
        let (imported, responses) = try await importAndReplay("betamax-preserve-bytes.json")
        #expect(imported.format == .betamax)
        #expect(imported.cassette.entries.first?.startedDateTime == "2014-04-11T20:30:30.000Z")
        #expect(try JSONValue.parse(responses[0].body)["url"] == "http://httpbin.org/get")
    }

    @Test func rubyVCRCassettes() throws {
        let yaml = """
            ---
            http_interactions:
            - request:
                method: post
                uri: https://api.example.com/login
                body:
                  encoding: UTF-8
                  string: user=ann&password=hunter2hunter2
                headers:
                  Content-Type:
                  - application/x-www-form-urlencoded
              response:
                status:
                  code: 201
                  message: Created
                headers:
                  Content-Type:
                  - application/json
                body:
                  encoding: UTF-8
                  string: '{"ok":true}'
                http_version: '1.1'
              recorded_at: Tue, 01 Nov 2011 04:58:44 GMT
            recorded_with: VCR 6.1.0
            """
        let imported = try CassetteImporter.importData(Data(yaml.utf8), path: "ruby.yml")
        #expect(imported.format == .rubyVCR)
        let entry = try #require(imported.cassette.entries.first)
        #expect(entry.request.method == "POST")
        #expect(entry.request.postData?.text == "user=ann&password=%3Credacted%3Apassword%3E")
        #expect(entry.response.status == 201)
        #expect(entry.response.httpVersion == "HTTP/1.1")
        #expect(entry.startedDateTime == "2011-11-01T04:58:44.000Z")
    }

    /// vcrpy writes a GET's body as `body: null` (and some clients' as `''`): no body, so the
    /// GETs a script sends match, whatever request the importer is shown.
    @Test func vcrpyNullAndEmptyBodiesImportAsNoBodyAndTheirGETsReplay() async throws {
        try await withTemporaryDirectory { directory in
            let imported = try CassetteImporter.importFile(at: InteropCassettes.url("vcrpy-null-bodies.yaml"))
            #expect(imported.format == .vcrpy)
            #expect(imported.cassette.entries.map(\.request.postData?.text) == [nil, nil])
            #expect(imported.cassette.entries.map(\.request.bodySize) == [0, 0])
            let file = directory.appendingPathComponent("imported.har")
            try imported.cassette.write(to: file)

            // Requests as a client makes them now, not the imported ones: another host, no body.
            let player = try CassetteTransport(file: file, mode: .replay, upstream: Unreachable())
            let profiles = try await player.send(try HTTPRequest(method: .get, url: "http://127.0.0.1:9/api/public/coworkers/profiles"))
            #expect(try JSONValue.parse(profiles.body)["User"]?["Email"] == "jane.doe@example.com")
            let teams = try await player.send(try HTTPRequest(method: .get, url: "http://127.0.0.1:9/en/team/profiles?bookForTeam=true"))
            #expect(try JSONValue.parse(teams.body).arrayValue?.first?["Team"]?["Name"] == "Tech Innovators")
            #expect(try player.finish().unusedCount == 0)
        }
    }

    /// Every way the VCR family writes "no body" imports as none; a quoted `'null'` is the text.
    @Test func everyVCRFamilyShapeOfNoBodyIsNoBody() throws {
        func vcrpy(_ body: String) -> String {
            "interactions:\n- request:\n    body: \(body)\n    headers: {}\n    method: GET\n    uri: https://h/x\n"
                + "  response:\n    body: {string: ok}\n    headers: {}\n    status: {code: 200, message: OK}\nversion: 1\n"
        }
        func rubyVCR(_ body: String) -> String {
            "http_interactions:\n- request:\n    method: get\n    uri: https://h/x\n    body: \(body)\n    headers: {}\n"
                + "  response:\n    status: {code: 200, message: OK}\n    headers: {}\n    body: {encoding: UTF-8, string: ok}\n"
                + "  recorded_at: Tue, 01 Nov 2011 04:58:44 GMT\nrecorded_with: VCR 6.1.0\n"
        }
        let goVCR = """
            version: 2
            interactions:
            - id: 0
              request: {body: "", form: {}, headers: {}, url: "https://h/x", method: GET}
              response: {body: ok, headers: {}, status: 200 OK, code: 200, duration: 1ms}
            """
        let betamax = #"""
            {"http_interactions": [{"request": {"body": {"base64_string": "", "encoding": "utf-8"}, "headers": {}, "method": "GET",
              "uri": "https://h/x"}, "response": {"body": {"string": "ok", "encoding": null}, "headers": {}, "status": {"code": 200,
              "message": "OK"}, "url": "https://h/x"}, "recorded_at": "2014-04-11T20:30:30"}], "recorded_with": "betamax/0.8.1"}
            """#
        let vcrpyJSON = #"{"interactions": [{"request": {"body": null, "headers": {}, "method": "GET", "uri": "https://h/x"}, "#
            + #""response": {"body": {"string": "ok"}, "headers": {}, "status": {"code": 200, "message": "OK"}}}], "version": 1}"#
        let empty: [(String, String)] = [
            ("vcrpy null", vcrpy("null")), ("vcrpy ~", vcrpy("~")), ("vcrpy nothing", vcrpy("")), ("vcrpy ''", vcrpy("''")),
            ("vcrpy JSON null", vcrpyJSON), ("Ruby VCR ''", rubyVCR("{encoding: UTF-8, string: ''}")),
            ("Ruby VCR null string", rubyVCR("{encoding: US-ASCII, string: null}")), ("go-vcr", goVCR), ("Betamax", betamax),
        ]
        for (shape, text) in empty {
            let imported = try CassetteImporter.importData(Data(text.utf8), path: "c")
            let request = try #require(imported.cassette.entries.first?.request, "\(shape)")
            #expect(request.postData == nil, "\(shape)")
            #expect(try request.httpRequest().body.isEmpty, "\(shape)")
        }
        let quoted = try CassetteImporter.importData(Data(vcrpy("'null'").utf8), path: "c")
        #expect(quoted.cassette.entries.first?.request.postData?.text == "null")
    }

    @Test func badInputIsAClearError() throws {
        let cases: [(String, String)] = [
            ("interactions:\n  - request: [unclosed\n", "cannot import bad.yaml: not valid YAML (line 3, column 1: did not find expected ',' or ']')"),
            ("{\"interactions\": [}", "cannot import bad.yaml: not valid JSON (line 1, column 19: unexpected '}'; expected a value)"),
            ("just: a mapping\n", "cannot import bad.yaml: it is neither HAR nor a VCR-family cassette (no 'log', 'interactions' or 'http_interactions')"),
            ("interactions:\n- request: {method: GET}\n  response: {status: {code: 200}}\n", "cannot import bad.yaml: interaction 1: the request has no valid 'uri'"),
            ("", "cannot import bad.yaml: the file is empty"),
        ]
        for (text, message) in cases {
            let error = #expect(throws: CassetteError.self, "\(text)") { try CassetteImporter.importData(Data(text.utf8), path: "bad.yaml") }
            #expect(error?.description == message)
        }
    }
}

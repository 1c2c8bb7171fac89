import Foundation
@testable import HTTPCassette
import JSONValues
import Testing

/// A served response is read in one pass when its shape is the common one, and by the tree
/// reader otherwise. Whichever reads it, the response is the same: the one-pass reader may only
/// decline.
@Suite struct ResponseBytesTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// What each reader makes of `text`: the one-pass reader's response (nil when it declines)
    /// and the tree reader's response or error.
    func read(_ text: String) -> (onePass: HAR.Response?, tree: Result<HAR.Response, HARFormatError>) {
        let bytes = Array(text.utf8)
        let onePass = bytes.withUnsafeBufferPointer(HAR.Response.init(commonShapeIn:))
        let tree = Result { () throws(HARFormatError) -> HAR.Response in
            guard let value = try? JSONValue.parse(bytes) else { throw HARFormatError(path: "response", message: "not valid JSON") }
            return try HAR.Response(try HARObjectReader(value, path: "response"))
        }
        return (onePass, tree)
    }

    @Test func everyResponseOfTheProjectsCassettesIsReadInOnePassAsTheTreeReadsIt() throws {
        let folder = Self.repository.appendingPathComponent("Cassettes")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".har") }.sorted()
        #expect(files.count >= 5)
        var read = 0
        for file in files {
            let document = try JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent(file)))
            for case .object(let entry) in document["log"]?["entries"]?.arrayValue ?? [] {
                let text = try #require(entry["response"]).serialized()
                let (onePass, tree) = self.read(text)
                #expect(onePass != nil, "\(file): a response nexsh wrote is of the common shape")
                #expect(onePass == (try? tree.get()), "\(file)")
                read += 1
            }
        }
        #expect(read > 20)
    }

    @Test func theCommonShapeIsReadWithItsExtensionsAndUnknownMembers() throws {
        let text = #"""
            {"status": 201, "statusText": "Created", "httpVersion": "HTTP/2", "cookies": [],
             "headers": [{"name": "Content-Type", "value": "application/json", "comment": "c", "x": [1, {"y": null}]},
                         {"name": "X-Empty"}],
             "content": {"size": 12, "compression": 0, "mimeType": "application/json", "text": "{\"a\": \"\u00e9\"}",
                         "_note": {"k": [true]}, "other": "dropped"},
             "redirectURL": "", "headersSize": -1, "bodySize": 12, "_volatile": 1, "_volatile": 2, "unknown": {"deep": [[]]}}
            """#
        let (onePass, tree) = read(text)
        let response = try #require(onePass)
        #expect(response == (try tree.get()))
        #expect(response.status == 201)
        #expect(response.headers.map(\.value) == ["application/json", ""])
        #expect(response.content.text == #"{"a": "é"}"#)
        #expect(response.extensions.members.map(\.key) == ["_volatile", "_volatile"])
        #expect(response.content.extensions.members.map(\.key) == ["_note"])
    }

    /// Each of these is left to the tree reader, which reads it (leniently) or names what is
    /// wrong; the one-pass reader never gives a different response.
    @Test func everyUnusualShapeIsLeftToTheTreeReader() throws {
        let unusual = [
            #"{"status": null}"#,
            #"{"statusText": "OK"}"#,
            #"{"status": "200"}"#,
            #"{"status": 200.5}"#,
            #"{"status": 200, "status": 404}"#,
            #"{"status": 200, "statusText": 7}"#,
            #"{"status": 200, "statusText": null}"#,
            #"{"status": 200, "headersSize": 1.5}"#,
            #"{"status": 200, "bodySize": true}"#,
            #"{"status": 200, "cookies": [{"name": "a", "value": "b"}]}"#,
            #"{"status": 200, "cookies": [], "cookies": []}"#,
            #"{"status": 200, "cookies": {}}"#,
            #"{"status": 200, "headers": {}}"#,
            #"{"status": 200, "headers": [["a"]]}"#,
            #"{"status": 200, "headers": [{"value": "v"}]}"#,
            #"{"status": 200, "headers": [{"name": "a", "value": 1}]}"#,
            #"{"status": 200, "headers": [{"name": "a", "name": "b"}]}"#,
            #"{"status": 200, "content": []}"#,
            #"{"status": 200, "content": null}"#,
            #"{"status": 200, "content": {"text": 5}}"#,
            #"{"status": 200, "content": {"size": "5"}}"#,
            #"{"status": 200, "content": {"text": "a", "text": "b"}}"#,
            #"{"status": 200, "content": {"encoding": null}}"#,
            #"{"status": 200, "comment": ["x"]}"#,
            #"{"status": 200, "unknown": tru}"#,
            #"{"status": 200, "content": {"text": "\q"}}"#,
            #"{"status": 200} trailing"#,
            #"[{"status": 200}]"#,
            #"{"status": 200, "headers": [{"name": "a"}, ]}"#,
        ]
        for text in unusual {
            let (onePass, tree) = read(text)
            #expect(onePass == nil, "\(text)")
            _ = tree
        }
        // Read leniently by the tree reader: the duplicate's last value, a number as text.
        #expect(try read(#"{"status": 200, "status": 404}"#).tree.get().status == 404)
        #expect(try read(#"{"status": 200, "statusText": 7}"#).tree.get().statusText == "7")
    }

    /// Replay serves an unusual response through the tree reader: the same answer as before.
    @Test func aReplayServesAnUnusualResponseAsTheTreeReadsIt() throws {
        let entry = #"{"request": {"method": "GET", "url": "http://h/a"}, "response": {"status": 200, "statusText": 7, "content": {"text": "x"}}}"#
        let text = #"{"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": [\#(entry)]}}"#
        let index = try CassetteIndex(bytes: Array(text.utf8), path: "t.har")
        let response = try index.response(at: 0)
        #expect(response.statusText == "7")
        #expect(response.content.text == "x")
    }
}

import Foundation
@testable import HTTPCassette
import HTTPValues
import JSONValues
import NexshTesting
import Testing

/// Replay reads a cassette as far as the requests it answers: every entry's method and URL when
/// the file is opened, a route's recorded requests with bodies (or all of them, when a rule
/// compares headers) when that route is first asked for, a response when it is served. What is
/// never asked for is never decoded, and so cannot stop a replay; `Cassette.load` (and `nexsh
/// cassette verify`) still reads it all.
@Suite struct LazyReplayTests {
    struct Unreachable: HTTPTransport {
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            Issue.record("the network was used for \(request.method) \(request.url)")
            throw TransportError.connectionRefused(origin: request.origin)
        }
    }

    /// A HAR text of the given entries, each `(request object, response object)` as JSON text.
    func har(_ entries: [(request: String, response: String)]) -> String {
        let texts = entries.map { #"{"startedDateTime": "2026-12-01T08:00:00.000Z", "time": 1, "request": \#($0.request), "response": \#($0.response), "timings": {"send": 0, "wait": 1, "receive": 0}}"# }
        return #"{"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": [\#(texts.joined(separator: ",\n"))], "_volatile": [".Date"]}}"#
    }

    func get(_ path: String) -> String {
        #"{"method": "GET", "url": "http://h\#(path)", "headers": [{"name": "Accept", "value": "application/json"}]}"#
    }

    func answer(_ status: Int, _ body: String) -> String {
        #"{"status": \#(status), "statusText": "OK", "headers": [], "content": {"size": \#(body.utf8.count), "mimeType": "application/json", "text": \#(JSONValue.quoted(body))}}"#
    }

    /// A cassette indexed ahead, on a thread of its own, replays as one opened by the replay:
    /// the same answers; a file that cannot be read fails the replay with the same error; an
    /// index read ahead for another file is not used.
    @Test func anIndexReadAheadReplaysAsTheFileItself() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("c.har")
            try Data(har([(get("/a"), answer(200, #"{"a": 1}"#)), (get("/b"), answer(404, "{}"))]).utf8).write(to: file)
            var options = CassetteOptions()
            options.readAhead = CassetteReadAhead(file: file, rules: options.matchRules)
            let player = try CassetteTransport(file: file, mode: .replay, upstream: Unreachable(), options: options)
            #expect(player.entryCount == 2)
            let answer = try await player.send(try HTTPRequest(method: .get, url: "http://h/b"))
            #expect(answer.status == 404)

            let missing = directory.appendingPathComponent("missing.har")
            options.readAhead = CassetteReadAhead(file: missing, rules: options.matchRules)
            let ahead = #expect(throws: CassetteError.self) {
                try CassetteTransport(file: missing, mode: .replay, upstream: Unreachable(), options: options)
            }
            let direct = #expect(throws: CassetteError.self) {
                try CassetteTransport(file: missing, mode: .replay, upstream: Unreachable())
            }
            #expect(ahead != nil && ahead == direct)
            #expect(ahead == .fileNotFound(path: missing.path))

            // Read ahead for the missing file, asked to replay the real one: the real one is read.
            let other = try CassetteTransport(file: file, mode: .replay, upstream: Unreachable(), options: options)
            #expect(other.entryCount == 2)
        }
    }

    /// The keys a read-ahead makes are the keys the replay would make, entry by entry (with and
    /// without a body, one whose request cannot be decoded left to the replay); none are given
    /// for other match rules.
    @Test func keysMadeAheadAreTheReplaysOwn() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("c.har")
            let post = #"{"method": "POST", "url": "http://h/p?b=2&a=1", "headers": [], "postData": {"mimeType": "application/json", "text": "{\"z\": 1, \"a\": [2]}"}}"#
            let broken = #"{"method": "PUT", "url": "http://h/q", "headers": "Accept: */*", "postData": {"mimeType": "text/plain", "text": "x"}}"#
            try Data(har((0..<600).map { entry in
                (entry % 3 == 0 ? post : entry == 301 ? broken : get("/e\(entry % 40)?x=\(entry % 7)"), answer(200, "{}"))
            }).utf8).write(to: file)
            // Taking the keys stops the thread: given longer each time, until it has made some.
            var readAhead = CassetteReadAhead(file: file, rules: .standard)
            var keys: [String?] = []
            for wait in [100, 1_000, 10_000] {
                readAhead = CassetteReadAhead(file: file, rules: .standard)
                _ = try readAhead.index()
                try await Task.sleep(for: .milliseconds(wait))
                keys = readAhead.keys(for: .standard)
                if !keys.isEmpty { break }
            }
            let index = try readAhead.index()
            #expect(readAhead.keys(for: MatchRules(matchHost: true)).isEmpty)
            #expect(keys.count <= index.count)
            #expect(!keys.isEmpty)
            for (entry, key) in keys.enumerated() {
                let own = try? RequestShape(recordedEntry: entry, in: index, rules: .standard).key
                #expect(key == own, "entry \(entry)")
                #expect((key == nil) == (entry == 301), "entry \(entry)")
            }
        }
    }

    /// A cassette large enough to have its responses decoded ahead answers as any other: in
    /// recorded order, out of it, with a response too large to be decoded ahead, and with one
    /// that cannot be decoded, which fails only the request it answers.
    @Test func responsesDecodedAheadAnswerAsTheFileDoes() async throws {
        try await withTemporaryDirectory { directory in
            let count = CassetteTransport.readAheadEntries + ResponseReadAhead.window + 50
            let (broken, large) = (300, 20)
            let largeText = String(repeating: "x", count: ResponseReadAhead.largestResponse)
            func text(_ entry: Int) -> String { entry == large ? #"{"entry": \#(entry), "text": "\#(largeText)"}"# : #"{"entry": \#(entry)}"# }
            let file = directory.appendingPathComponent("large.har")
            try Data(har((0..<count).map { entry in
                (get("/e\(entry)"), entry == broken ? #"{"status": "two hundred", "content": {}}"# : answer(200, text(entry)))
            }).utf8).write(to: file)
            func body(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

            // In order, past the broken entry.
            let inOrder = try CassetteTransport(file: file, mode: .replay, upstream: Unreachable())
            for entry in 0..<count where entry != broken {
                let response = try await inOrder.send(try HTTPRequest(method: .get, url: "http://h/e\(entry)"))
                #expect(body(response) == text(entry), "entry \(entry)")
            }
            let summary = try inOrder.finish()
            #expect(summary.replayed == count - 1)
            #expect(summary.firstUnused.map(\.number) == [broken + 1])

            // Backwards and by jumps, then the broken entry itself, which fails as it would
            // decoded on the spot.
            let shuffled = try CassetteTransport(file: file, mode: .replay, upstream: Unreachable())
            let jumps = Array(stride(from: count - 1, through: 0, by: -7))
            let order = (jumps + (0..<40).filter { !jumps.contains($0) }).filter { $0 != broken }
            for entry in order {
                let response = try await shuffled.send(try HTTPRequest(method: .get, url: "http://h/e\(entry)"))
                #expect(body(response) == text(entry), "entry \(entry)")
            }
            let failure = await #expect(throws: CassetteError.self) {
                try await shuffled.send(try HTTPRequest(method: .get, url: "http://h/e\(broken)"))
            }
            let direct = #expect(throws: CassetteError.self) { try CassetteIndex(file: file).response(at: broken) }
            #expect(failure != nil && failure == direct)
            _ = try shuffled.finish()
        }
    }

    @Test func entriesNeverAskedForAreNeverDecoded() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("c.har")
            // Entry 2's response has a status that is not a number and a body that is not JSON
            // text; entry 3's request has headers that are not a list. Neither is asked for.
            let text = har([
                (get("/a"), answer(200, #"{"a": 1}"#)),
                (get("/b"), #"{"status": "two hundred", "content": {"text": "\x"}}"#),
                (#"{"method": "GET", "url": "http://h/c", "headers": "Accept: */*"}"#, answer(200, "{}")),
                (get("/a"), answer(201, #"{"a": 2}"#)),
            ])
            try Data(text.utf8).write(to: file)

            let player = try CassetteTransport(file: file, mode: .replay, upstream: Unreachable())
            #expect(player.entryCount == 4)
            #expect(player.volatile.paths.map(\.description) == [".Date"])
            let first = try await player.send(try HTTPRequest(method: .get, url: "http://h/a"))
            let second = try await player.send(try HTTPRequest(method: .get, url: "http://h/a"))
            #expect(first.status == 200)
            #expect(String(decoding: first.body, as: UTF8.self) == #"{"a": 1}"#)
            #expect(second.status == 201)
            let summary = try player.finish()
            #expect(summary.replayed == 2)
            #expect(summary.unusedCount == 2)
            #expect(summary.firstUnused.map(\.number) == [2, 3])
            #expect(summary.firstUnused.map(\.request) == ["GET /b", "GET /c"])

            // Reading the whole file finds what replay never looked at.
            let whole = #expect(throws: CassetteError.self) { try Cassette.load(from: file) }
            #expect(whole?.description.contains("invalid escape '\\x' in a string") == true)
        }
    }

    /// Of the entries no request asked for, the summary writes out the request lines a message
    /// lists, and counts the rest.
    @Test func aLongListOfUnusedEntriesIsCountedAndListedInPart() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("c.har")
            try Data(har((0..<13).map { (get("/p/\($0)"), answer(200, "{}")) }).utf8).write(to: file)
            let player = try CassetteTransport(file: file, mode: .replay, upstream: Unreachable(), options: CassetteOptions(strictUnused: true))
            #expect(try await player.send(try HTTPRequest(method: .get, url: "http://h/p/0")).status == 200)
            let error = #expect(throws: UnusedEntriesError.self) { try player.finish() }
            #expect(error?.summary.unusedCount == 12)
            #expect(error?.summary.firstUnused.map(\.number) == Array(2...11))
            #expect(error?.message == "12 recorded entries were never requested from \(file.path): "
                + (1...10).map { "#\($0 + 1) GET /p/\($0)" }.joined(separator: ", ") + ", and 2 more")
        }
    }

    @Test func aBrokenPartIsReportedWhereItIsWhenItIsNeeded() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("c.har")
            try Data(har([
                (get("/a"), answer(200, "{}")),
                (get("/b"), #"{"status": "two hundred"}"#),
                (#"{"method": "GET", "url": "http://h/c", "headers": "Accept: */*"}"#, answer(200, "{}")),
                (get("/d"), #"{"status": 200, "content": {"text": "\q"}}"#),
                (#"{"method": "POST", "url": "http://h/e", "postData": "7"}"#, answer(200, "{}")),
            ]).utf8).write(to: file)
            let player = try CassetteTransport(file: file, mode: .replay, upstream: Unreachable())
            let comparingHeaders = try CassetteTransport(
                file: file, mode: .replay, upstream: Unreachable(), options: CassetteOptions(matchRules: MatchRules(headers: ["Accept"]))
            )

            // Served: the response is decoded, and its fault named by its place in the file.
            let status = await #expect(throws: CassetteError.self) { try await player.send(try HTTPRequest(method: .get, url: "http://h/b")) }
            #expect(status == .notHAR(path: file.path, HARFormatError(path: "log.entries[1].response.status", message: "expected a whole number, found string")))
            // A request without a body is matched by its method and URL, which opening read:
            // its headers are read only where a rule compares them.
            #expect(try await player.send(try HTTPRequest(method: .get, url: "http://h/c")).status == 200)
            let headers = await #expect(throws: CassetteError.self) {
                try await comparingHeaders.send(try HTTPRequest(method: .get, url: "http://h/c", headers: [("Accept", "*/*")]))
            }
            #expect(headers == .notHAR(path: file.path, HARFormatError(path: "log.entries[2].request.headers", message: "expected an array, found string")))
            // A request with a body is decoded when its route is asked for, to compare bodies.
            let body = await #expect(throws: CassetteError.self) {
                try await player.send(try HTTPRequest(method: .post, url: "http://h/e", body: Data("7".utf8)))
            }
            #expect(body == .notHAR(path: file.path, HARFormatError(path: "log.entries[4].request.postData", message: "expected an object, found string")))
            // Text that is not JSON inside a part: named by the part, not by a line of it.
            let escape = await #expect(throws: CassetteError.self) { try await player.send(try HTTPRequest(method: .get, url: "http://h/d")) }
            #expect(escape == .notHAR(path: file.path, HARFormatError(path: "log.entries[3].response", message: "not valid JSON: invalid escape '\\q' in a string")))
            // The rest still replays.
            #expect(try await player.send(try HTTPRequest(method: .get, url: "http://h/a")).status == 200)
        }
    }

    /// A request without a body, shaped from the method and URL an index holds, is keyed as
    /// the decoded request is, whatever rules compare (but headers).
    @Test func aRequestLineIsShapedAsTheWholeRequestWithoutABody() throws {
        let urls = [
            "http://h/a", "https://Example.COM:8443/api/public/teams/55/profile?isTeamAdmin=true&_page=2",
            "http://h/a%2Fb?b=2&a=1&a=0#frag", "http://h?x=%20y&_t=9", "/relative/path?q", "http://h/caf%C3%A9/?=&&z",
        ]
        let ruleSets = [
            MatchRules.standard, MatchRules(matchHost: true), MatchRules(ignoredQueryParameters: ["_t", "a"]), MatchRules(matchBody: false),
        ]
        for url in urls {
            for method in ["GET", "delete"] {
                let request = try HTTPRequest(method: HTTPMethod(rawValue: method.uppercased()), url: url.hasPrefix("/") ? "http://h" + url : url)
                var decoded = HAR.Request(request)
                decoded.url = url
                decoded.method = method
                #expect(decoded.postData == nil)
                for rules in ruleSets {
                    let fromLine = RequestShape(bodilessRequest: method, url: url, rules: rules)
                    let whole = RequestShape(decoded, rules: rules)
                    #expect(fromLine.key == whole.key, "\(method) \(url)")
                    #expect(fromLine.route == whole.route)
                }
            }
        }
    }

    @Test func whatEveryReplayNeedsIsCheckedWhenTheFileIsOpened() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("c.har")
            let broken: [(name: String, text: String)] = [
                ("no method", har([(get("/a"), answer(200, "{}")), (#"{"url": "http://h/b"}"#, answer(200, "{}"))])),
                ("a URL that is a number", har([(#"{"method": "GET", "url": 7}"#, answer(200, "{}"))])),
                ("no response", #"{"log": {"entries": [{"request": \#(get("/a"))}]}}"#),
                ("a request that is a list", #"{"log": {"entries": [{"request": [], "response": \#(answer(200, "{}"))}]}}"#),
                ("an entry that is a string", #"{"log": {"entries": ["GET /a"]}}"#),
                ("no entries", #"{"log": {"version": "1.2"}}"#),
            ]
            for (name, text) in broken {
                try Data(text.utf8).write(to: file)
                // Refused as reading the whole file refuses it, with the same words.
                let opened = #expect(throws: CassetteError.self, "\(name)") {
                    try CassetteTransport(file: file, mode: .replay, upstream: Unreachable())
                }
                let loaded = #expect(throws: CassetteError.self, "\(name)") { try Cassette.load(from: file) }
                #expect(opened == loaded, "\(name)")
            }
            // A file cut short is not JSON either way; a skipped part says where it begins.
            try Data(har([(get("/a"), answer(200, "{}"))]).dropLast(30).utf8).write(to: file)
            let cut = #expect(throws: CassetteError.self) { try CassetteTransport(file: file, mode: .replay, upstream: Unreachable()) }
            #expect(cut?.description.hasSuffix("is not a HAR file: it is not valid JSON (line 1, column 402: unexpected end of text; the object here is never closed)") == true)
        }
    }

    @Test func aCassetteReplacedDuringAReplayAnswersFromTheFileThatWasOpened() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("c.har")
            try Data(har([(get("/a"), answer(200, #"{"version": 1}"#))]).utf8).write(to: file)
            let player = try CassetteTransport(file: file, mode: .replay, upstream: Unreachable())
            // Replaced as nexsh replaces a cassette: a new file renamed over the path.
            var newer = Cassette()
            newer.entries = [HAR.Entry(
                request: try HTTPRequest(method: .get, url: "http://h/a"),
                response: HTTPResponse(status: 500, headers: [("Content-Type", "application/json")], body: Data(#"{"version": 2}"#.utf8))
            )]
            try newer.write(to: file)
            let response = try await player.send(try HTTPRequest(method: .get, url: "http://h/a"))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"version": 1}"#)
        }
    }

    @Test func aCassetteThatIsNotARegularFileIsReadWhole() async throws {
        try await withTemporaryDirectory { directory in
            let fifo = directory.appendingPathComponent("c.fifo")
            #expect(mkfifo(fifo.path, 0o600) == 0)
            let text = har([(get("/a"), answer(200, #"{"from": "fifo"}"#))])
            // The writer blocks until the cassette opens the fifo for reading.
            let writer = Thread {
                if let handle = FileHandle(forWritingAtPath: fifo.path) {
                    handle.write(Data(text.utf8))
                    try? handle.close()
                }
            }
            writer.start()
            let player = try CassetteTransport(file: fifo, mode: .replay, upstream: Unreachable())
            let response = try await player.send(try HTTPRequest(method: .get, url: "http://h/a"))
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"from": "fifo"}"#)
        }
    }
}

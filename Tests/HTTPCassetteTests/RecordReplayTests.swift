import Foundation
import HTTPCassette
import HTTPValues
import JSONValues
import NexshTesting
import NexudusAPI
import Sandbox
import Testing

/// Record against the sandbox (served in-process), then replay with the sandbox gone.
@Suite struct RecordReplayTests {
    let jane = SandboxAccounts.jane

    /// The documented session: sign in, profiles, switch, profiles again, team profiles.
    func portalSession(_ client: NexudusClient) async throws -> [HTTPExchange] {
        var exchanges: [HTTPExchange] = []
        exchanges.append(try await client.login(email: jane.email, password: jane.password).exchange)
        exchanges.append(try await client.profiles().exchange)
        let switched = try await client.switchProfile(to: 102)
        exchanges += [switched.confirmation.exchange, switched.profiles.exchange]
        exchanges.append(try await client.teamProfiles(bookForTeam: true).exchange)
        return exchanges
    }

    /// Records `portalSession` into `file` and returns what the client saw.
    func record(into file: URL, mode: RecordMode = .record, options: CassetteOptions = .init()) async throws -> [HTTPExchange] {
        let sandbox = InProcessSandbox()
        let cassette = try CassetteTransport(file: file, mode: mode, upstream: sandbox.transport, options: options)
        let client = NexudusClient(baseURL: sandbox.baseURL, transport: cassette)
        let exchanges = try await portalSession(client)
        try cassette.finish()
        return exchanges
    }

    /// A transport that must not be used: replay never touches the network.
    struct Unreachable: HTTPTransport {
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            Issue.record("the network was used for \(request.method) \(request.url)")
            throw TransportError.connectionRefused(origin: request.origin)
        }
    }

    @Test func aRecordedSessionReplaysWithoutTheServer() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("session.har")
            let live = try await record(into: file)

            let cassette = try CassetteTransport(file: file, mode: .replay, upstream: Unreachable())
            // Another base URL: the sandbox's port is gone, and the host is not matched.
            let client = NexudusClient(baseURL: URL(string: "http://127.0.0.1:9")!, transport: cassette)
            let replayed = try await portalSession(client)

            #expect(replayed.count == live.count)
            for (original, again) in zip(live, replayed).dropFirst() {
                #expect(again.response.status == original.response.status)
            }
            // The profiles answers before and after the switch are their own, in order.
            let before = try JSONValue.parse(replayed[1].response.body)
            let after = try JSONValue.parse(replayed[3].response.body)
            #expect(try JSONPath(".Profiles[*].IsDefaultProfile").values(in: before) == [true, false])
            #expect(try JSONPath(".Profiles[*].IsDefaultProfile").values(in: after) == [false, true])
            // Bodies are the recorded bytes, except for the redacted token mirrored in User.AccessToken.
            #expect(replayed[2].response.body == live[2].response.body)
            #expect(replayed[4].response.body == live[4].response.body)
            let summary = try cassette.finish()
            #expect(summary.replayed == 5)
            #expect(summary.unusedCount == 0)
        }
    }

    @Test func noSecretReachesTheFileAndReplayStillWorks() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("session.har")
            let live = try await record(into: file)
            let text = try String(contentsOf: file, encoding: .utf8)
            let grant = try JSONValue.parse(live[0].response.body)
            let token = try #require(grant["access_token"]?.stringValue)
            let refresh = try #require(grant["refresh_token"]?.stringValue)
            #expect(!text.contains(token))
            #expect(!text.contains(refresh))
            #expect(!text.contains(jane.password))
            #expect(!text.contains("Bearer "))
            #expect(text.contains(#""value": "<redacted:authorization>""#))
            #expect(text.contains("password=%3Credacted%3Apassword%3E"))
            #expect(text.contains(#"\"access_token\":\"<redacted:access_token>\""#))
            #expect(text.contains(#"\"AccessToken\":\"<redacted:access_token>\""#), "the mirrored token is the same secret")
        }
    }

    @Test func identicalRequestsAreAnsweredInRecordedOrder() async throws {
        let cassette = try CassetteTransport(
            file: InteropCassettes.url("pollyjs-request-order.har"), mode: .replay, upstream: Unreachable()
        )
        let recorded = try Cassette.load(from: InteropCassettes.url("pollyjs-request-order.har"))
        var statuses: [Int] = []
        for entry in recorded.entries {
            let response = try await cassette.send(try entry.request.httpRequest())
            #expect(response.body == (try entry.response.bodyData()))
            if entry.request.method == "GET" { statuses.append(response.status) }
        }
        #expect(statuses == [404, 200, 404])
        let fourth = try #require(recorded.entries.first).request.httpRequest()
        let miss = await #expect(throws: ReplayMiss.self) { try await cassette.send(fourth) }
        #expect(miss?.alreadyUsedMatches == [1, 3, 5])
        #expect(miss?.description.contains("#1, #3, #5 match but were already used") == true)
    }

    @Test(arguments: InteropCassettes.harFiles)
    func otherToolsRecordingsReplayInOrder(_ name: String) async throws {
        let recorded = try Cassette.load(from: InteropCassettes.url(name))
        let cassette = try CassetteTransport(file: InteropCassettes.url(name), mode: .replay, upstream: Unreachable())
        for entry in recorded.entries {
            let response = try await cassette.send(try entry.request.httpRequest())
            #expect(response.status == entry.response.status)
            #expect(response.body == (try entry.response.bodyData()))
        }
        #expect(try cassette.finish().unusedCount == 0)
    }

    @Test func allowRepeatsPlaysTheLastAnswerAgain() async throws {
        let cassette = try CassetteTransport(
            file: InteropCassettes.url("replay-fetchUser.har"), mode: .replay, upstream: Unreachable(),
            options: CassetteOptions(allowRepeats: true)
        )
        let request = try HTTPRequest(method: .get, url: "https://api.example.com/users/42")
        for _ in 0..<3 {
            #expect(try await cassette.send(request).status == 200)
        }
    }

    @Test func aMissNamesTheClosestEntryAndWhatDiffers() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("session.har")
            _ = try await record(into: file)
            let cassette = try CassetteTransport(file: file, mode: .replay, upstream: Unreachable())
            let client = NexudusClient(baseURL: URL(string: "http://127.0.0.1:9")!, transport: cassette)
            try await client.login(email: jane.email, password: jane.password)

            let shaped = await #expect(throws: ReplayMiss.self) { try await client.profiles(shape: ["User.FullName"]) }
            let text = try #require(shaped?.description)
            #expect(text.hasPrefix("no recorded answer for GET /api/public/coworkers/profiles?_shape=User.FullName in \(file.path) (mode replay, 5 entries)"))
            #expect(text.contains("    #2 GET /api/public/coworkers/profiles → 200\n        query parameter _shape: 'User.FullName' here, absent in the recording"))
            // The cassette layer names no option of its own: its callers say how, where they are.
            #expect(text.hasSuffix("\n  to record it: record again in mode new (keeps the recording, appends what is missing) or in mode record (starts over)"))

            let wrongProfile = await #expect(throws: ReplayMiss.self) { try await client.switchProfile(to: 101) }
            #expect(wrongProfile?.closest.first?.number == 3)
            #expect(wrongProfile?.closest.first?.differences == ["query parameter coworkerId: '101' here, '102' in the recording"])
        }
    }

    @Test func bodiesAreComparedByValue() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("json.har")
            var cassette = Cassette()
            let recordedRequest = try HTTPRequest(
                method: .post, url: "http://h/items", headers: [("Content-Type", "application/json")],
                body: Data(#"{"b": [1, 2], "a": {"x": 1.0}}"#.utf8)
            )
            cassette.entries = [HAR.Entry(request: recordedRequest, response: HTTPResponse(status: 201))]
            try cassette.write(to: file)
            let player = try CassetteTransport(file: file, mode: .replay, upstream: Unreachable())
            let reordered = try HTTPRequest(
                method: .post, url: "http://other-host:1/items", headers: [("Content-Type", "application/json")],
                body: Data(#"{"a":{"x":1},"b":[1,2]}"#.utf8)
            )
            #expect(try await player.send(reordered).status == 201)

            let changed = try HTTPRequest(
                method: .post, url: "http://h/items", headers: [("Content-Type", "application/json")],
                body: Data(#"{"a":{"x":2},"b":[1,2],"c":true}"#.utf8)
            )
            let miss = await #expect(throws: ReplayMiss.self) { try await player.send(changed) }
            #expect(miss?.closest.first?.differences == [
                "body .a.x: 2 here, 1.0 in the recording",
                "body .c: true here, absent in the recording",
            ])
        }
    }

    /// A tool that does not redact (a browser, mitmproxy) records secrets raw, while a live
    /// request is redacted before it is compared: the recording is compared after the same
    /// redaction, so a secret form field, JSON member, query parameter or matched header agrees
    /// with any value, and a miss never quotes what the recording held.
    @Test func secretsARecordingHoldsRawMatchAnyLiveValue() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("raw.har")
            let form = [("Content-Type", "application/x-www-form-urlencoded")]
            let json = [("Content-Type", "application/json")]
            var cassette = Cassette()
            cassette.entries = [
                HAR.Entry(
                    request: try HTTPRequest(
                        method: .post, url: "http://h/api/token", headers: HTTPHeaders(form),
                        body: Data("grant_type=password&username=ann&password=recorded-pass".utf8)
                    ),
                    response: HTTPResponse(status: 200)
                ),
                HAR.Entry(
                    request: try HTTPRequest(
                        method: .post, url: "http://h/sessions?api_key=recorded-key&page=1",
                        headers: HTTPHeaders(json + [("X-Api-Key", "recorded-header-key")]),
                        body: Data(#"{"user": "ann", "password": "recorded-pass", "pin": 1234}"#.utf8)
                    ),
                    response: HTTPResponse(status: 201)
                ),
            ]
            // Written as another tool would write it: nothing redacted.
            try cassette.write(to: file)
            let player = try CassetteTransport(
                file: file, mode: .replay, upstream: Unreachable(), options: CassetteOptions(matchRules: MatchRules(headers: ["X-Api-Key"]))
            )
            let signIn = try HTTPRequest(
                method: .post, url: "http://127.0.0.1:9/api/token", headers: HTTPHeaders(form),
                body: Data("grant_type=password&username=ann&password=typed-today".utf8)
            )
            #expect(try await player.send(signIn).status == 200)
            let session = try HTTPRequest(
                method: .post, url: "http://127.0.0.1:9/sessions?page=1&api_key=another-key",
                headers: HTTPHeaders(json + [("X-Api-Key", "another-header-key")]),
                body: Data(#"{"pin": 9876, "password": "typed-today", "user": "ann"}"#.utf8)
            )
            #expect(try await player.send(session).status == 201)

            // What is not secret must still agree; the difference shown leaves the secret out.
            let otherUser = try HTTPRequest(
                method: .post, url: "http://127.0.0.1:9/sessions?page=1&api_key=k", headers: HTTPHeaders(json + [("X-Api-Key", "k")]),
                body: Data(#"{"user": "bob", "password": "x", "pin": 1}"#.utf8)
            )
            let miss = await #expect(throws: ReplayMiss.self) { try await player.send(otherUser) }
            #expect(miss?.closest.first?.differences == [#"body .user: "bob" here, "ann" in the recording"#])
            #expect(miss?.description.contains("recorded-") == false, "\(miss?.description ?? "")")
            #expect(miss?.description.contains("1234") == false)
        }
    }

    @Test func queryOrderDoesNotMatterAndIgnoredParametersAreIgnored() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("q.har")
            var cassette = Cassette()
            cassette.entries = [
                HAR.Entry(request: try HTTPRequest(method: .get, url: "http://h/search?a=1&b=2&ts=100"), response: HTTPResponse(status: 200)),
            ]
            try cassette.write(to: file)
            let player = try CassetteTransport(
                file: file, mode: .replay, upstream: Unreachable(),
                options: CassetteOptions(matchRules: MatchRules(ignoredQueryParameters: ["ts"]))
            )
            #expect(try await player.send(try HTTPRequest(method: .get, url: "http://h/search?ts=999&b=2&a=1")).status == 200)
        }
    }

    @Test func unusedEntriesAreReportedAndStrictSessionsFail() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("session.har")
            _ = try await record(into: file)
            let lenient = try CassetteTransport(file: file, mode: .replay, upstream: Unreachable())
            let client = NexudusClient(baseURL: URL(string: "http://127.0.0.1:9")!, transport: lenient)
            try await client.login(email: jane.email, password: jane.password)
            let summary = try lenient.finish()
            #expect(summary.firstUnused.map(\.number) == [2, 3, 4, 5])
            #expect(summary.firstUnused.first?.request == "GET /api/public/coworkers/profiles")

            let strict = try CassetteTransport(file: file, mode: .replay, upstream: Unreachable(), options: CassetteOptions(strictUnused: true))
            let error = #expect(throws: UnusedEntriesError.self) { try strict.finish() }
            #expect(error?.description.hasPrefix("5 recorded entries were never requested from \(file.path): #1 POST /api/token") == true)
        }
    }

    @Test func modeOnceRecordsThenReplays() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("once.har")
            _ = try await record(into: file, mode: .once)
            let recorded = try Cassette.load(from: file)
            #expect(recorded.entries.count == 5)
            let second = try CassetteTransport(file: file, mode: .once, upstream: Unreachable())
            #expect(second.mode == .replay)
            _ = try await portalSession(NexudusClient(baseURL: URL(string: "http://127.0.0.1:9")!, transport: second))
            #expect(try Cassette.load(from: file) == recorded, "replaying leaves the file alone")
        }
    }

    @Test func modeNewReplaysWhatItHasAndAppendsTheRest() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("new.har")
            _ = try await record(into: file)
            let sandbox = InProcessSandbox()
            let live = sandbox.transport
            let observed = ObservingTransport(wrapping: live)
            let cassette = try CassetteTransport(file: file, mode: .new, upstream: observed)
            let client = NexudusClient(baseURL: sandbox.baseURL, transport: cassette)
            try await client.login(email: jane.email, password: jane.password)
            #expect(observed.requests.isEmpty, "the token answer came from the cassette")
            // The replayed token is a placeholder, which the live sandbox refuses: sign in live.
            let fresh = NexudusClient(baseURL: sandbox.baseURL, transport: live)
            try await fresh.login(email: jane.email, password: jane.password)
            let liveClient = NexudusClient(baseURL: sandbox.baseURL, transport: cassette, session: fresh.session)
            _ = try await liveClient.benefits()
            #expect(observed.requestLines == ["GET /api/public/coworkers/profiles/current/benefits"])
            let summary = try cassette.finish()
            #expect(summary.replayed == 1)
            #expect(summary.recorded == 1)
            let after = try Cassette.load(from: file)
            #expect(after.entries.count == 6)
            #expect(after.entries.last?.request.url.hasSuffix("/api/public/coworkers/profiles/current/benefits") == true)
        }
    }

    @Test func modeRecordStartsOverAndPassthroughLeavesTheFileAlone() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("c.har")
            _ = try await record(into: file)
            _ = try await record(into: file)
            #expect(try Cassette.load(from: file).entries.count == 5, "record overwrites instead of appending")
            let before = try Data(contentsOf: file)
            _ = try await record(into: file, mode: .passthrough)
            #expect(try Data(contentsOf: file) == before)

            let empty = directory.appendingPathComponent("empty.har")
            let idle = try CassetteTransport(file: empty, mode: .record, upstream: Unreachable())
            try idle.finish()
            #expect(try Cassette.load(from: empty).entries.isEmpty, "a recording that recorded nothing is an empty cassette")
        }
    }

    @Test func replayNeedsAnExistingCassetteAndRecordingAWritableFolder() throws {
        #expect(throws: CassetteError.fileNotFound(path: "/nonexistent/x.har")) {
            try CassetteTransport(file: URL(fileURLWithPath: "/nonexistent/x.har"), mode: .replay, upstream: Unreachable())
        }
        let error = #expect(throws: CassetteError.self) {
            try CassetteTransport(file: URL(fileURLWithPath: "/nonexistent/x.har"), mode: .record, upstream: Unreachable())
        }
        #expect(error?.description == "could not write the cassette /nonexistent/x.har: the folder /nonexistent does not exist; the previous file is unchanged")
    }

    @Test func recordingTwiceDiffersOnlyInDatesAndTimings() async throws {
        try await withTemporaryDirectory { directory in
            let files = [directory.appendingPathComponent("a.har"), directory.appendingPathComponent("b.har")]
            let sandbox = InProcessSandbox()
            for file in files {
                let cassette = try CassetteTransport(file: file, mode: .record, upstream: sandbox.transport)
                _ = try await portalSession(NexudusClient(baseURL: sandbox.baseURL, transport: cassette))
                try cassette.finish()
                // Put the account back as it was, outside the recording.
                let reset = NexudusClient(baseURL: sandbox.baseURL, transport: sandbox.transport)
                try await reset.login(email: jane.email, password: jane.password)
                _ = try await reset.switchProfile(to: 101)
            }
            let volatile = ["\"startedDateTime\"", "\"time\"", "\"wait\"", "\"receive\""]
            let stripped = try files.map { file in
                try String(contentsOf: file, encoding: .utf8)
                    .replacingOccurrences(of: #""name": "Date",\n\s+"value": "[^"]*""#, with: "Date", options: .regularExpression)
                    .split(separator: "\n")
                    .filter { line in !volatile.contains { line.trimmingCharacters(in: .whitespaces).hasPrefix($0) } }
            }
            #expect(stripped[0] == stripped[1])
        }
    }
}

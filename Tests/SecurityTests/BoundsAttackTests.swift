import CZlib
import Foundation
import HTTPValues
import NexshTesting
import Synchronization
import Testing
import Transport

/// Part 4 of the security issue, crashes and unbounded work. Each test is an attack: it plants a
/// hostile input, runs the real nexsh, and checks that the process ended by itself (no signal),
/// with the expected exit status and an error that names the bound, inside the timeout given to
/// the child process (a hang guard, not a timing assertion). Each also tries another attack of the
/// same kind, so that what is shut is the class, not the example.
@Suite struct BoundsAttackTests {
    static let environment = ["NO_COLOR": "1", "NEXSH_SERVER": ""]

    func nexsh(_ arguments: [String], in directory: URL, standardInput: Data? = nil, timeout: Duration = .seconds(60)) async throws -> ProcessResult {
        let result = try await ChildProcess.run(
            BuildProducts.nexsh, arguments, environment: Self.environment, currentDirectory: directory, standardInput: standardInput,
            timeout: timeout
        )
        #expect(result.signal == nil, "nexsh \(arguments.prefix(5)) ended by signal \(result.signal ?? 0): \(result.standardError.prefix(400))")
        return result
    }

    func write(_ text: String, to name: String, in directory: URL) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    /// nexsh under GNU time, which reports the peak resident memory of what it waited for, with
    /// `timeout -s KILL` between them so that nexsh cannot outlive a test that gave up on it.
    /// Without those tools the run goes ahead unmeasured (`peakKiB` nil).
    func measuredNexsh(_ arguments: [String], in directory: URL) async throws -> (result: ProcessResult, peakKiB: Int?) {
        let time = URL(fileURLWithPath: "/usr/bin/time")
        guard FileManager.default.isExecutableFile(atPath: time.path), let killer = BuildProducts.tool("timeout") else {
            return (try await nexsh(arguments, in: directory), nil)
        }
        let run = try await ChildProcess.run(
            time, ["-f", "peak-rss-kib=%M", killer.path, "-s", "KILL", "100", BuildProducts.nexsh.path] + arguments,
            environment: Self.environment, currentDirectory: directory, timeout: .seconds(120)
        )
        // GNU time adds its own lines after nexsh's standard error.
        var errors: [Substring] = []
        var peak: Int?
        var crashed = run.signal != nil || run.status >= 128
        for line in run.standardError.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("peak-rss-kib=") {
                peak = Int(line.dropFirst("peak-rss-kib=".count))
            } else if line.hasPrefix("Command terminated by signal") {
                crashed = true
            } else if !line.hasPrefix("Command exited with non-zero status") {
                errors.append(line)
            }
        }
        #expect(!crashed, "nexsh \(arguments.prefix(5)) crashed: \(run.standardError.prefix(400))")
        #expect(peak != nil, "GNU time reported no peak: \(run.standardError.suffix(200))")
        let result = ProcessResult(status: run.status, standardOutput: run.standardOutput, standardError: errors.joined(separator: "\n"))
        return (result, peak)
    }

    /// The oracle first: a process that dies of a trap is seen as such, not as an exit status.
    /// A script or a cassette larger than any real one is refused by its size, named, before it
    /// is read: sparse files, so the test writes nothing of that size itself.
    @Test func aHugeScriptOrCassetteIsRefusedBeforeItIsRead() async throws {
        try await withTemporaryDirectory { directory in
            func sparse(_ name: String, size: Int) throws {
                let path = directory.appendingPathComponent(name).path
                FileManager.default.createFile(atPath: path, contents: nil)
                #expect(truncate(path, off_t(size)) == 0)
            }
            try sparse("huge.nexsh", size: (64 << 20) + 1)
            try sparse("huge.har", size: (2 << 30) + 1)
            try Data("echo hi\n".utf8).write(to: directory.appendingPathComponent("s.nexsh"))
            let script = try await nexsh(["run", "huge.nexsh"], in: directory)
            #expect(script.status == 2)
            #expect(script.standardError.contains("huge.nexsh: it is larger than 64 MiB, the most nexsh reads of a script"), "\(script.standardError)")
            for arguments in [["cassette", "inspect", "huge.har"], ["run", "s.nexsh", "--cassette", "huge.har"]] {
                let cassette = try await nexsh(arguments, in: directory)
                #expect(cassette.status == 2, "\(arguments)")
                #expect((cassette.standardOutput + cassette.standardError).contains("it is larger than 2048 MiB, the most nexsh reads of a cassette"),
                        "\(arguments): \(cassette.standardError)")
            }
        }
    }

    @Test func aCrashIsSeenAsASignal() async throws {
        let crash = try await ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "kill -ILL $$"])
        #expect(crash.signal == SIGILL)
        let exit = try await ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "exit 4"])
        #expect(exit.signal == nil && exit.status == 4)
    }

    // MARK: Numbers on the command line and in scripts

    @Test func readTimeoutAndDeadlineOutOfRangeAreUsageErrorsNamingTheRange() async throws {
        try await withTemporaryDirectory { directory in
            try write("echo ran\n", to: "x.nexsh", in: directory)
            let options = [("--read-timeout", "from 0.001 to 3600 seconds"), ("--deadline", "from 0.001 to 86400 seconds")]
            for (option, range) in options {
                for value in ["1e10", "inf", "1e308", "nan", "-1", "0", "-inf", "99999999999999999999"] {
                    let result = try await nexsh(["run", "x.nexsh", "--sandbox", "\(option)=\(value)"], in: directory)
                    #expect(result.status == 3, "\(option) \(value): \(result.standardError)")
                    #expect(result.standardError.contains("The value '\(value)' is invalid for '\(option) <seconds>': expected a number \(range)"),
                            "\(option) \(value): \(result.standardError)")
                    #expect(result.standardOutput.isEmpty, "nothing runs")
                }
            }
            // The interactive shell and `bundle create` take the same options, and check them alike.
            for arguments in [["--read-timeout", "1e10"], ["shell", "--deadline", "1e308"], ["bundle", "create", "b.har", "--script", "x.nexsh", "--deadline", "inf"]] {
                let result = try await nexsh(arguments, in: directory)
                #expect(result.status == 3, "\(arguments): \(result.standardError)")
                #expect(result.standardError.contains("expected a number from 0.001 to"), "\(arguments): \(result.standardError)")
            }
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("b.har").path))
        }
    }

    @Test func everyOtherNumericOptionOutOfRangeIsAUsageErrorNamingTheRange() async throws {
        let cases: [(arguments: [String], message: String)] = [
            (["run", "x.nexsh", "--jobs", "0"], "'--jobs <jobs>': expected a whole number from 1 to 256"),
            (["run", "x.nexsh", "--jobs", "99999999999999999999"], "'--jobs <jobs>': expected a whole number from 1 to 256"),
            (["run", "x.nexsh", "--retries", "11"], "'--retries <N>': expected a whole number from 0 to 10"),
            (["run", "x.nexsh", "--retries=-1"], "'--retries <N>': expected a whole number from 0 to 10"),
            (["run", "x.nexsh", "--max-body-size", "0"], "'--max-body-size <MiB>': expected a whole number from 1 to 4096 MiB"),
            (["run", "x.nexsh", "--max-body-size", "1e9"], "'--max-body-size <MiB>': expected a whole number from 1 to 4096 MiB"),
            (["run", "x.nexsh", "--sandbox-port", "65536"], "'--sandbox-port <port>': expected a whole number from 0 to 65535"),
            (["run", "x.nexsh", "--sandbox-token-ttl", "0"], "'--sandbox-token-ttl <seconds>': expected a whole number from 1 to 31536000 seconds"),
            (["run", "x.nexsh", "--sandbox-token-ttl", "9223372036854775807"], "expected a whole number from 1 to 31536000 seconds"),
            (["sandbox", "--port=-1"], "'--port <port>': expected a whole number from 0 to 65535"),
            (["sandbox", "--port", "65536"], "'--port <port>': expected a whole number from 0 to 65535"),
            (["sandbox", "--token-ttl", "31536001"], "'--token-ttl <seconds>': expected a whole number from 1 to 31536000 seconds"),
            (["sandbox", "--fault", "drop", "--fault-rate", "nan"], "'--fault-rate <rate>': expected a number from 0 to 1"),
            (["sandbox", "--fault", "drop", "--fault-rate", "inf"], "'--fault-rate <rate>': expected a number from 0 to 1"),
            (["sandbox", "--fault", "drop", "--fault-rate", "1.5"], "'--fault-rate <rate>': expected a number from 0 to 1"),
            (["sandbox", "--fault-seed=-1"], "'--fault-seed <fault-seed>': expected a whole number from 0 to 18446744073709551615"),
            (["sandbox", "--fault", "latency=1e308ms"], "--fault: bad latency '1e308ms': expected a duration from 0ms to 600s"),
            (["sandbox", "--fault", "latency=nan"], "--fault: bad latency 'nan': expected a duration from 0ms to 600s"),
            (["sandbox", "--fault", "status=99999999999999999999"], "expected an HTTP status code from 100 to 599"),
            (["sandbox", "--fault", "status=503,times=0"], "bad times '0': expected a whole number of requests from 1 to 1000000"),
        ]
        try await withTemporaryDirectory { directory in
            try write("echo ran\n", to: "x.nexsh", in: directory)
            for item in cases {
                // A sandbox that wrongly started would run until the hang guard stops it.
                let result = try await nexsh(item.arguments, in: directory, timeout: .seconds(20))
                #expect(result.status == 3, "\(item.arguments): \(result.standardError)")
                #expect(result.standardError.contains(item.message), "\(item.arguments): \(result.standardError)")
                #expect(result.standardOutput.isEmpty, "\(item.arguments): nothing runs")
            }
        }
    }

    @Test func numericWordsOutOfRangeAreParseErrorsAtTheirPlace() async throws {
        let cases: [(line: String, place: String, message: String)] = [
            ("sleep 9223372036854775807", "1:7", "sleep: '9223372036854775807' is not a number of milliseconds from 0 to 3600000"),
            ("sleep 1e400", "1:7", "is not a number of milliseconds from 0 to 3600000"),
            ("sleep -1", "1:7", "is not a number of milliseconds from 0 to 3600000"),
            ("expect status 1e400", "1:15", "expect: '1e400' is not an HTTP status: expected a whole number from 100 to 599"),
            ("expect status 99999999999999999999", "1:15", "expected a whole number from 100 to 599"),
            ("switch 99999999999999999999", "1:8", "switch: '99999999999999999999' is not a profile id: expected a whole number from 1 to 9223372036854775807"),
            ("team 0", "1:6", "team: '0' is not a team id: expected a whole number from 1 to 9223372036854775807"),
            ("contract -5", "1:10", "expected a whole number from 1 to 9223372036854775807"),
            ("exit 99999999999", "1:6", "exit: '99999999999' is not an exit status (0 to 255)"),
        ]
        try await withTemporaryDirectory { directory in
            for item in cases {
                try write(item.line + "\n", to: "w.nexsh", in: directory)
                let result = try await nexsh(["run", "w.nexsh"], in: directory)
                #expect(result.status == 2, "\(item.line): \(result.standardError)")
                #expect(result.standardError.hasPrefix("w.nexsh:\(item.place): error: "), "\(item.line): \(result.standardError)")
                #expect(result.standardError.contains(item.message), "\(item.line): \(result.standardError)")
            }
            // The same numbers from a variable are only known when the line runs: a failed line.
            try write("set n 99999999999999999999\nsleep ${n}\n", to: "v.nexsh", in: directory)
            let late = try await nexsh(["run", "v.nexsh"], in: directory)
            #expect(late.status == 1, "\(late.standardOutput)")
            #expect(late.standardError.hasPrefix("v.nexsh:2:7: error: sleep: '99999999999999999999' is not a number of milliseconds from 0 to 3600000"))
        }
    }

    // MARK: The sandbox

    @Test func aFaultHeaderWithAnEndlessLatencyIsRefusedAndTheSandboxStaysUp() async throws {
        let sandbox = try ChildProcess(BuildProducts.nexsh, ["sandbox", "--port", "0", "--quiet"], environment: Self.environment)
        defer { sandbox.stop() }
        let line = try await sandbox.waitForOutput(matching: #"listening on http://127\.0\.0\.1:\d+"#)
        let profiles = String(line.dropFirst("listening on ".count)) + "/api/public/coworkers/profiles"
        let hostile = [
            ("latency=1e308ms", "bad latency '1e308ms': expected a duration from 0ms to 600s"),
            ("latency=1e308", "bad latency '1e308': expected a duration from 0ms to 600s"),
            ("latency=infs", "bad latency 'infs': expected a duration from 0ms to 600s"),
            ("latency=nan", "bad latency 'nan': expected a duration from 0ms to 600s"),
            ("latency=9223372036854775807ms", "expected a duration from 0ms to 600s"),
            ("latency=601s", "expected a duration from 0ms to 600s"),
            ("status=503,times=99999999999999999999", "bad times '99999999999999999999': expected a whole number of requests from 1 to 1000000"),
        ]
        try await withLiveTransport(configuration: .init(readTimeout: .seconds(10))) { transport in
            for (fault, message) in hostile {
                let answer = try await transport.send(try HTTPRequest(method: .get, url: profiles, headers: [("X-Sandbox-Fault", fault)]))
                #expect(answer.status == 400, "\(fault)")
                let text = String(decoding: answer.body, as: UTF8.self)
                #expect(text.contains("X-Sandbox-Fault: bad ") && text.contains(message), "\(fault): \(text)")
            }
            // Still up, and still faithful: a plain request, then a fault within range.
            #expect(try await transport.send(try HTTPRequest(method: .get, url: profiles)).status == 401)
            #expect(try await transport.send(try HTTPRequest(method: .get, url: profiles, headers: [("X-Sandbox-Fault", "status=503")])).status == 503)
        }
        sandbox.signal(SIGTERM)
        #expect(try await sandbox.waitForExit() == 0)
        #expect(sandbox.terminationSignal == nil)
    }

    // MARK: Variables

    @Test func aVariableDoubledFortyTimesStopsAt16MiB() async throws {
        try await withTemporaryDirectory { directory in
            let doubling = (2...40).map { "set v\($0) ${v\($0 - 1)}${v\($0 - 1)}\n" }
            try write("set v1 x\n" + doubling.joined(), to: "double.nexsh", in: directory)
            let (result, peak) = try await measuredNexsh(["run", "double.nexsh"], in: directory)
            // v25 holds 2^24 bytes, exactly 16 MiB; v26 would hold twice that.
            #expect(result.status == 1, "\(result.standardOutput)")
            #expect(result.standardError.hasPrefix(
                "double.nexsh:26:1: error: expanding ${v25} into this word would exceed 16 MiB, the most a variable or a command's expanded words may hold"
            ), "\(result.standardError.prefix(400))")
            #expect(result.standardError.hasSuffix("0 passed, 1 failed\n"))
            if let peak { #expect(peak < 512 * 1024, "peak resident memory \(peak) KiB") }

            // Many words, each within the bound, on one line: the same attack, spread out.
            try write("set v1 x\n" + doubling.prefix(23).joined() + "echo ${v24} ${v24} ${v24}\n", to: "wide.nexsh", in: directory)
            let wide = try await nexsh(["run", "wide.nexsh"], in: directory)
            #expect(wide.status == 1, "\(wide.standardOutput)")
            #expect(wide.standardError.hasPrefix("wide.nexsh:25:1: error: the words of this command would exceed 16 MiB"), "\(wide.standardError.prefix(400))")
        }
    }

    // MARK: Cassette files

    /// 452 bytes: nine levels of nine aliases, 387 million "lol"s once expanded.
    static let billionLaughs = """
        a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        a1: &a1 [*a0,*a0,*a0,*a0,*a0,*a0,*a0,*a0,*a0]
        a2: &a2 [*a1,*a1,*a1,*a1,*a1,*a1,*a1,*a1,*a1]
        a3: &a3 [*a2,*a2,*a2,*a2,*a2,*a2,*a2,*a2,*a2]
        a4: &a4 [*a3,*a3,*a3,*a3,*a3,*a3,*a3,*a3,*a3]
        a5: &a5 [*a4,*a4,*a4,*a4,*a4,*a4,*a4,*a4,*a4]
        a6: &a6 [*a5,*a5,*a5,*a5,*a5,*a5,*a5,*a5,*a5]
        a7: &a7 [*a6,*a6,*a6,*a6,*a6,*a6,*a6,*a6,*a6]
        a8: &a8 [*a7,*a7,*a7,*a7,*a7,*a7,*a7,*a7,*a7]
        interactions: [*a8]

        """

    /// A vcrpy cassette whose first interaction is repeated by alias `count` more times.
    static func repeatedInteraction(body: String, count: Int) -> String {
        """
        interactions:
        - &first
          request:
            body: "\(body)"
            headers: {Accept: [application/json]}
            method: GET
            uri: http://127.0.0.1/api/public/coworkers/profiles
          response:
            body: {string: '{"Profiles": []}'}
            headers: {Content-Type: [application/json]}
            status: {code: 200, message: OK}

        """ + String(repeating: "- *first\n", count: count) + "version: 1\n"
    }

    @Test func aBillionLaughsImportIsRefusedQuickly() async throws {
        try await withTemporaryDirectory { directory in
            try write(Self.billionLaughs, to: "laughs.yml", in: directory)
            let result = try await nexsh(["cassette", "import", "laughs.yml", "-o", "out.har"], in: directory)
            #expect(result.status == 2, "\(result.standardError)")
            #expect(result.standardError.contains("its YAML aliases expand it by more than 1 MiB, the most an import accepts"), "\(result.standardError)")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out.har").path))
            // verify reads other tools' cassettes through the same importer.
            #expect(try await nexsh(["cassette", "verify", "laughs.yml"], in: directory).status == 2)

            // The same kind, flat: one 64 KiB interaction repeated by alias a hundred times.
            try write(Self.repeatedInteraction(body: String(repeating: "A", count: 64 << 10), count: 100), to: "wide.yml", in: directory)
            let wide = try await nexsh(["cassette", "import", "wide.yml", "-o", "out.har"], in: directory)
            #expect(wide.status == 2, "\(wide.standardError)")
            #expect(wide.standardError.contains("expand it by more than 1 MiB"), "\(wide.standardError)")

            // Aliases as real cassettes use them still import.
            try write(Self.repeatedInteraction(body: "", count: 3), to: "fine.yml", in: directory)
            let fine = try await nexsh(["cassette", "import", "fine.yml", "-o", "out.har"], in: directory)
            #expect(fine.status == 0, "\(fine.standardError)")
            #expect(fine.standardOutput.hasPrefix("imported 4 exchanges from the vcrpy cassette"), "\(fine.standardOutput)")
        }
    }

    /// A HAR file of one entry with `headers` response headers, and one whose JSON body has
    /// `members` members, all values prefixed by `side`.
    static func wideCassette(headers: Int, members: Int, side: String) throws -> Data {
        func entry(headers: [[String: Any]], body: String) -> [String: Any] {
            [
                "startedDateTime": "2024-01-01T00:00:00.000Z", "time": 0, "cache": [:] as [String: Any],
                "timings": ["send": 0, "wait": 0, "receive": 0],
                "request": [
                    "method": "GET", "url": "http://127.0.0.1/wide", "httpVersion": "HTTP/1.1", "cookies": [] as [Any],
                    "headers": [] as [Any], "queryString": [] as [Any], "headersSize": -1, "bodySize": 0,
                ] as [String: Any],
                "response": [
                    "status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [] as [Any], "headers": headers,
                    "content": ["size": body.utf8.count, "mimeType": "application/json", "text": body] as [String: Any],
                    "redirectURL": "", "headersSize": -1, "bodySize": body.utf8.count,
                ] as [String: Any],
            ]
        }
        let manyHeaders = (0..<headers).map { ["name": "X-H\($0)", "value": "\(side)\($0)"] }
        let wideBody = "{" + (0..<members).map { "\"m\($0)\": \"\(side)\($0)\"" }.joined(separator: ", ") + "}"
        let log: [String: Any] = [
            "log": [
                "version": "1.2", "creator": ["name": "attack", "version": "1"],
                "entries": [entry(headers: manyHeaders, body: "{}"), entry(headers: [], body: wideBody)],
            ] as [String: Any],
        ]
        return try JSONSerialization.data(withJSONObject: log)
    }

    @Test func aDiffOf20000HeadersFinishesInsideTheHangGuard() async throws {
        try await withTemporaryDirectory { directory in
            try Self.wideCassette(headers: 20_000, members: 20_000, side: "a").write(to: directory.appendingPathComponent("a.har"))
            try Self.wideCassette(headers: 20_000, members: 20_000, side: "b").write(to: directory.appendingPathComponent("b.har"))
            let result = try await nexsh(["cassette", "diff", "a.har", "b.har"], in: directory, timeout: .seconds(60))
            #expect(result.status == 1, "\(result.standardError)")
            let lines = result.standardOutput.split(separator: "\n")
            #expect(lines.filter { $0.hasPrefix("    header X-H") }.count == 20_000)
            #expect(lines.contains("    header X-H19999: 'a19999' → 'b19999'"))
            // The same kind in a body: 20,000 members compared by name.
            #expect(lines.contains("    body .m0: \"a0\" → \"b0\""), "\(lines.suffix(12))")
            #expect(lines.contains("    …and 19990 more body differences"))
            #expect(lines.last == "2 of 2 entries differ")
        }
    }

    // MARK: Hostile servers

    /// A gzip stream of `count` zero bytes, deflated in 1 MiB steps.
    static func gzippedZeros(_ count: Int) -> [UInt8] {
        var stream = z_stream()
        precondition(czlib_deflate_init(&stream, 6, 15 + 16) == Z_OK)
        defer { deflateEnd(&stream) }
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var output: [UInt8] = []
        var remaining = count
        repeat {
            let size = min(remaining, zeros.count)
            remaining -= size
            zeros.withUnsafeBufferPointer { input in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(size)
                repeat {
                    buffer.withUnsafeMutableBufferPointer { out in
                        stream.next_out = out.baseAddress
                        stream.avail_out = uInt(out.count)
                        deflate(&stream, remaining == 0 ? Z_FINISH : Z_NO_FLUSH)
                        output.append(contentsOf: out[..<(out.count - Int(stream.avail_out))])
                    }
                } while stream.avail_out == 0
            }
        } while remaining > 0
        return output
    }

    @Test func aGzipBombIsKeptAsReceivedWithMemoryBounded() async throws {
        let bomb = Self.gzippedZeros(1 << 30)
        let dense = Self.gzippedZeros(32 << 20)
        #expect(bomb.count < 2 << 20, "about 1 MiB: \(bomb.count)")
        let gzip = [("Content-Type", "application/octet-stream"), ("Content-Encoding", "gzip")]
        let routes = [
            TestRoute("GET", "/bomb") { _ in CannedResponse(headers: gzip, body: bomb) },
            TestRoute("GET", "/dense") { _ in CannedResponse(headers: gzip, body: dense) },
            TestRoute("GET", "/big") { _ in CannedResponse(headers: [("Content-Type", "application/octet-stream")], body: [UInt8](repeating: 7, count: 2 << 20)) },
        ]
        try await withTestServer(routes) { server in
            try await withTemporaryDirectory { directory in
                try write("get /bomb\nget /dense\n", to: "bomb.nexsh", in: directory)
                let (result, peak) = try await measuredNexsh(
                    ["run", "bomb.nexsh", "--server", server.absoluteString, "--cassette", "bomb.har", "--mode", "record"], in: directory
                )
                #expect(result.status == 0, "\(result.standardError)")
                // 1 GiB inflated took 7 GB here before; now inflating stops at 64 MiB.
                if let peak { #expect(peak < 512 * 1024, "peak resident memory \(peak) KiB") }

                let har = try Data(contentsOf: directory.appendingPathComponent("bomb.har"))
                let log = try #require((try JSONSerialization.jsonObject(with: har) as? [String: Any])?["log"] as? [String: Any])
                let responses = try #require(log["entries"] as? [[String: Any]]).compactMap { $0["response"] as? [String: Any] }
                #expect(responses.count == 2)
                let expected = [
                    (bomb.count, "kept as received (gzip, not inflated): it inflates beyond the 64 MiB limit"),
                    (dense.count, "kept as received (gzip, not inflated): it inflates more than 200 times its"),
                ]
                for (response, (size, comment)) in zip(responses, expected) {
                    let content = try #require(response["content"] as? [String: Any])
                    #expect(content["encoding"] as? String == "base64")
                    #expect(content["size"] as? Int == size)
                    #expect((content["comment"] as? String)?.hasPrefix(comment) == true, "\(content["comment"] ?? "no comment")")
                    let headers = (response["headers"] as? [[String: Any]]) ?? []
                    #expect(headers.contains { ($0["name"] as? String)?.lowercased() == "content-encoding" && $0["value"] as? String == "gzip" })
                }

                // What is received is bounded by the same option.
                try write("get /big\n", to: "big.nexsh", in: directory)
                let big = try await nexsh(["run", "big.nexsh", "--server", server.absoluteString, "--max-body-size", "1"], in: directory)
                #expect(big.status == 1, "\(big.standardOutput)")
                #expect(big.standardError.contains("/big: the response body is larger than the 1 MiB limit"), "\(big.standardError)")
            }
        }
    }

    @Test func aTricklingServerFailsAtTheDeadline() async throws {
        try await withRawListener({ connection, isStopped in
            RawListener.readRequestHead(connection)
            guard RawListener.send(connection, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n") else { return }
            // A byte every half second: never silent for the read timeout, never done.
            for _ in 0..<1000 where !isStopped() {
                guard RawListener.send(connection, "x") else { return }
                RawListener.pause(milliseconds: 500, unless: isStopped)
            }
        }) { port in
            try await withTemporaryDirectory { directory in
                let server = "http://127.0.0.1:\(port)"
                try write("get /slow\necho not reached\n", to: "slow.nexsh", in: directory)
                let result = try await nexsh(["run", "slow.nexsh", "--server", server, "--deadline", "2"], in: directory)
                #expect(result.status == 1, "\(result.standardOutput)")
                #expect(result.standardError.hasPrefix("slow.nexsh:1:1: error: GET \(server)/slow: no complete answer within 2s (deadline)"), "\(result.standardError)")
                #expect(!result.standardOutput.contains("not reached"))
                // Piped into the shell, which hands its options on to `nexsh run`.
                let piped = try await nexsh(["--server", server, "--deadline", "1.5"], in: directory, standardInput: Data("get /slow\n".utf8))
                #expect(piped.status == 1, "\(piped.standardOutput)")
                #expect(piped.standardError.contains("GET \(server)/slow: no complete answer within 1.5s (deadline)"), "\(piped.standardError)")
            }
        }
    }

    @Test func garbageAndHTTP09AnswersAreNotHTTP() async throws {
        let answers = [
            "garbage": [UInt8]([0x00, 0x01, 0xFF, 0xFE]) + Array("garbage, not a status line\r\n\r\n".utf8),
            "HTTP/0.9": Array("{\"Profiles\": []}\n".utf8),
            "another protocol": Array("SSH-2.0-OpenSSH_9.6\r\n".utf8),
        ]
        try await withTemporaryDirectory { directory in
            try write("get /api/public/coworkers/profiles\n", to: "get.nexsh", in: directory)
            for (kind, bytes) in answers {
                try await withRawListener({ connection, isStopped in
                    RawListener.readRequestHead(connection)
                    _ = RawListener.send(connection, bytes)
                    RawListener.waitForClose(connection, unless: isStopped)
                }) { port in
                    let result = try await nexsh(["run", "get.nexsh", "--server", "http://127.0.0.1:\(port)"], in: directory)
                    #expect(result.status == 1, "\(kind): \(result.standardOutput)")
                    #expect(result.standardError.hasPrefix("get.nexsh:1:1: error: the server at http://127.0.0.1:\(port) did not answer with HTTP\n"),
                            "\(kind): \(result.standardError)")
                }
            }
        }
    }
}

// MARK: - A raw TCP listener

/// Runs a TCP listener on loopback port 0 for the duration of `body`, answering each connection,
/// one at a time, with `respond`: for answers no HTTP server library would give.
func withRawListener<Result: Sendable>(
    _ respond: @escaping @Sendable (_ connection: Int32, _ isStopped: @Sendable () -> Bool) -> Void,
    _ body: (UInt16) async throws -> Result
) async throws -> Result {
    let listener = try RawListener(respond: respond)
    defer { listener.stop() }
    return try await body(listener.port)
}

final class RawListener: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let port: UInt16
    private let socket: Int32
    private let stopped = Atomic(false)
    private let finished = DispatchSemaphore(value: 0)

    init(respond: @escaping @Sendable (Int32, @Sendable () -> Bool) -> Void) throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(socket, address, length) == 0 && listen(socket, 8) == 0 && getsockname(socket, address, &length) == 0
            }
        }
        guard bound else {
            close(socket)
            throw Failure(description: "cannot listen on loopback: errno \(errno)")
        }
        self.socket = socket
        port = UInt16(bigEndian: address.sin_port)
        Thread { [self] in
            let isStopped: @Sendable () -> Bool = { self.stopped.load(ordering: .relaxed) }
            while !isStopped() {
                var ready = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
                guard poll(&ready, 1, 50) > 0 else { continue }
                let connection = accept(socket, nil, nil)
                guard connection >= 0 else { continue }
                respond(connection, isStopped)
                close(connection)
            }
            self.finished.signal()
        }.start()
    }

    /// Ends the listener and waits until its thread has closed the last connection.
    func stop() {
        stopped.store(true, ordering: .relaxed)
        finished.wait()
        close(socket)
    }

    /// Reads until the blank line that ends a request head (or the client goes away).
    static func readRequestHead(_ connection: Int32) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.suffix(4).elementsEqual(Array("\r\n\r\n".utf8)) {
            var ready = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 5000) > 0 else { return }
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            received += buffer[..<count]
        }
    }

    /// False once the client has gone away.
    static func send(_ connection: Int32, _ bytes: some Collection<UInt8>) -> Bool {
        let bytes = Array(bytes)
        return bytes.withUnsafeBytes { Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    static func send(_ connection: Int32, _ text: String) -> Bool {
        send(connection, text.utf8)
    }

    static func pause(milliseconds: Int, unless isStopped: () -> Bool) {
        for _ in 0..<(milliseconds / 10) where !isStopped() { usleep(10_000) }
    }

    /// Waits, up to five seconds, for the client to close the connection.
    static func waitForClose(_ connection: Int32, unless isStopped: () -> Bool) {
        var buffer = [UInt8](repeating: 0, count: 1024)
        for _ in 0..<100 where !isStopped() {
            var ready = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 50) >= 0 else { return }
            if ready.revents != 0, recv(connection, &buffer, buffer.count, 0) <= 0 { return }
        }
    }
}

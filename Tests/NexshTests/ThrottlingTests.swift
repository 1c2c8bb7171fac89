import Foundation
import NexshAppTesting
import NexshTesting
import Sandbox
import Synchronization
import Testing

/// Scripts against a throttling sandbox on loopback. The waits are measured from the sandbox's
/// side, by its request log: when it answered 409, and when the retry arrived. A lower bound is
/// certain (the client slept at least that long); the upper one is the max wait.
@Suite struct ThrottlingTests {
    static let profiles = "/api/public/coworkers/profiles"
    static let login = "login jane.doe@example.com --password correct-horse\n"

    /// What the sandbox served, in order.
    final class SandboxLog: Sendable {
        private let records = Mutex<[SandboxRequestRecord]>([])
        var all: [SandboxRequestRecord] { records.withLock { $0 } }
        func configuration(throttle: SandboxRate? = nil) -> SandboxServer.Configuration {
            .init(throttle: throttle, requestLog: { record in self.records.withLock { $0.append(record) } })
        }

        /// Each 409 with the retry that followed it: the same request, next time it came.
        var throttledAndRetried: [(throttled: SandboxRequestRecord, asked: Duration, retry: SandboxRequestRecord?)] {
            let all = all
            return all.enumerated().compactMap { index, record in
                guard case .answered(409, let retryAfter?) = record.outcome, let seconds = Int(retryAfter) else { return nil }
                let retry = all[(index + 1)...].first { $0.method == record.method && $0.target == record.target }
                return (record, .seconds(seconds), retry)
            }
        }
    }

    /// The summary on standard output, as before issue 18: standard error then holds only the
    /// notes of waits and retries these tests count.
    func nexsh(_ arguments: [String], in directory: URL) async throws -> ProcessResult {
        try await InProcessNexsh.run(arguments + ["--summary", "stdout"], environment: ["NO_COLOR": "1", "NEXSH_SERVER": ""], currentDirectory: directory)
    }

    func write(_ text: String, to name: String, in directory: URL) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    @Test func aScriptOverTheRateCompletesWaitingAsToldEachTime() async throws {
        let log = SandboxLog()
        // Three requests in four seconds: seven requests go over it however slowly a loaded
        // machine sends them (at one a second they would not).
        try await withSandbox(log.configuration(throttle: SandboxRate(requests: 3, window: .seconds(4)))) { sandbox in
            try await withTemporaryDirectory { directory in
                try write(Self.login + String(repeating: "get \(Self.profiles)\nexpect status 200\n", count: 5), to: "burst.nexsh", in: directory)
                let result = try await nexsh(["run", "burst.nexsh", "--server", sandbox.baseURL.absoluteString], in: directory)
                #expect(result.status == 0, "\(result.standardOutput)")

                let throttled = log.throttledAndRetried
                #expect(!throttled.isEmpty, "seven requests at three in four seconds: some were throttled")
                for (answer, asked, retry) in throttled {
                    let retry = try #require(retry, "every throttled request was retried")
                    let waited = retry.received - answer.answered
                    #expect(waited >= asked && waited < .seconds(30), "\(answer) then \(retry) after \(waited)")
                }
                #expect(log.all.filter { $0.status != 409 }.allSatisfy { $0.status == 200 })
                // Not a terminal: each wait is a note on standard error, as retries are.
                let notes = result.standardError.split(separator: "\n")
                #expect(notes.count == throttled.count)
                #expect(notes.allSatisfy { $0.contains(#/^note: GET /api/public/coworkers/profiles throttled \(409\); waiting [1-4]s as the server asked, retry /#) })
            }
        }
    }

    @Test func theThrottleFaultIsWaitedOutOnceAndALongerWaitThanMaxWaitFailsAtOnce() async throws {
        let log = SandboxLog()
        try await withSandbox(log.configuration()) { sandbox in
            try await withTemporaryDirectory { directory in
                let server = sandbox.baseURL.absoluteString
                try write(Self.login + "get \(Self.profiles) --header \"X-Sandbox-Fault: throttle=1s\"\nexpect status 200\n", to: "once.nexsh", in: directory)
                let once = try await nexsh(["run", "once.nexsh", "--server", server], in: directory)
                #expect(once.status == 0, "\(once.standardOutput)")
                #expect(once.standardError == "note: GET /api/public/coworkers/profiles throttled (409); waiting 1s as the server asked, retry 1 of 3\n")
                let (answer, asked, retry) = try #require(log.throttledAndRetried.first)
                #expect(asked == .seconds(1))
                let waited = try #require(retry).received - answer.answered
                #expect(waited >= .seconds(1) && waited < .seconds(30))

                try write(Self.login + "get \(Self.profiles) --header \"X-Sandbox-Fault: throttle=5s\"\necho after\n", to: "long.nexsh", in: directory)
                let before = log.all.count
                let long = try await nexsh(["run", "long.nexsh", "--server", server, "--max-wait", "2"], in: directory)
                #expect(long.status == 1)
                #expect(long.standardOutput.contains(
                    "long.nexsh:2:1: error: GET \(server)/api/public/coworkers/profiles: the server is throttling requests and asked to wait 5s, longer than the 2s max wait; try again later, or allow a longer wait with --max-wait\n"
                ), "\(long.standardOutput)")
                #expect(!long.standardOutput.contains("after"))
                #expect(log.all[before...].map(\.status) == [200, 200, 409], "sign-in, then the one throttled GET, not retried")
            }
        }
    }

    @Test func aThrottledWriteIsRetriedOnlyWithRetryWrites() async throws {
        let log = SandboxLog()
        try await withSandbox(log.configuration()) { sandbox in
            try await withTemporaryDirectory { directory in
                let server = sandbox.baseURL.absoluteString
                // An empty form to the token endpoint: 400 once it gets through.
                try write("post /api/token --header \"X-Sandbox-Fault: throttle=1s\"\nexpect status 409\n", to: "write.nexsh", in: directory)
                let untold = try await nexsh(["run", "write.nexsh", "--server", server], in: directory)
                #expect(untold.status == 0, "\(untold.standardOutput)")
                #expect(untold.standardError == "note: POST /api/token was throttled (409); a write is not retried unless told (--retry-writes)\n")
                #expect(log.all.map(\.status) == [409])

                try write("post /api/token --header \"X-Sandbox-Fault: throttle=1s,times=2\"\nexpect status 400\n", to: "told.nexsh", in: directory)
                let told = try await nexsh(["run", "told.nexsh", "--server", server, "--retry-writes"], in: directory)
                #expect(told.status == 0, "\(told.standardOutput)")
                #expect(log.all.map(\.status) == [409, 409, 409, 400], "the untold run's 409, then two and the retry that got through")
                let (answer, asked, retry) = try #require(log.throttledAndRetried.last)
                #expect(try #require(retry).received - answer.answered >= asked)
            }
        }
    }

    @Test func paceSpacesRequestsAsSeenByTheServer() async throws {
        let log = SandboxLog()
        try await withSandbox(log.configuration()) { sandbox in
            try await withTemporaryDirectory { directory in
                try write(Self.login + "get \(Self.profiles)\nget \(Self.profiles)\n", to: "paced.nexsh", in: directory)
                let result = try await nexsh(["run", "paced.nexsh", "--server", sandbox.baseURL.absoluteString, "--pace", "400"], in: directory)
                #expect(result.status == 0, "\(result.standardOutput)")
                let served = log.all
                #expect(served.count == 4)
                // Certain whatever the load: request i starts at least 400 ms after request i-1
                // started, which was after the server answered request i-2 (a script waits for
                // each answer). Unpaced, that span is a few milliseconds.
                for i in served.indices.dropFirst(2) {
                    let span = served[i].received - served[i - 2].answered
                    #expect(span >= .milliseconds(400), "request \(i + 1): \(span)")
                }
            }
        }
    }

    @Test func aRecordedThrottlingAnswerReplaysAsRecordedWithoutRetryOrNote() async throws {
        try await withTemporaryDirectory { directory in
            try write("post /api/token --header \"X-Sandbox-Fault: throttle=5s\"\nexpect status 409\nexpect header Retry-After == 5\n", to: "throttled.nexsh", in: directory)
            let recorded = try await nexsh(["run", "throttled.nexsh", "--cassette", "throttled.har", "--mode", "record"], in: directory)
            #expect(recorded.status == 0, "\(recorded.standardOutput)")
            #expect(recorded.standardError.contains("a write is not retried"))
            // Replay never reaches the retrying layer: no note, no wait (--max-wait 0 would
            // refuse a 5 s Retry-After at once if it did), the same output.
            let replayed = try await nexsh(["run", "throttled.nexsh", "--cassette", "throttled.har", "--max-wait", "0", "--retry-writes"], in: directory)
            #expect(replayed.status == 0, "\(replayed.standardOutput)")
            #expect(replayed.standardError.isEmpty)
            #expect(replayed.standardOutput == recorded.standardOutput)
        }
    }

    @Test func theBuiltInSandboxThrottlesWhenRunIsAskedTo() async throws {
        try await withTemporaryDirectory { directory in
            try write(Self.login + String(repeating: "get \(Self.profiles)\n", count: 2), to: "burst.nexsh", in: directory)
            // Three an hour: the fourth request is asked to wait most of an hour, more than the max wait.
            let result = try await nexsh(["run", "burst.nexsh", "--sandbox-throttle", "3/h"], in: directory)
            #expect(result.status == 1)
            #expect(result.standardOutput.contains("burst.nexsh:3:1: error: GET http://127.0.0.1:"), "\(result.standardOutput)")
            #expect(result.standardOutput.contains("/api/public/coworkers/profiles: the server is throttling requests and asked to wait "))
            let refused = try await nexsh(["run", "burst.nexsh", "--sandbox-throttle", "3/day"], in: directory)
            #expect(refused.status == 3)
            #expect(refused.standardError.contains("bad rate '3/day': expected requests per s, min or h, such as 120/min"))
        }
    }
}

extension TerminalFitTests {
    @Test func aThrottlingWaitShowsOnTheSpinnerLineNotAsANote() async throws {
        try await withTemporaryDirectory { home in
            let terminal = try await shell(home: home, columns: 120)
            defer { terminal.stop() }
            // Asked to wait two seconds: the spinner, after one, says why the request waits.
            terminal.type("get /api/public/coworkers/profiles --header 'X-Sandbox-Fault: throttle=2s'\r")
            try await terminal.waitFor("GET /api/public/coworkers/profiles throttled (409); waiting 2s as the server asked, retry 1 of 3 — 1.")
            // The retry gets through (to a 401: nobody signed in), and the line is cleared.
            _ = try await terminal.waitFor("401")
            try await prompt(terminal)
            #expect(!terminal.visible.contains("note:"))
            terminal.type("\u{04}")
            #expect(try await terminal.waitForExit() == 0)
        }
    }
}

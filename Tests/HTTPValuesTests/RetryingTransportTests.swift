import Foundation
import HTTPValues
import Synchronization
import Testing

/// A transport that gives back prepared answers in order and counts what it was sent: the
/// server side of a retry, without a network.
private final class ScriptedTransport: HTTPTransport {
    private let answers: Mutex<[Result<HTTPResponse, TransportError>]>
    private let sent = Mutex(0)

    init(_ answers: [Result<HTTPResponse, TransportError>]) {
        self.answers = Mutex(answers)
    }

    var attempts: Int { sent.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        sent.withLock { $0 += 1 }
        return try answers.withLock { $0.removeFirst() }.get()
    }
}

/// Waits and notes of one retrying send, kept instead of slept through.
private final class RetryLog: Sendable {
    private let state = Mutex<(waits: [Duration], notes: [String])>(([], []))
    var waits: [Duration] { state.withLock { $0.waits } }
    var notes: [String] { state.withLock { $0.notes } }

    func transport(over base: any HTTPTransport, _ policy: RetryPolicy, random: Double = 1) -> RetryingTransport {
        RetryingTransport(
            base, policy: policy, random: { random },
            sleep: { wait in self.state.withLock { $0.waits.append(wait) } },
            onRetry: { note in self.state.withLock { $0.notes.append(note) } },
            onWriteNotRetried: { note in self.state.withLock { $0.notes.append("not retried: " + note) } }
        )
    }
}

@Suite struct RetryingTransportTests {
    let profiles = try! HTTPRequest(method: .get, url: "https://portal.test/api/profiles?page=2")

    @Test func delaysDoubleFromTheInitialDelayUpToTheMaximum() {
        let policy = RetryPolicy(retries: 8, initialDelay: .milliseconds(250), maximumDelay: .seconds(8))
        let ceilings = (1...8).map { policy.delay(beforeRetry: $0, random: 1) }
        #expect(ceilings == [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8), .seconds(8)])
    }

    @Test func jitterTakesBetweenHalfTheCeilingAndAllOfIt() {
        let policy = RetryPolicy(retries: 3, initialDelay: .seconds(1))
        #expect(policy.delay(beforeRetry: 2, random: 0) == .seconds(1))
        #expect(policy.delay(beforeRetry: 2, random: 0.5) == .milliseconds(1500))
        #expect(policy.delay(beforeRetry: 2, random: 1) == .seconds(2))
        // Far past the doubling's cap, the exponent stays bounded and the maximum holds.
        #expect(policy.delay(beforeRetry: 500, random: 1) == .seconds(8))
    }

    @Test func onlyBusyAnswersAndPassingNetworkFailuresAreTransient() {
        // 429 is throttling (issue 16): waited out by default rather than retried on request.
        #expect([502, 503, 504].allSatisfy(RetryPolicy.isTransient(status:)))
        #expect(![200, 400, 401, 404, 409, 429, 500, 501].contains(where: RetryPolicy.isTransient(status:)))
        let passing: [TransportError] = [
            .connectionRefused(origin: "o"), .connectTimeout(origin: "o", limit: .seconds(1)),
            .readTimeout(request: "r", limit: .seconds(1)), .deadlineExceeded(request: "r", limit: .seconds(1)),
            .connectionClosed(request: "r"),
        ]
        let lasting: [TransportError] = [
            .unknownHost(origin: "o"), .tls(origin: "o", detail: "d"), .responseTooLarge(request: "r", limit: 1),
            .notHTTP(origin: "o", detail: nil), .invalidURL("u"), .other(request: "r", detail: "d"),
            .throttled(request: "r", asked: .seconds(60), limit: .seconds(30)),
        ]
        #expect(passing.allSatisfy(RetryPolicy.isTransient))
        #expect(!lasting.contains(where: RetryPolicy.isTransient))
    }

    @Test func onlyRequestsSafeToRepeatAreRetried() {
        #expect([HTTPMethod.get, .head, .put, .options].allSatisfy(RetryPolicy.isIdempotent))
        #expect(![HTTPMethod.post, .patch, .delete].contains(where: RetryPolicy.isIdempotent))
    }

    @Test func busyAnswersAreAskedAgainUntilOneIsUsable() async throws {
        let base = ScriptedTransport([.success(HTTPResponse(status: 503)), .success(HTTPResponse(status: 502)), .success(HTTPResponse(status: 200))])
        let log = RetryLog()
        let response = try await log.transport(over: base, RetryPolicy(retries: 3), random: 1).send(profiles)
        #expect(response.status == 200)
        #expect(base.attempts == 3)
        #expect(log.waits == [.milliseconds(250), .milliseconds(500)])
        #expect(log.notes == [
            "GET /api/profiles?page=2 answered 503; retry 1 of 3 in 250ms",
            "GET /api/profiles?page=2 answered 502; retry 2 of 3 in 500ms",
        ])
    }

    @Test func theLastBusyAnswerIsReturnedWhenTheRetriesRunOut() async throws {
        // A 503 since issue 16: a 429 is throttling, counted apart (see the throttling tests).
        let base = ScriptedTransport(Array(repeating: .success(HTTPResponse(status: 503)), count: 3))
        let log = RetryLog()
        let response = try await log.transport(over: base, RetryPolicy(retries: 2)).send(profiles)
        #expect(response.status == 503)
        #expect(base.attempts == 3)
        #expect(log.waits.count == 2)
    }

    @Test func theServersRetryAfterIsHonouredUpToTheMaximumDelay() async throws {
        let base = ScriptedTransport([
            .success(HTTPResponse(status: 503, headers: [("Retry-After", " 3 ")])),
            .success(HTTPResponse(status: 503, headers: [("Retry-After", "600")])),
            .success(HTTPResponse(status: 503, headers: [("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")])),
            .success(HTTPResponse(status: 204)),
        ])
        let log = RetryLog()
        _ = try await log.transport(over: base, RetryPolicy(retries: 3, maximumDelay: .seconds(8)), random: 0).send(profiles)
        // The date form is ignored: the computed schedule (third retry, no jitter) applies.
        #expect(log.waits == [.seconds(3), .seconds(8), .milliseconds(500)])
    }

    @Test func passingNetworkFailuresAreRetriedAndLastingOnesThrownAtOnce() async throws {
        let refused = TransportError.connectionRefused(origin: "https://portal.test")
        let recovering = ScriptedTransport([.failure(refused), .success(HTTPResponse(status: 200))])
        let log = RetryLog()
        #expect(try await log.transport(over: recovering, RetryPolicy(retries: 1)).send(profiles).status == 200)
        #expect(log.notes == ["cannot reach https://portal.test: connection refused; retry 1 of 1 in 250ms"])

        let unknown = ScriptedTransport([.failure(.unknownHost(origin: "https://portal.test")), .success(HTTPResponse(status: 200))])
        await #expect(throws: TransportError.unknownHost(origin: "https://portal.test")) {
            try await RetryLog().transport(over: unknown, RetryPolicy(retries: 3)).send(profiles)
        }
        #expect(unknown.attempts == 1)

        let stillRefused = ScriptedTransport([.failure(refused), .failure(refused)])
        await #expect(throws: refused) { try await RetryLog().transport(over: stillRefused, RetryPolicy(retries: 1)).send(profiles) }
        #expect(stillRefused.attempts == 2)
    }

    @Test func postsAndAZeroPolicyAreSentOnce() async throws {
        var post = profiles
        post.method = .post
        for (request, retries) in [(post, 3), (profiles, 0)] {
            let base = ScriptedTransport([.success(HTTPResponse(status: 503)), .success(HTTPResponse(status: 200))])
            let log = RetryLog()
            #expect(try await log.transport(over: base, RetryPolicy(retries: retries)).send(request).status == 503)
            #expect(base.attempts == 1)
            #expect(log.waits.isEmpty)
        }
    }

    // MARK: Throttling (issue 16)

    static func throttled(_ status: Int = 409, retryAfter: String?) -> Result<HTTPResponse, TransportError> {
        .success(HTTPResponse(status: status, headers: retryAfter.map { [("Retry-After", $0)] } ?? [], body: Data(#"{"Message":"You must wait before accessing this url again."}"#.utf8)))
    }

    @Test func aConflictIsThrottlingOnlyWithRetryAfterAndA429Always() {
        #expect(RetryPolicy.isThrottling(HTTPResponse(status: 409, headers: [("Retry-After", "2")])))
        #expect(!RetryPolicy.isThrottling(HTTPResponse(status: 409)))
        #expect(RetryPolicy.isThrottling(HTTPResponse(status: 429)))
        #expect(RetryPolicy.isThrottling(HTTPResponse(status: 429, headers: [("Retry-After", "1")])))
        #expect(!RetryPolicy.isThrottling(HTTPResponse(status: 503, headers: [("Retry-After", "1")])))
    }

    @Test func aThrottledReadIsRetriedAfterTheAskedWaitWithoutBeingAskedTo() async throws {
        let base = ScriptedTransport([Self.throttled(retryAfter: "2"), Self.throttled(retryAfter: "5"), .success(HTTPResponse(status: 200))])
        let log = RetryLog()
        // No --retries: throttling is waited out all the same.
        let response = try await log.transport(over: base, RetryPolicy(retries: 0)).send(profiles)
        #expect(response.status == 200)
        #expect(base.attempts == 3)
        #expect(log.waits == [.seconds(2), .seconds(5)])
        #expect(log.notes == [
            "GET /api/profiles?page=2 throttled (409); waiting 2s as the server asked, retry 1 of 3",
            "GET /api/profiles?page=2 throttled (409); waiting 5s as the server asked, retry 2 of 3",
        ])
    }

    @Test func aConflictWithoutRetryAfterIsAnOrdinaryAnswer() async throws {
        let base = ScriptedTransport([Self.throttled(retryAfter: nil), .success(HTTPResponse(status: 200))])
        let log = RetryLog()
        let response = try await log.transport(over: base, RetryPolicy(retries: 3)).send(profiles)
        #expect(response.status == 409)
        #expect(base.attempts == 1)
        #expect(log.waits.isEmpty && log.notes.isEmpty)
    }

    @Test func a429WaitsAsToldOrByTheBackoffWithoutRetryAfter() async throws {
        let base = ScriptedTransport([
            Self.throttled(429, retryAfter: "1"), Self.throttled(429, retryAfter: nil), Self.throttled(429, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT"),
            .success(HTTPResponse(status: 204)),
        ])
        let log = RetryLog()
        let response = try await log.transport(over: base, RetryPolicy(retries: 0), random: 1).send(profiles)
        #expect(response.status == 204)
        // Told 1 s; then the backoff of the second and third throttled retries (the date form is ignored).
        #expect(log.waits == [.seconds(1), .milliseconds(500), .seconds(1)])
        #expect(log.notes[1] == "GET /api/profiles?page=2 throttled (429); waiting 500ms, retry 2 of 3")
    }

    @Test func throttledRetriesAreBoundedAndTheLastAnswerReturned() async throws {
        let base = ScriptedTransport(Array(repeating: Self.throttled(retryAfter: "1"), count: 4))
        let log = RetryLog()
        let response = try await log.transport(over: base, RetryPolicy(retries: 0)).send(profiles)
        #expect(response.status == 409)
        #expect(base.attempts == RetryPolicy.standardThrottledRetries + 1)
        #expect(log.waits == Array(repeating: .seconds(1), count: RetryPolicy.standardThrottledRetries))
        // More retries asked for are more throttled retries too.
        #expect(RetryPolicy(retries: 7).throttledRetries == 7)
    }

    @Test func aRetryAfterOverTheMaximumWaitIsNotWaitedForAndSaysHowLong() async throws {
        let base = ScriptedTransport([Self.throttled(retryAfter: "120"), .success(HTTPResponse(status: 200))])
        let log = RetryLog()
        let error = TransportError.throttled(request: "GET https://portal.test/api/profiles?page=2", asked: .seconds(120), limit: .seconds(30))
        await #expect(throws: error) {
            try await log.transport(over: base, RetryPolicy(retries: 3, maximumWait: .seconds(30))).send(profiles)
        }
        #expect(base.attempts == 1)
        #expect(log.waits.isEmpty)
        #expect(error.description == "GET https://portal.test/api/profiles?page=2: the server is throttling requests and asked to wait 120s, longer than the 30s max wait; try again later, or allow a longer wait with --max-wait")
        // At the limit, it is waited for.
        let patient = ScriptedTransport([Self.throttled(retryAfter: "30"), .success(HTTPResponse(status: 200))])
        #expect(try await log.transport(over: patient, RetryPolicy(retries: 0, maximumWait: .seconds(30))).send(profiles).status == 200)
        #expect(log.waits == [.seconds(30)])
    }

    @Test func aThrottledWriteIsRetriedOnlyWhenToldAndAFailedOneNever() async throws {
        var post = profiles
        post.method = .post
        let untold = ScriptedTransport([Self.throttled(retryAfter: "2"), .success(HTTPResponse(status: 200))])
        let log = RetryLog()
        #expect(try await log.transport(over: untold, RetryPolicy(retries: 3)).send(post).status == 409)
        #expect(untold.attempts == 1)
        #expect(log.waits.isEmpty)
        #expect(log.notes == ["not retried: POST /api/profiles?page=2 was throttled (409); a write is not retried unless told (--retry-writes)"])

        let told = ScriptedTransport([Self.throttled(retryAfter: "2"), .success(HTTPResponse(status: 201))])
        let toldLog = RetryLog()
        #expect(try await toldLog.transport(over: told, RetryPolicy(retries: 0, retriesWrites: true)).send(post).status == 201)
        #expect(toldLog.waits == [.seconds(2)])

        // A 503 may have let the write through: --retry-writes does not make it retried.
        let failed = ScriptedTransport([.success(HTTPResponse(status: 503)), .success(HTTPResponse(status: 201))])
        #expect(try await RetryLog().transport(over: failed, RetryPolicy(retries: 3, retriesWrites: true)).send(post).status == 503)
        #expect(failed.attempts == 1)
    }
}

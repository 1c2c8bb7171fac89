import Foundation
import HTTPCassette
import HTTPValues
import NexshTesting
import Synchronization
import Testing

/// A recorded throttling answer is an answer like any other: replay gives it back as recorded,
/// at once. The retrying layer sits below the cassette, and its waits are observed here.
@Suite struct ThrottledReplayTests {
    /// The waits a retrying transport would have slept through.
    final class Waits: Sendable {
        private let waits = Mutex<[Duration]>([])
        var all: [Duration] { waits.withLock { $0 } }

        func retrying(_ base: any HTTPTransport, _ policy: RetryPolicy) -> RetryingTransport {
            RetryingTransport(base, policy: policy, sleep: { wait in self.waits.withLock { $0.append(wait) } })
        }
    }

    @Test func aRecorded409ReplaysAsRecordedWithNoWait() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("throttled.har")
            try await withSandboxClient { sandbox in
                let request = try HTTPRequest(
                    method: .get, url: sandbox.baseURL.appendingPathComponent("api/public/coworkers/profiles").absoluteString,
                    headers: [("X-Sandbox-Fault", "throttle=2s")]
                )
                // Recorded with throttled retries off, so that the 409 itself is what is kept.
                let recording = CassetteSlot(network: Waits().retrying(sandbox.transport, RetryPolicy(retries: 0, throttledRetries: 0)))
                try recording.insert(file: file, mode: .record)
                #expect(try await recording.send(request).status == 409)
                _ = try recording.eject()

                let waits = Waits()
                let replay = CassetteSlot(network: waits.retrying(sandbox.transport, RetryPolicy(retries: 3)))
                try replay.insert(file: file, mode: .replay)
                let sent = sandbox.transport.requests.count
                let replayed = try await replay.send(request)
                #expect(replayed.status == 409)
                #expect(replayed.headers["Retry-After"] == "2")
                #expect(waits.all.isEmpty, "no Retry-After wait in replay")
                #expect(sandbox.transport.requests.count == sent, "nor any request to retry")
                _ = try replay.eject()
            }
        }
    }
}

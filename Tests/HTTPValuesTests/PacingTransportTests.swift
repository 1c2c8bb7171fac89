import Foundation
import HTTPValues
import Synchronization
import Testing

/// A clock that moves only when the transport sleeps, and the moments requests reached the base.
private final class PacingLog: HTTPTransport {
    private let state = Mutex<(now: ContinuousClock.Instant, sent: [ContinuousClock.Instant], waits: [Duration])>((ContinuousClock.now, [], []))
    var sent: [ContinuousClock.Instant] { state.withLock { $0.sent } }
    var waits: [Duration] { state.withLock { $0.waits } }
    var now: ContinuousClock.Instant { state.withLock { $0.now } }

    func advance(_ duration: Duration) { state.withLock { $0.now += duration } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        state.withLock { $0.sent.append($0.now) }
        return HTTPResponse(status: 200)
    }

    func transport(_ interval: Duration) -> PacingTransport {
        PacingTransport(self, interval: interval, now: { self.now }, sleep: { wait in
            self.state.withLock { state in
                state.waits.append(wait)
                state.now += wait
            }
        })
    }
}

@Suite struct PacingTransportTests {
    let request = try! HTTPRequest(method: .get, url: "https://portal.test/api/profiles")

    @Test func requestsStartAtLeastTheIntervalApartAndALateOneDoesNotWait() async throws {
        let log = PacingLog()
        let paced = log.transport(.milliseconds(250))
        _ = try await paced.send(request)
        _ = try await paced.send(request)
        log.advance(.milliseconds(100))
        _ = try await paced.send(request)
        log.advance(.seconds(1))
        _ = try await paced.send(request)
        let gaps = zip(log.sent.dropFirst(), log.sent).map { $0 - $1 }
        #expect(gaps == [.milliseconds(250), .milliseconds(250), .seconds(1)])
        // The first request and the one after a long pause do not wait at all.
        #expect(log.waits == [.milliseconds(250), .milliseconds(150)])
    }
}

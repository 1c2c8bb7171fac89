import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Sandbox
import Synchronization
import Testing

/// The sandbox throttles as Nexudus documents it: 409, "You must wait before accessing this url
/// again.", and `Retry-After`; by rate (`--throttle`) or for one request (`throttle=2s`).
extension SandboxRouterTests {
    static let profilesPath = "/api/public/coworkers/profiles"
    static var faultHeader: HTTPField.Name { HTTPField.Name("X-Sandbox-Fault")! }

    @Test func theThrottleFaultAnswersOne409WithRetryAfterThenLetsTheRetryThrough() async throws {
        try await withRouter { client, _ in
            let (access, _) = try await signIn(client)
            var headers = bearer(access)
            headers[Self.faultHeader] = "throttle=2s"
            let throttled = try await client.execute(uri: Self.profilesPath, method: .get, headers: headers)
            #expect(throttled.status.code == 409)
            #expect(throttled.headers[.retryAfter] == "2")
            #expect(String(buffer: throttled.body) == #"{"Message":"You must wait before accessing this url again."}"#)
            let retried = try await client.execute(uri: Self.profilesPath, method: .get, headers: headers)
            #expect(retried.status == .ok)

            // A wait in part of a second is rounded up: a client waiting as told is never early.
            headers[Self.faultHeader] = "throttle=1500ms,times=2"
            for _ in 0..<2 {
                #expect(try await client.execute(uri: Self.profilesPath, method: .get, headers: headers).headers[.retryAfter] == "2")
            }
            #expect(try await client.execute(uri: Self.profilesPath, method: .get, headers: headers).status == .ok)
        }
    }

    @Test func beyondTheRateTheSandboxAnswers409UntilTheWindowFrees() async throws {
        let records = Mutex<[SandboxRequestRecord]>([])
        let configuration = SandboxServer.Configuration(
            throttle: SandboxRate(requests: 2, window: .seconds(3600)), requestLog: { record in records.withLock { $0.append(record) } }
        )
        try await withRouter(configuration) { client, _ in
            for _ in 0..<2 { #expect(try await client.execute(uri: "/api/token", method: .post).status.code == 400) }
            let refused = try await client.execute(uri: "/api/token", method: .post)
            #expect(refused.status.code == 409)
            // The window is an hour and began a moment ago: the wait is nearly all of it.
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            #expect((3000...3600).contains(retryAfter))
        }
        // The log records what was answered, and when, for tests that measure waits.
        let log = records.withLock { $0 }
        #expect(log.map(\.status) == [400, 400, 409])
        guard case .answered(409, let retryAfter?) = log[2].outcome else { Issue.record("no Retry-After logged: \(log[2])"); return }
        #expect(Int(retryAfter).map { (3000...3600).contains($0) } == true)
        #expect(log[2].description.hasPrefix("POST /api/token → 409, Retry-After: "))
        #expect(log[0].description.hasPrefix("POST /api/token → 400 ("))
        #expect(log[0].received <= log[0].answered && log[0].answered <= log[1].received)
    }

    @Test func ratesAndTheThrottleFaultParse() throws {
        #expect(try SandboxRate(parsing: "120/min") == SandboxRate(requests: 120, window: .seconds(60)))
        #expect(try SandboxRate(parsing: " 2 / s").description == "2/s")
        #expect(try SandboxRate(parsing: "1000/h").description == "1000/h")
        for bad in ["", "120", "0/min", "-1/s", "x/min", "120/day", "1/", "/min", "99999999999999999999/s"] {
            #expect(throws: SandboxFault.ParseError.self, "\(bad)") { try SandboxRate(parsing: bad) }
        }
        #expect(try SandboxFault(parsing: "throttle=2s") == SandboxFault(throttle: .seconds(2)))
        #expect(try SandboxFault(parsing: "throttle=2s").headerLimit == 1)
        #expect(try SandboxFault(parsing: "throttle=2s,times=3").description == "throttle=2000ms,times=3")
        #expect(throws: SandboxFault.ParseError.self) { try SandboxFault(parsing: "throttle=forever") }
    }
}

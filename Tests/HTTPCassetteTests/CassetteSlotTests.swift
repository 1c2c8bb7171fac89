import Foundation
import HTTPCassette
import HTTPValues
import JSONValues
import NexshTesting
import NexudusAPI
import Synchronization
import Testing
import Transport

/// What is in a session's slot (nothing, or a cassette in each mode): where each request goes,
/// what observers are told, and whether the network is needed. Against the sandbox on loopback.
@Suite struct CassetteSlotTests {
    let jane = SandboxAccounts.jane

    /// Keeps what the slot reported, one line per exchange: `replayed #1 POST /api/token`.
    final class Events: CassetteObserver {
        private let lines = Mutex<[String]>([])
        private let drifts = Mutex<[DriftReport]>([])

        func observe(_ event: CassetteEvent) {
            let what = switch event.kind {
            case .replayed(let entry): "replayed #\(entry)"
            case .recorded: "recorded"
            case .passedThrough: "passed through"
            case .verified(let drift): "verified #\(drift.entryNumber.map(String.init) ?? "-") \(drift.verdict.rawValue)"
            }
            lines.withLock { $0.append("\(what) \(event.request.method) \(event.request.url.path)") }
            if let drift = event.drift { drifts.withLock { $0.append(drift) } }
        }

        var all: [String] { lines.withLock { $0 } }
        var driftReports: [DriftReport] { drifts.withLock { $0 } }
    }

    /// A slot on the sandbox's network, a client that sends through it, and what it reported.
    func withSlot<Result: Sendable>(
        _ body: @Sendable (CassetteSlot, NexudusClient, ObservingTransport, Events) async throws -> Result
    ) async throws -> Result {
        try await withSandboxClient { sandbox in
            let events = Events()
            let slot = CassetteSlot(network: sandbox.transport, observers: [events])
            return try await body(slot, NexudusClient(baseURL: sandbox.baseURL, transport: slot), sandbox.transport, events)
        }
    }

    func signIn(_ client: NexudusClient) async throws {
        try await client.login(email: jane.email, password: jane.password)
        _ = try await client.profiles()
    }

    @Test func anEmptySlotPassesEveryRequestToTheNetwork() async throws {
        try await withSlot { slot, client, network, events in
            #expect(slot.cassette == nil && slot.mode == nil)
            #expect(slot.needsNetwork && !slot.isReplaying)
            try await signIn(client)
            #expect(network.requestLines == ["POST /api/token", "GET /api/public/coworkers/profiles"])
            #expect(events.all == ["passed through POST /api/token", "passed through GET /api/public/coworkers/profiles"])
            #expect(try slot.eject() == nil, "nothing to eject")
        }
    }

    @Test func recordThenReplayReportsEachExchangeAndReplayNeedsNoNetwork() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("slot.har")
            try await withSlot { slot, client, network, events in
                try slot.insert(file: file, mode: .record)
                #expect(slot.mode == .record && slot.needsNetwork && !slot.isReplaying)
                try await signIn(client)
                #expect(events.all == ["recorded POST /api/token", "recorded GET /api/public/coworkers/profiles"])
                #expect(try slot.eject()?.recorded == 2)
                #expect(slot.cassette == nil && slot.needsNetwork, "ejected: the network answers again")

                let sent = network.requests.count
                let replay = try slot.insert(file: file, mode: .replay)
                #expect(replay.entryCount == 2)
                #expect(slot.mode == .replay && slot.isReplaying && !slot.needsNetwork)
                try await signIn(client)
                #expect(network.requests.count == sent, "a replay never reaches the network")
                #expect(events.all.suffix(2) == ["replayed #1 POST /api/token", "replayed #2 GET /api/public/coworkers/profiles"])
                #expect(try slot.eject()?.replayed == 2)
                #expect(!slot.isReplaying)
            }
        }
    }

    @Test func onceRecordsAMissingFileAndReplaysOneThatIsThere() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("once.har")
            #expect(RecordMode.once.resolved(forCassetteAt: file) == .record)
            #expect(RecordMode.new.resolved(forCassetteAt: file) == .new, "only once depends on the file")
            try await withSlot { slot, client, network, events in
                let first = try slot.insert(file: file, mode: .once)
                #expect(first.requestedMode == .once && first.mode == .record)
                #expect(slot.needsNetwork && !slot.isReplaying)
                try await signIn(client)
                try slot.eject()
                #expect(RecordMode.once.resolved(forCassetteAt: file) == .replay)

                let sent = network.requests.count
                let second = try slot.insert(file: file, mode: .once)
                #expect(second.requestedMode == .once && second.mode == .replay)
                #expect(slot.isReplaying && !slot.needsNetwork)
                try await signIn(client)
                #expect(network.requests.count == sent)
                #expect(events.all == [
                    "recorded POST /api/token", "recorded GET /api/public/coworkers/profiles",
                    "replayed #1 POST /api/token", "replayed #2 GET /api/public/coworkers/profiles",
                ])
            }
        }
    }

    @Test func newReplaysWhatItHasAndRecordsTheRest() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("new.har")
            try await withSlot { slot, client, network, events in
                try slot.insert(file: file, mode: .record)
                try await client.login(email: jane.email, password: jane.password)
                try slot.eject()
                try slot.insert(file: file, mode: .new)
                #expect(slot.needsNetwork && !slot.isReplaying)
                try await client.login(email: jane.email, password: jane.password)
                // The replayed token is a placeholder, which the sandbox refuses: the request the
                // cassette lacks goes out with a token signed in for live.
                let live = NexudusClient(baseURL: client.baseURL, transport: network)
                try await live.login(email: jane.email, password: jane.password)
                _ = try await NexudusClient(baseURL: client.baseURL, transport: slot, session: live.session).benefits()
                #expect(events.all == [
                    "recorded POST /api/token", "replayed #1 POST /api/token", "recorded GET /api/public/coworkers/profiles/current/benefits",
                ])
                #expect(try slot.eject()?.recorded == 1)
            }
        }
    }

    @Test func passthroughNeitherReadsNorWritesTheFile() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("untouched.har")
            try await withSlot { slot, client, network, events in
                try slot.insert(file: file, mode: .passthrough)
                #expect(slot.needsNetwork && !slot.isReplaying)
                try await signIn(client)
                #expect(network.requests.count == 2)
                #expect(events.all == ["passed through POST /api/token", "passed through GET /api/public/coworkers/profiles"])
                try slot.eject()
            }
            #expect(!FileManager.default.fileExists(atPath: file.path))
        }
    }

    @Test func verifySendsEveryRequestAndReportsItsDrift() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("verify.har")
            try await withSlot { slot, client, network, events in
                try slot.insert(file: file, mode: .record)
                try await signIn(client)
                try slot.eject()
                // The recorded profiles answer now lacks members the live one has: schema drift.
                var cassette = try Cassette.load(from: file)
                cassette.entries[1].response.content.text = #"{"Profiles":[]}"#
                try cassette.write(to: file)

                let sent = network.requests.count
                try slot.insert(file: file, mode: .verify)
                #expect(slot.mode == .verify && slot.needsNetwork && !slot.isReplaying)
                try await signIn(client)
                _ = try await client.benefits()
                #expect(network.requests.count == sent + 3, "every request of a drift check goes out")
                let checked = events.driftReports
                #expect(checked.map(\.entryNumber) == [1, 2, nil])
                #expect(checked.map(\.request) == [
                    "POST /api/token", "GET /api/public/coworkers/profiles", "GET /api/public/coworkers/profiles/current/benefits",
                ])
                #expect(checked[1].verdict == .schemaDrift, "\(checked[1].summary())")
                #expect(checked[2].verdict == .notRecorded)
                #expect(events.all.suffix(3).allSatisfy { $0.hasPrefix("verified #") })
                #expect(try #require(try slot.eject()).replayed == 2, "two recorded answers were compared")
            }
        }
    }

    @Test func theExchangeLogObservesRedactedExchangesWithTheirDrift() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("log.har")
            try await withSlot { slot, client, _, _ in
                let log = ExchangeLog(redaction: RedactionRules.standard.adding(RedactionRules(jsonPaths: [try JSONPath("User.AccessToken")])))
                slot.addObserver(log)
                try slot.insert(file: file, mode: .record)
                try await signIn(client)
                try slot.eject()
                try slot.insert(file: file, mode: .verify)
                try await signIn(client)
                try slot.eject()
                #expect(log.count == 4)
                #expect(log.items.map { $0.drift?.entryNumber } == [nil, nil, 1, 2])
                let token = try #require(client.session?.accessToken)
                for item in log.items {
                    #expect(!(item.entry.response.content.text ?? "").contains(token), "the log holds what a cassette would")
                }
            }
        }
    }
}

import HTTPValues
import Synchronization

/// The exchanges of a session, redacted as a cassette would hold them, each with how it
/// compared with the recording in a drift check: for bundles, reports and drift checks.
public final class ExchangeLog: CassetteObserver {
    public struct Item: Sendable {
        public let entry: HAR.Entry
        public let drift: DriftReport?
        /// The cassette entry (from 1) that answered a replayed request: what a bundle being
        /// shrunk learns each line to need.
        public var replayedEntry: Int? = nil
    }

    private struct State {
        var items: [Item] = []
        var redactor: Redactor
    }

    private let state: Mutex<State>
    /// The session's token and password, searched for in every exchange besides the rules.
    private let knownSecrets = Mutex<@Sendable () -> [KnownSecret]>({ [] })

    private let maximumBodySize: Int

    public init(redaction: RedactionRules, maximumBodySize: Int = HTTPResponse.standardMaximumBodySize) {
        state = Mutex(State(redactor: Redactor(rules: redaction)))
        self.maximumBodySize = maximumBodySize
    }

    public func searchForSecrets(_ secrets: @escaping @Sendable () -> [KnownSecret]) {
        knownSecrets.withLock { $0 = secrets }
    }

    public func observe(_ event: CassetteEvent) {
        let secrets = knownSecrets.withLock { $0 }()
        state.withLock { state in
            for secret in secrets { state.redactor.learn(secret) }
            let entry = HAR.Entry(request: event.request, response: event.response, maximumBodySize: maximumBodySize)
            var item = Item(entry: state.redactor.redact(entry), drift: event.drift)
            if case .replayed(let number) = event.kind { item.replayedEntry = number }
            state.items.append(item)
        }
    }

    public var count: Int { state.withLock { $0.items.count } }
    public var items: [Item] { state.withLock { $0.items } }
}

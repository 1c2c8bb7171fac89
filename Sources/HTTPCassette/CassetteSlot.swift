import Foundation
import HTTPValues
import Synchronization

/// One exchange that went through a ``CassetteSlot``, and what was done with it.
public struct CassetteEvent: Sendable {
    public enum Kind: Sendable {
        /// Answered from the cassette, by entry `entry` (1-based); the network was not used.
        case replayed(entry: Int)
        /// Sent to the network, and the answer written to the cassette.
        case recorded
        /// Sent to the network, and nothing read or written: no cassette, or mode `passthrough`.
        case passedThrough
        /// Sent to the network, and the answer compared with the recorded one (mode `verify`).
        case verified(DriftReport)
    }

    public let request: HTTPRequest
    public let response: HTTPResponse
    public let kind: Kind

    /// How the answer compared with the recording, in a drift check.
    public var drift: DriftReport? {
        if case .verified(let drift) = kind { drift } else { nil }
    }
}

/// Told of every exchange a ``CassetteSlot`` completes, whichever way it went (in the spirit of
/// go-vcr's recorder hooks). Called on the requesting task, after the answer is known.
public protocol CassetteObserver: Sendable {
    func observe(_ event: CassetteEvent)
}

/// What is in the slot a session's client sends through: nothing (the network answers) or a
/// cassette in one of its modes. The one owner of that state: it routes each request as the
/// mode says, tells observers what happened, and says whether the network is needed, so that
/// no one else keeps a copy of "are we replaying".
///
/// A lock, not an actor, guards it, as in ``CassetteTransport``: a replayed answer is found
/// without a hop to another executor.
public final class CassetteSlot: HTTPTransport {
    /// Where a request goes when no cassette answers it.
    public let network: any HTTPTransport
    private let inserted = Mutex<CassetteTransport?>(nil)
    private let observers: Mutex<[any CassetteObserver]>

    public init(network: any HTTPTransport, observers: [any CassetteObserver] = []) {
        self.network = network
        self.observers = Mutex(observers)
    }

    public func addObserver(_ observer: any CassetteObserver) {
        observers.withLock { $0.append(observer) }
    }

    /// The cassette in the slot, if any.
    public var cassette: CassetteTransport? { inserted.withLock { $0 } }

    /// The mode in effect (`once` already resolved); nil when the network answers.
    public var mode: RecordMode? { cassette?.mode }

    /// Every answer comes from the cassette: nothing waits on a server (`sleep` does not
    /// wait, a login needs no password).
    public var isReplaying: Bool { mode == .replay }

    /// Whether a request sent now may reach the network.
    public var needsNetwork: Bool { mode?.needsNetwork ?? true }

    /// Puts a cassette in the slot, in place of any that was there (eject that one first to
    /// have its summary). Fails before anything is sent if the file cannot be used that way.
    @discardableResult
    public func insert(file: URL, mode: RecordMode, options: CassetteOptions = .init()) throws(CassetteError) -> CassetteTransport {
        let cassette = try CassetteTransport(file: file, mode: mode, upstream: network, options: options)
        inserted.withLock { $0 = cassette }
        return cassette
    }

    /// Empties the slot: the network answers from now on. Returns what the cassette did, or
    /// nil when the slot was empty; the slot is empty even when finishing the cassette throws.
    @discardableResult
    public func eject() throws -> CassetteSummary? {
        guard let cassette = inserted.withLock({ slot -> CassetteTransport? in
            defer { slot = nil }
            return slot
        }) else { return nil }
        return try cassette.finish()
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let event: CassetteEvent
        if let cassette {
            event = try await cassette.exchange(request)
        } else {
            event = CassetteEvent(request: request, response: try await network.send(request), kind: .passedThrough)
        }
        for observer in observers.withLock({ $0 }) { observer.observe(event) }
        return event.response
    }
}

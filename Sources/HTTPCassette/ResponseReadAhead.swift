import Foundation
import Synchronization

/// A replay's recorded responses decoded ahead of the requests, on a thread of their own, in
/// the order they were recorded: a script mostly asks for them in that order, and on two cores
/// decoding the next ones costs the requests nothing. The replay takes a response from here when
/// it was decoded, and decodes it itself when it was not (asked out of order, or before the
/// thread got to it); what could not be decoded is only an error when it is served.
///
/// At most ``window`` responses past the last one asked for are decoded, none taking more than
/// ``largestResponse`` of the file, and kept in as many slots: what is held is bounded (256 of
/// 64 KiB) whatever the cassette. The thread starts with the first request (a replay of one request
/// never has it) and ends with ``stop()``.
final class ResponseReadAhead: Sendable {
    static let window = 256
    static let largestResponse = 64 << 10

    private struct State {
        /// Slot `i % window` holds entry `i`'s decoded response, until taken or overwritten.
        var slots: [(entry: Int, response: Result<HAR.Response, CassetteError>)?] = Array(repeating: nil, count: ResponseReadAhead.window)
        /// The next entry the thread decodes.
        var next = 0
        /// One past the furthest entry asked for.
        var wanted = 0
        var started = false
        var waiting = false
        var stopped = false
    }

    private let index: CassetteIndex
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    init(index: CassetteIndex) {
        self.index = index
    }

    /// Entry `entry`'s response when it was decoded ahead; nil when the caller must decode it.
    func take(_ entry: Int) -> Result<HAR.Response, CassetteError>? {
        let (response, start, signal) = state.withLock { state -> (Result<HAR.Response, CassetteError>?, Bool, Bool) in
            guard !state.stopped else { return (nil, false, false) }
            var response: Result<HAR.Response, CassetteError>?
            let slot = entry % Self.window
            if let held = state.slots[slot], held.entry == entry {
                response = held.response
                state.slots[slot] = nil
            }
            state.wanted = max(state.wanted, entry + 1)
            // A request further on than the thread has got: what lies between was passed over.
            state.next = max(state.next, entry + 1)
            if !state.started {
                state.started = true
                return (response, true, false)
            }
            // Woken when half the window is used, not at every request.
            let signal = state.waiting && state.next - state.wanted < Self.window / 2
            if signal { state.waiting = false }
            return (response, false, signal)
        }
        if start { Thread.detachNewThread { [self] in run() } }
        if signal { wake.signal() }
        return response
    }

    /// Ends the thread; responses decoded and not taken are dropped.
    func stop() {
        let signal = state.withLock { state in
            state.stopped = true
            state.slots = []
            defer { state.waiting = false }
            return state.waiting
        }
        if signal { wake.signal() }
    }

    private func run() {
        while true {
            let entry: Int? = state.withLock { state in
                if state.stopped || state.next >= index.count { return nil }
                if state.next >= state.wanted + Self.window {
                    state.waiting = true
                    return -1
                }
                defer { state.next += 1 }
                return state.next
            }
            guard let entry else { return }
            if entry < 0 {
                wake.wait()
                continue
            }
            // A large one is left to the request: the slots' memory stays bounded.
            guard index.responseSize(at: entry) <= Self.largestResponse else { continue }
            let response = Result { () throws(CassetteError) in try index.response(at: entry) }
            state.withLock { state in
                guard !state.stopped else { return }
                state.slots[entry % Self.window] = (entry, response)
            }
        }
    }
}

import Foundation

/// How a cassette and the network share the work.
public enum RecordMode: String, Sendable, CaseIterable, Equatable {
    /// Every answer comes from the cassette; the network is never touched. A request with no
    /// recorded answer fails with a ``ReplayMiss``. The cassette must exist.
    case replay
    /// Every request goes to the network and the cassette is written anew: the first recorded
    /// exchange replaces whatever file was there.
    case record
    /// Record when the cassette does not exist yet, replay when it does.
    case once
    /// Replay what the cassette answers; send the rest to the network and append it.
    case new
    /// Neither read nor write the cassette: a plain live session.
    case passthrough
    /// Every request goes to the network, and each answer is compared with the recorded one
    /// (``DriftReport``); the cassette is not written. For `nexsh run`.
    case verify

    /// The mode a cassette at `file` is used in: `once` replays a file that is there and
    /// records one that is not; every other mode is itself. The one place `once` is decided,
    /// so that a run that starts no server and the slot that then replays agree.
    public func resolved(forCassetteAt file: URL) -> RecordMode {
        guard self == .once else { return self }
        return FileManager.default.fileExists(atPath: file.path) ? .replay : .record
    }

    /// Whether a request in this mode may reach the network: only a replay never does (an
    /// unresolved `once` might).
    public var needsNetwork: Bool { self != .replay }
}

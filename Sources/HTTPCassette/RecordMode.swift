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
}

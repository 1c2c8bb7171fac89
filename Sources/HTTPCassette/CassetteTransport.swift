import Diagnostics
import Foundation
import HTTPValues
import SecureFiles
import Synchronization

/// Settings of a cassette session beyond its file and mode.
public struct CassetteOptions: Sendable {
    public var matchRules: MatchRules
    public var redaction: RedactionRules
    /// When every recorded answer to a request was used, play the last one again.
    public var allowRepeats: Bool
    /// What a replay miss tells the person to do, in the words of where they are.
    public var replayAdvice: ReplayAdvice
    /// Make entries no request asked for a failure of ``CassetteTransport/finish()``.
    public var strictUnused: Bool
    /// Values that must never be written (the session's token, the password), checked on
    /// every write.
    public var knownSecrets: @Sendable () -> [KnownSecret]
    public var creator: HAR.Creator
    /// The most a gzip or deflate body may inflate to when recorded; beyond it (or beyond the
    /// ratio ``HAR/Entry`` allows) the body is kept as received, compressed.
    public var maximumBodySize: Int
    /// The cassette's index, already being read (``CassetteReadAhead``): a replay of that file
    /// takes it instead of reading the file again.
    public var readAhead: CassetteReadAhead?

    public init(
        matchRules: MatchRules = .standard,
        redaction: RedactionRules = .standard,
        allowRepeats: Bool = false,
        replayAdvice: ReplayAdvice = .recordModes,
        strictUnused: Bool = false,
        knownSecrets: @escaping @Sendable () -> [KnownSecret] = { [] },
        creator: HAR.Creator = Cassette.defaultCreator,
        maximumBodySize: Int = HTTPResponse.standardMaximumBodySize
    ) {
        self.matchRules = matchRules
        self.redaction = redaction
        self.allowRepeats = allowRepeats
        self.replayAdvice = replayAdvice
        self.strictUnused = strictUnused
        self.knownSecrets = knownSecrets
        self.creator = creator
        self.maximumBodySize = maximumBodySize
    }
}

/// What a cassette session did, reported when it ends.
public struct CassetteSummary: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let mode: RecordMode
    public let replayed: Int
    public let recorded: Int
    /// How many entries no request asked for.
    public let unusedCount: Int
    /// The first of them (up to ``listedUnused``): 1-based number and request line, what the
    /// messages list. Only these are written out: a cassette of 30,000 entries that answered
    /// one request lists ten, and writing out every request line was a tenth of its replay.
    public let firstUnused: [UnusedEntry]

    /// The most entries a message lists.
    public static let listedUnused = 10

    public struct UnusedEntry: Sendable, Equatable {
        public let number: Int
        public let request: String
    }

    /// `ejected c.har: 3 recorded, 2 replayed; never requested: #4 GET /x`.
    public var description: String {
        var text = "ejected \(file): \(recorded) recorded, \(replayed) replayed"
        if unusedCount > 0 { text += "; never requested: " + unusedList }
        return text
    }

    /// `#4 GET /x, #5 PUT /y, and 2 more`.
    public var unusedList: String {
        firstUnused.prefix(5).map { "#\($0.number) \($0.request)" }.joined(separator: ", ")
            + (unusedCount > 5 ? ", and \(unusedCount - 5) more" : "")
    }
}

/// Entries of the cassette were never asked for, and the session was strict about it.
public struct UnusedEntriesError: ReportableError, Equatable {
    public let summary: CassetteSummary

    public var message: String {
        let listed = CassetteSummary.listedUnused
        let list = summary.firstUnused.prefix(listed).map { "#\($0.number) \($0.request)" }.joined(separator: ", ")
        let more = summary.unusedCount > listed ? ", and \(summary.unusedCount - listed) more" : ""
        return "\(summary.unusedCount) recorded \(summary.unusedCount == 1 ? "entry was" : "entries were") never requested from \(summary.file): \(list)\(more)"
    }
}

/// A transport that answers from a cassette, records to it, or both, around any other
/// transport (the live network, usually), according to its ``RecordMode``.
///
/// A lock, not an actor, guards its state: a replayed answer is found without a hop to another
/// executor, which is most of what a replayed request would otherwise cost.
public final class CassetteTransport: HTTPTransport {
    public let file: URL
    /// The mode asked for.
    public let requestedMode: RecordMode
    /// The mode in effect: `once` becomes `record` or `replay`.
    public let mode: RecordMode
    /// Entries in the cassette when the session started.
    public let entryCount: Int
    private let upstream: any HTTPTransport
    private let options: CassetteOptions
    private let state: Mutex<State>
    /// Held while recording; released when the transport goes away.
    private let lock: CassetteLock?
    /// A replay's responses decoded ahead, for a cassette large enough to be worth a thread.
    private let responses: ResponseReadAhead?
    /// The fewest entries decoded ahead: a smaller replay is over before a thread would help.
    static let readAheadEntries = 512

    private struct State {
        var player: CassettePlayer?
        var recorder: CassetteRecorder?
        var replayed = 0
    }

    public init(file: URL, mode: RecordMode, upstream: any HTTPTransport, options: CassetteOptions = .init()) throws(CassetteError) {
        self.file = file
        requestedMode = mode
        self.upstream = upstream
        self.options = options
        if mode == .once {
            // `once` may go on to replay, but it names a file to record into: a fifo, a device
            // or a link nexsh does not write through is refused all the same.
            do throws(SecureFileError) {
                _ = try FileDestination(resolving: file.path)
            } catch {
                throw CassetteError(writing: file.path, error)
            }
        }
        let exists = FileManager.default.fileExists(atPath: file.path)
        let effective = mode.resolved(forCassetteAt: file)
        self.mode = effective

        var player: CassettePlayer?
        var recorder: CassetteRecorder?
        if effective == .record || effective == .new {
            // Refused before the first request goes out, rather than at the first write.
            try Cassette.checkWritable(at: file)
            lock = try CassetteLock(cassette: file)
        } else {
            lock = nil
        }
        switch effective {
        case .replay, .verify:
            let readAhead = options.readAhead.flatMap { $0.file == file ? $0 : nil }
            let index = if let readAhead { try readAhead.index() } else { try CassetteIndex(file: file) }
            player = Self.player(index, file: file, mode: effective, options: options, keys: readAhead?.keys(for: options.matchRules) ?? [])
        case .new:
            // Recording adds to the entries, so they are read whole.
            let existing = exists ? try Cassette.load(from: file) : nil
            if let existing {
                player = Self.player(CassetteIndex(cassette: existing, path: file.path), file: file, mode: effective, options: options)
            }
            recorder = CassetteRecorder(
                url: file, existing: existing, redaction: options.redaction, creator: options.creator, lock: lock,
                maximumBodySize: options.maximumBodySize
            )
        case .record, .once:
            // The file's own settings (volatile paths, a bundle's script) outlive re-recording.
            let kept = exists ? (try? Cassette.loadSettings(from: file))?.extensions : nil
            recorder = CassetteRecorder(
                url: file, existing: nil, extensions: kept ?? [:], redaction: options.redaction, creator: options.creator,
                lock: lock, maximumBodySize: options.maximumBodySize
            )
        case .passthrough:
            break
        }
        entryCount = player?.entries.count ?? 0
        responses = effective == .replay && entryCount >= Self.readAheadEntries ? player.map { ResponseReadAhead(index: $0.entries) } : nil
        volatile = player.map { VolatilePaths(log: $0.entries.log) } ?? VolatilePaths()
        recordedOrigin = player.flatMap { $0.entries.count > 0 ? URL(string: $0.entries.url(ofEntry: 0)) : nil }.flatMap { URL(string: $0.origin) }
        state = Mutex(State(player: player, recorder: recorder))
    }

    /// Where the cassette was recorded (`http://127.0.0.1:47301`): the first recorded request's
    /// scheme, host and port.
    public let recordedOrigin: URL?
    /// What drift checks leave out (the cassette's `log._volatile`).
    public let volatile: VolatilePaths

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await exchange(request).response
    }

    /// Answers `request` as the mode says, and says how: replayed, recorded, passed through or
    /// verified.
    public func exchange(_ request: HTTPRequest) async throws -> CassetteEvent {
        if mode == .verify {
            let (response, drift) = try await verify(request)
            return CassetteEvent(request: request, response: response, kind: .verified(drift))
        }
        let replayed: Result<CassetteEvent?, any Error> = state.withLock { state in
            // An exchange that could not be recorded is reported before another is made.
            do {
                try state.recorder?.throwEarlierFailure()
            } catch {
                return .failure(error)
            }
            let outcome: CassettePlayer.Outcome
            do {
                guard let answer = try state.player?.answer(request) else { return .success(nil) }
                outcome = answer
            } catch {
                return .failure(error)
            }
            switch outcome {
            case .answer(let index):
                state.replayed += 1
                return Result {
                    let recorded = try responses?.take(index)?.get() ?? state.player!.entries.response(at: index)
                    let response = try recorded.httpResponse()
                    return CassetteEvent(request: request, response: response, kind: .replayed(entry: index + 1))
                }
            case .miss(let miss):
                return state.recorder == nil ? .failure(miss) : .success(nil)
            }
        }
        if let event = try replayed.get() { return event }
        let response = try await upstream.send(request)
        guard let recorder = state.withLock({ $0.recorder }) else {
            return CassetteEvent(request: request, response: response, kind: .passedThrough)
        }
        recorder.record(request, response, knownSecrets: options.knownSecrets())
        return CassetteEvent(request: request, response: response, kind: .recorded)
    }

    /// Sends `request` to the network and compares the answer with the recorded one (mode
    /// `verify`; in other modes nothing was recorded to compare with).
    public func verify(_ request: HTTPRequest) async throws -> (response: HTTPResponse, drift: DriftReport) {
        let response = try await upstream.send(request)
        let label = RequestShape.label(HAR.Request(request))
        let drift = try state.withLock { state throws(CassetteError) -> DriftReport in
            guard mode == .verify, let outcome = try state.player?.answer(request), case .answer(let index) = outcome else {
                return DriftReport(request: label, entryNumber: nil, findings: [])
            }
            state.replayed += 1
            return DriftReport.compare(
                recorded: try state.player!.entries.response(at: index), number: index + 1, live: response, request: label, volatile: volatile
            )
        }
        return (response, drift)
    }

    /// Returns once every exchange recorded so far is in the file (they are written on a
    /// queue of their own); throws if one could not be written.
    public func flush() throws(CassetteError) {
        try state.withLock { state throws(CassetteError) in try state.recorder?.flush() }
    }

    deinit {
        responses?.stop()
    }

    /// Ends the session: writes an empty cassette if a recording recorded nothing, and reports
    /// what was replayed, recorded and left unused.
    @discardableResult
    public func finish() throws -> CassetteSummary {
        responses?.stop()
        let summary = try state.withLock { state throws(CassetteError) in
            if let recorder = state.recorder {
                try recorder.count == 0 && mode == .record ? recorder.writeExistingEntries() : recorder.flush()
            }
            let unused = state.player?.unusedEntryNumbers ?? []
            return CassetteSummary(
                file: file.path,
                mode: mode,
                replayed: state.replayed,
                recorded: state.recorder?.count ?? 0,
                unusedCount: unused.count,
                firstUnused: unused.prefix(CassetteSummary.listedUnused).map { .init(number: $0, request: state.player!.label(ofEntry: $0 - 1)) }
            )
        }
        if options.strictUnused, summary.unusedCount > 0 {
            throw UnusedEntriesError(summary: summary)
        }
        return summary
    }

    private static func player(_ entries: CassetteIndex, file: URL, mode: RecordMode, options: CassetteOptions, keys: [String?] = []) -> CassettePlayer {
        CassettePlayer(
            entries: entries, path: file.path, mode: mode, rules: options.matchRules, redaction: options.redaction,
            allowRepeats: options.allowRepeats, advice: options.replayAdvice, keys: keys
        )
    }
}

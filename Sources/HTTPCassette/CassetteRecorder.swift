import Foundation
import JSONValues
import Synchronization
import Transport

/// Appends exchanges to a cassette file, redacted. The file on disk is a complete HAR file
/// after every exchange written, and a crash loses at most the exchanges in flight.
///
/// Redaction and the check for known secrets happen as the exchange is recorded, so that a
/// refusal fails the request that caused it. Serializing and writing happen on the file's own
/// queue (``CassetteFileWriter``), in order, overlapping the next request instead of delaying it.
struct CassetteRecorder {
    let url: URL
    private var redactor: Redactor
    private let knownSecrets: @Sendable () -> [KnownSecret]
    private let writer: CassetteFileWriter
    /// Entries the file had before this session (`new` mode keeps them).
    private let existingCount: Int
    /// The known secrets' spellings, by value: the same few secrets are looked for in every
    /// exchange.
    private var spellingsBySecret: [String: SecretScan.Spellings] = [:]
    private(set) var count = 0

    /// `extensions` are the log's `_` fields for a new file (those of `existing` are kept).
    init(
        url: URL, existing: Cassette?, extensions: JSONObject = [:], redaction: RedactionRules, creator: HAR.Creator,
        lock: CassetteLock?, knownSecrets: @escaping @Sendable () -> [KnownSecret]
    ) {
        self.url = url
        var log = existing?.log ?? HAR.Log(creator: creator, extensions: extensions)
        let existingTexts = log.entries.map(CassetteText.entryText)
        existingCount = existingTexts.count
        log.entries = []
        log.creator = creator
        writer = CassetteFileWriter(url: url, log: log, existingTexts: existingTexts, lock: lock)
        redactor = Redactor(rules: redaction)
        self.knownSecrets = knownSecrets
    }

    /// Redacts the exchange, refuses it if a known secret survived, and hands it to the
    /// writer. Throws, too, when an earlier exchange could not be written.
    mutating func record(_ request: HTTPRequest, _ response: HTTPResponse) throws(CassetteError) {
        try writer.throwEarlierFailure()
        let entry = redactor.redact(HAR.Entry(request: request, response: response))
        for secret in knownSecrets() {
            guard let spellings = spellings(of: secret.value) else { continue }
            if let location = SecretScan.locate(spellings, in: entry, number: existingCount + count + 1) {
                throw .secretWouldBeWritten(path: url.path, what: secret.description, location: location)
            }
        }
        writer.append(entry)
        count += 1
    }

    private mutating func spellings(of secret: String) -> SecretScan.Spellings? {
        if let known = spellingsBySecret[secret] { return known }
        let spellings = SecretScan.Spellings(secret)
        spellingsBySecret[secret] = spellings
        return spellings
    }

    /// Returns once every recorded exchange is in the file; throws if one could not be written.
    func flush() throws(CassetteError) {
        try writer.flush()
    }

    /// Writes the file with the existing entries alone (a recording that recorded nothing).
    func write() throws(CassetteError) {
        try writer.writeExistingEntries()
    }
}

/// Serializes entries and writes them to the cassette file on a serial queue of its own.
///
/// The first write replaces the file in one step (a temporary file renamed over it). Each
/// later entry is written in place, in one `pwrite` over the file's closing brackets: the
/// entry, then the brackets again. So the cost of an exchange does not grow with the file.
/// Should a process die inside that one write, the lock file beside the cassette says where
/// the last complete entry ended and what closes the file: ``CassetteRepair`` restores it.
final class CassetteFileWriter: Sendable {
    private let url: URL
    private let queue = DispatchQueue(label: "nexsh.cassette-writer")
    private let state: Mutex<State>

    private struct State {
        let log: HAR.Log
        let existingTexts: [String]
        let lock: CassetteLock?
        var appender: Appender?
        /// A write that failed, until it is reported.
        var failure: CassetteError?
    }

    init(url: URL, log: HAR.Log, existingTexts: [String], lock: CassetteLock?) {
        self.url = url
        state = Mutex(State(log: log, existingTexts: existingTexts, lock: lock))
    }

    /// Queues `entry`; it reaches the file after the entries queued before it.
    func append(_ entry: HAR.Entry) {
        queue.async { [self] in
            let text = CassetteText.entryText(entry)
            state.withLock { state in
                do throws(CassetteError) {
                    try write(text, &state)
                } catch {
                    state.failure = state.failure ?? error
                }
            }
        }
    }

    private func write(_ text: String, _ state: inout State) throws(CassetteError) {
        if var appender = state.appender {
            try appender.append(text)
            state.appender = appender
        } else {
            let whole = CassetteText(log: state.log, entryTexts: state.existingTexts + [text])
            try AtomicFile.write(whole.data, to: url)
            state.appender = try Appender(url: url, layout: whole, lock: state.lock)
        }
    }

    func throwEarlierFailure() throws(CassetteError) {
        if let failure = state.withLock({ state in
            defer { state.failure = nil }
            return state.failure
        }) {
            throw failure
        }
    }

    func flush() throws(CassetteError) {
        queue.sync {}
        try throwEarlierFailure()
    }

    func writeExistingEntries() throws(CassetteError) {
        try flush()
        let whole = state.withLock { CassetteText(log: $0.log, entryTexts: $0.existingTexts) }
        try AtomicFile.write(whole.data, to: url)
    }

    /// Writes entries over the closing brackets of a file that `AtomicFile` wrote.
    private struct Appender {
        let path: String
        let descriptor: FileDescriptor
        let closing: Data
        /// Where the closing brackets start.
        var closingOffset: Int
        let lock: CassetteLock?

        init(url: URL, layout: CassetteText, lock: CassetteLock?) throws(CassetteError) {
            path = url.path
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .writeFailed(path: path, reason: FileErrorText.errno(errno, doing: "open")) }
            descriptor = FileDescriptor(fd)
            closing = layout.closing
            closingOffset = layout.data.count - closing.count
            self.lock = lock
            lock?.noteAppend(closingOffset: closingOffset, closing: closing)
        }

        mutating func append(_ entryText: String) throws(CassetteError) {
            let entry = Data.utf8(CassetteText.separator + entryText)
            do {
                try descriptor.write(entry + closing, at: closingOffset, path: path)
            } catch {
                // Back to the previous file (a full disk, say): the closing bytes go where they
                // were, in blocks the file already has, and the rest is cut off.
                try? descriptor.write(closing, at: closingOffset, path: path)
                ftruncate(descriptor.raw, off_t(closingOffset + closing.count))
                throw error
            }
            closingOffset += entry.count
            lock?.noteAppended(closingOffset: closingOffset)
        }
    }
}

/// Closes its file descriptor when the last copy goes away.
final class FileDescriptor: Sendable {
    let raw: Int32

    init(_ raw: Int32) {
        self.raw = raw
    }

    deinit {
        close(raw)
    }

    /// All of `data` at `offset`, or an error naming the reason.
    func write(_ data: Data, at offset: Int, path: String) throws(CassetteError) {
        var failure: Int32 = 0
        data.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let written = pwrite(raw, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                done += written
            }
        }
        if failure != 0 {
            throw .writeFailed(path: path, reason: FileErrorText.errno(failure, doing: "write"))
        }
    }
}

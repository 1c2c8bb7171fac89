import Foundation
import JSONValues
import Synchronization
import Transport

/// Appends exchanges to a cassette file, redacted, on a serial queue of its own: turning an
/// exchange into an entry, redacting it, checking it for known secrets and writing it overlap
/// the next request instead of delaying it. The file on disk is a complete HAR file after every
/// exchange written, and a crash loses at most the exchanges still queued (one, normally).
///
/// An exchange that would put a known secret in the file is not written, nor is one the disk
/// refuses; the error is kept and thrown by the next call that asks (``throwEarlierFailure()``,
/// before the next request goes out, or ``flush()``, when the cassette is ejected).
///
/// The first write replaces the file in one step (a temporary file renamed over it). Each
/// later entry is written in place, in one `pwrite` over the file's closing brackets: the
/// entry, then the brackets again. So the cost of an exchange does not grow with the file.
/// Should a process die inside that one write, the lock file beside the cassette says where
/// the last complete entry ended and what closes the file: ``CassetteRepair`` restores it.
final class CassetteRecorder: Sendable {
    let url: URL
    /// What a compressed body may inflate to in the cassette.
    let maximumBodySize: Int
    private let queue = DispatchQueue(label: "nexsh.cassette-recorder")
    /// Touched on the queue, but for the failure and the count, which callers read.
    private let state: Mutex<State>

    private struct State {
        let log: HAR.Log
        let existingTexts: [String]
        let lock: CassetteLock?
        var redactor: Redactor
        /// The known secrets' spellings, by value: the same few secrets are looked for in
        /// every exchange.
        var spellingsBySecret: [String: SecretScan.Spellings] = [:]
        var appender: Appender?
        /// Exchanges handed over so far.
        var count = 0
        /// A refusal or a failed write, until it is reported.
        var failure: CassetteError?
    }

    /// `extensions` are the log's `_` fields for a new file (those of `existing` are kept).
    init(
        url: URL, existing: Cassette?, extensions: JSONObject = [:], redaction: RedactionRules, creator: HAR.Creator, lock: CassetteLock?,
        maximumBodySize: Int = HTTPResponse.standardMaximumBodySize
    ) {
        self.url = url
        self.maximumBodySize = maximumBodySize
        var log = existing?.log ?? HAR.Log(creator: creator, extensions: extensions)
        let existingTexts = log.entries.map(CassetteText.entryText)
        log.entries = []
        log.creator = creator
        state = Mutex(State(log: log, existingTexts: existingTexts, lock: lock, redactor: Redactor(rules: redaction)))
    }

    /// Exchanges handed to the recorder so far.
    var count: Int { state.withLock { $0.count } }

    /// Queues the exchange. `knownSecrets` are the values that must not reach the file, as
    /// they are now (a later sign-out must not let an earlier token through).
    func record(_ request: HTTPRequest, _ response: HTTPResponse, knownSecrets: [KnownSecret]) {
        let number = state.withLock { state in
            state.count += 1
            return state.existingTexts.count + state.count
        }
        queue.async { [self] in
            state.withLock { state in
                do throws(CassetteError) {
                    try write(request, response, number: number, knownSecrets: knownSecrets, &state)
                } catch {
                    state.failure = state.failure ?? error
                }
            }
        }
    }

    private func write(
        _ request: HTTPRequest, _ response: HTTPResponse, number: Int, knownSecrets: [KnownSecret], _ state: inout State
    ) throws(CassetteError) {
        let entry = state.redactor.redact(HAR.Entry(request: request, response: response, maximumBodySize: maximumBodySize))
        for secret in knownSecrets {
            guard let spellings = state.spellingsBySecret[secret.value] ?? SecretScan.Spellings(secret.value) else { continue }
            state.spellingsBySecret[secret.value] = spellings
            if let location = SecretScan.locate(spellings, in: entry, number: number) {
                throw .secretWouldBeWritten(path: url.path, what: secret.description, location: location)
            }
        }
        let text = CassetteText.entryText(entry)
        if var appender = state.appender {
            try appender.append(text)
            state.appender = appender
        } else {
            let whole = CassetteText(log: state.log, entryTexts: state.existingTexts + [text])
            try AtomicFile.write(whole.data, to: url)
            state.appender = try Appender(url: url, layout: whole, lock: state.lock)
        }
    }

    /// Throws what went wrong with an exchange queued earlier, once.
    func throwEarlierFailure() throws(CassetteError) {
        if let failure = state.withLock({ state in
            defer { state.failure = nil }
            return state.failure
        }) {
            throw failure
        }
    }

    /// Returns once every queued exchange is in the file; throws if one could not be.
    func flush() throws(CassetteError) {
        queue.sync {}
        try throwEarlierFailure()
    }

    /// Writes the file with the existing entries alone (a recording that recorded nothing).
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

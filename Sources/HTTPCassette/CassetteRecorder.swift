import Foundation
import HTTPValues
import JSONValues
import SecureFiles
import Synchronization

/// Appends exchanges to a cassette file, redacted, on a serial queue of its own: turning an
/// exchange into an entry, redacting it and writing it overlap the next request instead of
/// delaying it. The file on disk is a complete HAR file after every exchange written, and a
/// crash loses at most the exchanges still queued (one, normally).
///
/// An exchange the disk refuses is not written; the error is kept and thrown by the next call
/// that asks (``throwEarlierFailure()``, before the next request goes out, or ``flush()``, when
/// the cassette is ejected).
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
    /// they are now (a later sign-out must not let an earlier token through): they are taken
    /// out wherever they appear, however they are written, as the redaction rules' finds are.
    func record(_ request: HTTPRequest, _ response: HTTPResponse, knownSecrets: [KnownSecret]) {
        state.withLock { $0.count += 1 }
        queue.async { [self] in
            state.withLock { state in
                do throws(CassetteError) {
                    try write(request, response, knownSecrets: knownSecrets, &state)
                } catch {
                    state.failure = state.failure ?? error
                }
            }
        }
    }

    private func write(
        _ request: HTTPRequest, _ response: HTTPResponse, knownSecrets: [KnownSecret], _ state: inout State
    ) throws(CassetteError) {
        for secret in knownSecrets { state.redactor.learn(secret) }
        let entry = state.redactor.redact(HAR.Entry(request: request, response: response, maximumBodySize: maximumBodySize))
        let text = CassetteText.entryText(entry)
        if var appender = state.appender {
            try appender.append(text)
            state.appender = appender
        } else {
            let whole = CassetteText(log: state.log, entryTexts: state.existingTexts + [text])
            let file = try Cassette.replaceFile(at: url, with: whole.data)
            state.appender = Appender(file: file, layout: whole, lock: state.lock)
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
        try Cassette.replaceFile(at: url, with: whole.data)
    }

    /// Writes entries over the closing brackets of the file that the first write renamed into
    /// place, through the descriptor that write kept open: whatever the path names by now (a
    /// link planted since, another file), the appends go to that file alone.
    private struct Appender {
        let file: OpenFile
        let closing: Data
        /// Where the closing brackets start.
        var closingOffset: Int
        let lock: CassetteLock?

        init(file: OpenFile, layout: CassetteText, lock: CassetteLock?) {
            self.file = file
            closing = layout.closing
            closingOffset = layout.data.count - closing.count
            self.lock = lock
            lock?.noteAppend(closingOffset: closingOffset, closing: closing)
        }

        mutating func append(_ entryText: String) throws(CassetteError) {
            let entry = Data.utf8(CassetteText.separator + entryText)
            do throws(SecureFileError) {
                try file.write(entry + closing, at: closingOffset)
            } catch {
                // Back to the previous file (a full disk, say): the closing bytes go where they
                // were, in blocks the file already has, and the rest is cut off.
                try? file.write(closing, at: closingOffset)
                try? file.truncate(to: closingOffset + closing.count)
                throw CassetteError(writing: file.path, error)
            }
            closingOffset += entry.count
            lock?.noteAppended(closingOffset: closingOffset)
        }
    }
}

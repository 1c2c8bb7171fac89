import Foundation
import JSONValues
import Transport

/// Appends exchanges to a cassette file, redacted. The file on disk is a complete HAR file
/// after every exchange, and a crash loses at most the exchange in flight.
///
/// The first write replaces the file in one step (a temporary file renamed over it). Each
/// later exchange is written in place, in one `pwrite` over the file's closing brackets: the
/// entry, then the brackets again. So the cost of an exchange does not grow with the file.
/// Should a process die inside that one write, the lock file beside the cassette says where
/// the last complete entry ended and what closes the file: ``CassetteRepair`` restores it.
struct CassetteRecorder {
    let url: URL
    private var log: HAR.Log
    private var existingTexts: [String]
    private var redactor: Redactor
    private let knownSecrets: @Sendable () -> [KnownSecret]
    private let lock: CassetteLock?
    private var appender: Appender?
    private(set) var count = 0

    /// `extensions` are the log's `_` fields for a new file (those of `existing` are kept).
    init(
        url: URL, existing: Cassette?, extensions: JSONObject = [:], redaction: RedactionRules, creator: HAR.Creator,
        lock: CassetteLock?, knownSecrets: @escaping @Sendable () -> [KnownSecret]
    ) {
        self.url = url
        var log = existing?.log ?? HAR.Log(creator: creator, extensions: extensions)
        existingTexts = log.entries.map(CassetteText.entryText)
        log.entries = []
        log.creator = creator
        self.log = log
        redactor = Redactor(rules: redaction)
        self.knownSecrets = knownSecrets
        self.lock = lock
    }

    /// Redacts the exchange, refuses it if a known secret survived, and writes it.
    mutating func record(_ request: HTTPRequest, _ response: HTTPResponse) throws(CassetteError) {
        let entry = redactor.redact(HAR.Entry(request: request, response: response))
        for secret in knownSecrets() {
            if let location = SecretScan.locate(secret.value, in: entry, number: existingTexts.count + count + 1) {
                throw .secretWouldBeWritten(path: url.path, what: secret.description, location: location)
            }
        }
        let text = CassetteText.entryText(entry)
        if var appender {
            try appender.append(text)
            self.appender = appender
        } else {
            let whole = CassetteText(log: log, entryTexts: existingTexts + [text])
            try AtomicFile.write(whole.data, to: url)
            appender = try Appender(url: url, layout: whole, lock: lock)
        }
        count += 1
    }

    /// Writes the file with the existing entries alone (a recording that recorded nothing).
    func write() throws(CassetteError) {
        try AtomicFile.write(CassetteText(log: log, entryTexts: existingTexts).data, to: url)
    }

    /// Writes entries over the closing brackets of a file that `AtomicFile` wrote.
    private struct Appender {
        let url: URL
        let descriptor: FileDescriptor
        let closing: Data
        /// Where the closing brackets start.
        var closingOffset: Int
        let lock: CassetteLock?

        init(url: URL, layout: CassetteText, lock: CassetteLock?) throws(CassetteError) {
            self.url = url
            let fd = open(url.path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .writeFailed(path: url.path, reason: FileErrorText.errno(errno, doing: "open")) }
            descriptor = FileDescriptor(fd)
            closing = layout.closing
            closingOffset = layout.data.count - closing.count
            self.lock = lock
            lock?.noteAppend(closingOffset: closingOffset, closing: closing)
        }

        mutating func append(_ entryText: String) throws(CassetteError) {
            let entry = Data((CassetteText.separator + entryText).utf8)
            do {
                try descriptor.write(entry + closing, at: closingOffset, path: url.path)
            } catch {
                // Back to the previous file (a full disk, say): the closing bytes go where they
                // were, in blocks the file already has, and the rest is cut off.
                try? descriptor.write(closing, at: closingOffset, path: url.path)
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

import Foundation
import JSONValues
import Transport

/// Appends exchanges to a cassette file, redacted, one atomic rewrite per exchange: the file on
/// disk is always complete and valid, and a crash loses at most the exchange in flight.
struct CassetteRecorder {
    let url: URL
    private var log: HAR.Log
    private var entryTexts: [String]
    private var redactor: Redactor
    private let knownSecrets: @Sendable () -> [KnownSecret]

    /// `existing` entries are kept in front of what is recorded (mode `new`).
    /// `extensions` are the log's `_` fields for a new file (those of `existing` are kept).
    init(
        url: URL, existing: Cassette?, extensions: JSONObject = [:], redaction: RedactionRules, creator: HAR.Creator,
        knownSecrets: @escaping @Sendable () -> [KnownSecret]
    ) {
        self.url = url
        var log = existing?.log ?? HAR.Log(creator: creator, extensions: extensions)
        entryTexts = log.entries.map(CassetteText.entryText)
        log.entries = []
        log.creator = creator
        self.log = log
        redactor = Redactor(rules: redaction)
        self.knownSecrets = knownSecrets
    }

    var count: Int { entryTexts.count }

    /// Redacts the exchange, refuses it if a known secret survived, and rewrites the file.
    mutating func record(_ request: HTTPRequest, _ response: HTTPResponse) throws(CassetteError) {
        let entry = redactor.redact(HAR.Entry(request: request, response: response))
        for secret in knownSecrets() {
            if let location = SecretScan.locate(secret.value, in: entry, number: entryTexts.count + 1) {
                throw .secretWouldBeWritten(path: url.path, what: secret.description, location: location)
            }
        }
        entryTexts.append(CassetteText.entryText(entry))
        do {
            try write()
        } catch {
            entryTexts.removeLast()
            throw error
        }
    }

    func write() throws(CassetteError) {
        try AtomicFile.write(CassetteText(log: log, entryTexts: entryTexts).data, to: url)
    }
}

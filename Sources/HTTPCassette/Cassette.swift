import Foundation
import JSONValues
import SecureFiles

/// A HAR file in memory: what replay reads and what the tools inspect, diff and rewrite.
public struct Cassette: Sendable, Equatable {
    public var log: HAR.Log

    public init(log: HAR.Log) {
        self.log = log
    }

    /// An empty cassette written by nexsh.
    public init(creator: HAR.Creator = Cassette.defaultCreator) {
        log = HAR.Log(creator: creator)
    }

    public var entries: [HAR.Entry] {
        get { log.entries }
        set { log.entries = newValue }
    }

    public static let defaultCreator = HAR.Creator(name: "nexsh", version: NexshVersion.current)

    /// Reads a HAR file. Entries are decoded one at a time as the file is scanned, and the file
    /// is never held whole: memory holds the cassette and a window of the file.
    public static func load(from url: URL) throws(CassetteError) -> Cassette {
        var (log, entries) = try load(from: url) { $0 }
        log.entries = entries
        return Cassette(log: log)
    }

    /// Reads a HAR file an entry at a time, keeping of each entry what `keep` makes of it: a
    /// listing keeps a line an entry, and memory holds those lines and a window of the file,
    /// neither the file nor its entries. Returns the log without its entries.
    public static func load<Kept>(from url: URL, keeping keep: (HAR.Entry) -> Kept) throws(CassetteError) -> (log: HAR.Log, entries: [Kept]) {
        try mendingOnce(url) { () throws(CassetteError) in
            var kept: [Kept] = []
            var failure: HARFormatError?
            let skeleton = try walk(url) { index, cursor throws(JSONParseError) in
                let element = try cursor.value()
                do throws(HARFormatError) {
                    kept.append(keep(try HAR.Entry(try HARObjectReader(element, path: "log.entries[\(index)]"))))
                    return true
                } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw .notHAR(path: url.path, failure) }
            return (try log(of: skeleton, path: url.path), kept)
        }
    }

    /// Runs `read` again once if it finds the file is not JSON and the file is a recording that
    /// died halfway through writing an exchange, which is mended first.
    static func mendingOnce<Result>(_ url: URL, _ read: () throws(CassetteError) -> Result) throws(CassetteError) -> Result {
        do {
            return try read()
        } catch .notJSON(let path, let error) {
            guard CassetteRepair.mendAfterCrash(url) else { throw .notJSON(path: path, error) }
            return try read()
        }
    }

    /// Opens the file at `url` and walks it as the next function walks an open file.
    static func walk(
        _ url: URL, entry: (_ index: Int, _ cursor: inout JSONCursor) throws(JSONParseError) -> Bool
    ) throws(CassetteError) -> JSONValue? {
        try walk(open(url), entry: entry)
    }

    /// The cassette file at `url`, open to be scanned.
    static func open(_ url: URL) throws(CassetteError) -> ScannedFile {
        do {
            return try ScannedFile(path: url.path, limit: maximumFileSize, what: "a cassette")
        } catch {
            throw CassetteError(reading: url.path, error)
        }
    }

    /// Scans `file` with ``HARDocument/walk(_:entry:)``, letting the file's pages go behind each
    /// entry read. Returns the document without its entries (nil when `entry` stopped the walk).
    static func walk(
        _ file: ScannedFile, entry: (_ index: Int, _ cursor: inout JSONCursor) throws(JSONParseError) -> Bool
    ) throws(CassetteError) -> JSONValue? {
        do throws(JSONParseError) {
            return try file.scan { bytes, release throws(JSONParseError) in
                try HARDocument.walk(bytes) { index, cursor throws(JSONParseError) in
                    defer { release(cursor.offset) }
                    return try entry(index, &cursor)
                }
            }
        } catch {
            throw .notJSON(path: file.path, error)
        }
    }

    /// A HAR file's log with its entries read past, not kept: what re-recording keeps of the
    /// file it replaces (its `_` fields).
    static func loadSettings(from url: URL) throws(CassetteError) -> HAR.Log {
        let skeleton = try walk(url) { _, cursor throws(JSONParseError) in
            try cursor.skip()
            return true
        }
        return try log(of: skeleton, path: url.path)
    }

    /// The log's settings in a document walked to the end (its entries array left empty).
    static func log(of skeleton: JSONValue?, path: String) throws(CassetteError) -> HAR.Log {
        do throws(HARFormatError) {
            return try HAR.Log(document: skeleton!)
        } catch {
            throw .notHAR(path: path, error)
        }
    }

    private static func parseJSON<Bytes: Collection<UInt8>>(_ bytes: Bytes, path: String) throws(CassetteError) -> JSONValue {
        do {
            return try JSONValue.parse(bytes)
        } catch {
            throw .notJSON(path: path, error)
        }
    }

    /// Reads a HAR file, keeping its JSON too (for checks the lenient reading does not make).
    public static func read(from url: URL) throws(CassetteError) -> (document: JSONValue, cassette: Cassette) {
        try parseDocument(try contents(of: url), path: url.path)
    }

    /// The bytes of a cassette file, with errors that say what is wrong with the file.
    package static func contents(of url: URL) throws(CassetteError) -> Data {
        do {
            return try BoundedRead.contents(of: url.path, limit: maximumFileSize, what: "a cassette")
        } catch {
            throw CassetteError(reading: url.path, error)
        }
    }

    /// The largest cassette read: ten times the largest nexsh has been measured with (`make
    /// bench` loads 200 MB), and within a small machine's memory.
    public static let maximumFileSize = 2 << 30

    /// Reads HAR text; `path` names it in errors.
    public static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes, path: String) throws(CassetteError) -> Cassette {
        try parseDocument(bytes, path: path).cassette
    }

    static func parseDocument<Bytes: Collection<UInt8>>(_ bytes: Bytes, path: String) throws(CassetteError)
        -> (document: JSONValue, cassette: Cassette)
    {
        let document = try parseJSON(bytes, path: path)
        do {
            return (document, Cassette(log: try HAR.Log(document: document)))
        } catch {
            throw .notHAR(path: path, error)
        }
    }

    /// The file's bytes: pretty-printed with two spaces, members in the HAR spec's order, and
    /// one trailing newline, so that recording the same answers twice gives the same text apart
    /// from dates and timings.
    public func encoded() -> Data {
        CassetteText(log: log, entryTexts: log.entries.map(CassetteText.entryText)).data
    }

    /// Replaces the file at `url` in one step: it is either the old file or the new one.
    public func write(to url: URL) throws(CassetteError) {
        try Self.replaceFile(at: url, with: encoded())
    }

    /// Replaces the file at `url` in one step, never through a link nexsh does not trust, as
    /// a file only its owner reads (an existing file keeps its permissions). Returns the new
    /// file, open, for a recorder to append to.
    @discardableResult
    static func replaceFile(at url: URL, with data: Data) throws(CassetteError) -> OpenFile {
        do throws(SecureFileError) {
            return try AtomicFile.write(data, to: url.path, permissions: .private)
        } catch {
            throw CassetteError(writing: url.path, error)
        }
    }

    /// Refuses, before anything is sent or written, a cassette path that a recording could not
    /// write: a folder, fifo or device, a link nexsh does not write through, a folder that is
    /// missing or read-only.
    public static func checkWritable(at url: URL) throws(CassetteError) {
        do throws(SecureFileError) {
            try FileDestination.check(url.path)
        } catch {
            throw CassetteError(writing: url.path, error)
        }
    }
}

/// Assembles the text of a cassette from separately serialized entries, so that a recorder
/// serializes each entry once however often it rewrites the file.
struct CassetteText {
    private static let marker = "\u{0}nexsh-entries\u{0}"

    let log: HAR.Log
    let entryTexts: [String]

    static func entryText(_ entry: HAR.Entry) -> String {
        entry.json.serialized(.pretty, indentLevel: 3)
    }

    /// Between two entries.
    static let separator = ",\n      "

    var data: Data {
        let (opening, rest) = halves
        let entries = entryTexts.isEmpty ? "[]" + rest : "[\n      " + entryTexts.joined(separator: Self.separator) + "\n    ]" + rest
        return Data((opening + entries).utf8)
    }

    /// What follows the last entry: the array's bracket, the log's later members, the braces.
    var closing: Data {
        Data(("\n    ]" + halves.rest).utf8)
    }

    /// The text before the entries array and after it.
    private var halves: (opening: String, rest: String) {
        var skeleton = log
        skeleton.entries = []
        var document = skeleton.document
        if case .object(var root) = document, case .object(var logObject)? = root["log"] {
            logObject["entries"] = .string(Self.marker)
            root["log"] = .object(logObject)
            document = .object(root)
        }
        let text = document.serialized(.pretty)
        let range = text.range(of: JSONValue.quoted(Self.marker))!
        return (String(text[..<range.lowerBound]), String(text[range.upperBound...]) + "\n")
    }
}


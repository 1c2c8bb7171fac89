import Foundation
import JSONValues
import SecureFiles

/// A cassette as replay reads it: every entry's method and URL, read when the file is opened,
/// whether its request carries a body, and where in the file its request and its response lie.
/// A request without a body is matched by its method and URL alone unless a rule compares
/// headers; another is decoded when a live request on the same route first needs it compared.
/// A response is decoded when it is first served: a cassette of 30,000 entries that answers
/// one request decodes a handful of them.
///
/// Opening the file checks what every replay relies on: that it is JSON in its brackets and
/// strings, that each entry has a request with a method and a URL, and a response. An entry
/// whose response is wrong in some other way is found when it is served, or by `nexsh cassette
/// verify`, which reads every entry whole.
///
/// A cassette held in memory (one being added to, in mode `new`) is indexed as it is.
package struct CassetteIndex: Sendable {
    /// The log without its entries: version, creator, and nexsh's `_` settings.
    package let log: HAR.Log
    private let entries: [Entry]
    private let file: ScannedFile?
    private let path: String

    private struct Entry: Sendable {
        let method: String
        let url: String
        /// The request has a `postData`.
        let hasBody: Bool
        let stored: Stored

        init(method: String, url: String, hasBody: Bool, stored: Stored) {
            self.method = method
            self.url = url
            self.hasBody = hasBody
            self.stored = stored
        }

        init(decoded entry: HAR.Entry) {
            self.init(method: entry.request.method, url: entry.request.url, hasBody: entry.request.postData != nil, stored: .decoded(entry))
        }
    }

    private enum Stored: Sendable {
        /// Where the request and response objects lie in the file.
        case inFile(request: Range<Int>, response: Range<Int>)
        /// Boxed: an entry inline would make every case as large as a whole HAR entry.
        indirect case decoded(HAR.Entry)
    }

    package var count: Int { entries.count }

    /// A cassette in memory, as it is.
    init(cassette: Cassette, path: String) {
        var log = cassette.log
        log.entries = []
        self.log = log
        entries = cassette.entries.map(Entry.init(decoded:))
        file = nil
        self.path = path
    }

    /// Reads the file at `url` as far as replay needs. A recording that died halfway through
    /// writing an exchange is mended, once, as ``Cassette/load(from:)`` mends it.
    init(file url: URL) throws(CassetteError) {
        self = try Cassette.mendingOnce(url) { () throws(CassetteError) in try CassetteIndex(reading: try Cassette.open(url)) }
    }

    /// HAR text in memory, indexed as a file is (the input checks read it so).
    package init(bytes: some Collection<UInt8>, path: String) throws(CassetteError) {
        try self.init(reading: ScannedFile(data: Data(bytes), path: path))
    }

    private init(reading file: ScannedFile) throws(CassetteError) {
        path = file.path
        var entries: [Entry] = []
        var irregular: [Int] = []
        let skeleton = try Cassette.walk(file) { index, cursor throws(JSONParseError) in
            let start = cursor.offset
            if let entry = try Self.skim(&cursor) {
                entries.append(entry)
            } else {
                // Decoded whole below, for the exact error (or the lenient reading).
                irregular.append(index)
                entries.append(Entry(method: "", url: "", hasBody: true, stored: .inFile(request: start..<cursor.offset, response: 0..<0)))
            }
            return true
        }
        self.file = file
        for index in irregular {
            guard case .inFile(let range, _) = entries[index].stored else { continue }
            let entry = try Self.decode(HAR.Entry.self, at: range, in: file, place: "log.entries[\(index)]", path: file.path)
            entries[index] = Entry(decoded: entry)
        }
        log = try Cassette.log(of: skeleton, path: file.path)
        self.entries = entries
    }

    /// One entry's method, URL, whether its request has a body, and the places of its request
    /// and response; nil if the entry is not shaped that way (then the whole entry is decoded,
    /// to say what is wrong with it).
    private static func skim(_ cursor: inout JSONCursor) throws(JSONParseError) -> Entry? {
        guard cursor.peek() == .object else {
            try cursor.skip()
            return nil
        }
        var method: String?
        var url: String?
        var hasBody = false
        var request: Range<Int>?
        var response: Range<Int>?
        var regular = true
        try cursor.readObject { name, cursor throws(JSONParseError) in
            switch name {
            case "request" where cursor.peek() == .object:
                let start = cursor.offset
                try cursor.readObject { name, cursor throws(JSONParseError) in
                    switch name {
                    case "method" where cursor.peek() == .string: method = try cursor.value().stringValue
                    case "url" where cursor.peek() == .string: url = try cursor.value().stringValue
                    case "method", "url": regular = false; try cursor.skip()
                    // The last of repeated members counts, as when the request is decoded.
                    case "postData": hasBody = cursor.peek() != .null; try cursor.skip()
                    default: try cursor.skip()
                    }
                }
                request = start..<cursor.offset
            case "response" where cursor.peek() == .object:
                response = try cursor.skip()
            case "request", "response":
                regular = false
                try cursor.skip()
            default:
                try cursor.skip()
            }
        }
        guard regular, let method, let url, let request, let response else { return nil }
        return Entry(method: method, url: url, hasBody: hasBody, stored: .inFile(request: request, response: response))
    }

    package func method(ofEntry index: Int) -> String { entries[index].method }

    package func url(ofEntry index: Int) -> String { entries[index].url }

    /// Whether the recorded request has a body: without one, and with no rule that compares
    /// headers, its method and URL are all that matching reads of it.
    func hasBody(ofEntry index: Int) -> Bool { entries[index].hasBody }

    /// `GET /api/public/coworkers/profiles?_shape=User`.
    func label(ofEntry index: Int) -> String {
        RequestShape.label(method: entries[index].method, url: entries[index].url)
    }

    package func request(at index: Int) throws(CassetteError) -> HAR.Request {
        switch entries[index].stored {
        case .decoded(let entry): entry.request
        case .inFile(let range, _): try decode(HAR.Request.self, at: range, place: "log.entries[\(index)].request")
        }
    }

    package func response(at index: Int) throws(CassetteError) -> HAR.Response {
        switch entries[index].stored {
        case .decoded(let entry): entry.response
        case .inFile(_, let range): try decode(HAR.Response.self, at: range, place: "log.entries[\(index)].response")
        }
    }

    /// The bytes of the file a response takes; 0 for one already decoded.
    package func responseSize(at index: Int) -> Int {
        switch entries[index].stored {
        case .decoded: 0
        case .inFile(_, let range): range.count
        }
    }

    private func decode<Part: HARDecodable>(_ part: Part.Type, at range: Range<Int>, place: String) throws(CassetteError) -> Part {
        try Self.decode(part, at: range, in: file!, place: place, path: path)
    }

    private static func decode<Part: HARDecodable>(
        _: Part.Type, at range: Range<Int>, in file: ScannedFile, place: String, path: String
    ) throws(CassetteError) -> Part {
        let bytes: [UInt8]
        do {
            bytes = try file.bytes(in: range)
        } catch {
            throw CassetteError(reading: path, error)
        }
        if let part = bytes.withUnsafeBufferPointer(Part.init(commonShapeIn:)) { return part }
        do throws(HARFormatError) {
            let value: JSONValue
            do throws(JSONParseError) {
                value = try JSONValue.parse(bytes)
            } catch {
                // Said of the part: the line and column of a part would mislead.
                throw HARFormatError(path: place, message: "not valid JSON: \(error.message)")
            }
            return try Part(try HARObjectReader(value, path: place))
        } catch {
            throw .notHAR(path: path, error)
        }
    }
}

/// A part of a HAR file that can be read from its JSON object.
protocol HARDecodable {
    init(_ reader: HARObjectReader) throws(HARFormatError)
    /// The part read in one pass from its bytes when its shape is the common one; nil leaves it
    /// to the reader above, which gives the same value or the exact error.
    init?(commonShapeIn bytes: UnsafeBufferPointer<UInt8>)
}

extension HARDecodable {
    init?(commonShapeIn bytes: UnsafeBufferPointer<UInt8>) { nil }
}

extension HAR.Entry: HARDecodable {}
extension HAR.Request: HARDecodable {}
extension HAR.Response: HARDecodable {}

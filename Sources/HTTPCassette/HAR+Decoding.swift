import JSONValues

// Reading HAR: a lenient reader of JSON objects that says where a file is wrong, and an
// initializer for each HAR type. Writing is in HAR+Encoding.swift.

/// Why a JSON document is not a usable HAR file, naming the place (`log.entries[2].request`).
public struct HARFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    package init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Reads one JSON object of a HAR file, tracking where it is for error messages.
struct HARObjectReader {
    let object: JSONObject
    let path: String

    init(_ value: JSONValue, path: String) throws(HARFormatError) {
        guard case .object(let object) = value else {
            throw HARFormatError(path: path, message: "expected an object, found \(value.kindName)")
        }
        self.object = object
        self.path = path
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func required(_ key: String) throws(HARFormatError) -> JSONValue {
        guard let value = object[key], !value.isNull else {
            throw HARFormatError(path: path.isEmpty ? "(top level)" : path, message: "'\(key)' is missing")
        }
        return value
    }

    func object(_ key: String) throws(HARFormatError) -> HARObjectReader {
        try HARObjectReader(try required(key), path: child(key))
    }

    func optionalObject(_ key: String) throws(HARFormatError) -> HARObjectReader? {
        guard let value = object[key], !value.isNull else { return nil }
        return try HARObjectReader(value, path: child(key))
    }

    func string(_ key: String) throws(HARFormatError) -> String {
        let value = try required(key)
        guard let text = value.stringValue else {
            throw HARFormatError(path: child(key), message: "expected a string, found \(value.kindName)")
        }
        return text
    }

    func optionalString(_ key: String) throws(HARFormatError) -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        if let text = value.stringValue { return text }
        // Some writers put numbers where the spec says string (`value: 42`); keep their text.
        if let number = value.numberValue { return number.text }
        if let flag = value.boolValue { return flag ? "true" : "false" }
        throw HARFormatError(path: child(key), message: "expected a string, found \(value.kindName)")
    }

    func int(_ key: String) throws(HARFormatError) -> Int {
        let value = try required(key)
        guard let number = value.numberValue?.intValue else {
            throw HARFormatError(path: child(key), message: "expected a whole number, found \(value.kindName)")
        }
        return number
    }

    func optionalInt(_ key: String) throws(HARFormatError) -> Int? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let number = value.numberValue else {
            throw HARFormatError(path: child(key), message: "expected a number, found \(value.kindName)")
        }
        if let whole = number.intValue { return whole }
        // Checked before the conversion: 1e300 (or anything past Int's range) is an error, not a trap.
        let rounded = number.doubleValue.rounded()
        guard abs(rounded) < 9.2e18 else {
            throw HARFormatError(path: child(key), message: "expected a whole number, found \(number), which is out of range")
        }
        return Int(rounded)
    }

    func optionalDouble(_ key: String) throws(HARFormatError) -> Double? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let number = value.numberValue else {
            throw HARFormatError(path: child(key), message: "expected a number, found \(value.kindName)")
        }
        return number.doubleValue
    }

    func optionalBool(_ key: String) throws(HARFormatError) -> Bool? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let flag = value.boolValue else {
            throw HARFormatError(path: child(key), message: "expected true or false, found \(value.kindName)")
        }
        return flag
    }

    func array(_ key: String) throws(HARFormatError) -> [HARObjectReader] {
        guard let value = object[key], !value.isNull else { return [] }
        guard case .array(let elements) = value else {
            throw HARFormatError(path: child(key), message: "expected an array, found \(value.kindName)")
        }
        var readers: [HARObjectReader] = []
        readers.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            readers.append(try HARObjectReader(element, path: "\(child(key))[\(index)]"))
        }
        return readers
    }

    /// The `_`-prefixed members.
    var extensions: JSONObject {
        JSONObject(object.members.filter { $0.key.hasPrefix("_") })
    }
}

extension HAR.Log {
    /// Reads a whole HAR document (`{"log": {…}}`).
    public init(document: JSONValue) throws(HARFormatError) {
        let root = try HARObjectReader(document, path: "")
        let log = try root.object("log")
        let creator = try log.optionalObject("creator").map { reader throws(HARFormatError) in try HAR.Creator(reader) }
        var entries: [HAR.Entry] = []
        for reader in try log.array("entries") { entries.append(try HAR.Entry(reader)) }
        if log.object["entries"] == nil {
            throw HARFormatError(path: "log", message: "'entries' is missing")
        }
        self.init(
            version: try log.optionalString("version") ?? "1.2",
            creator: creator ?? HAR.Creator(name: "unknown", version: ""),
            browser: try log.optionalObject("browser").map { reader throws(HARFormatError) in try HAR.Creator(reader) },
            pages: log.object["pages"],
            entries: entries,
            comment: try log.optionalString("comment"),
            extensions: log.extensions
        )
    }
}

extension HAR.Creator {
    init(_ reader: HARObjectReader) throws(HARFormatError) {
        self.init(
            name: try reader.optionalString("name") ?? "unknown",
            version: try reader.optionalString("version") ?? "",
            comment: try reader.optionalString("comment")
        )
    }
}

extension HAR.Entry {
    init(_ reader: HARObjectReader) throws(HARFormatError) {
        let timings = try reader.optionalObject("timings").map { reader throws(HARFormatError) in try HAR.Timings(reader) } ?? HAR.Timings()
        self.init(
            pageref: try reader.optionalString("pageref"),
            startedDateTime: try reader.optionalString("startedDateTime") ?? "",
            time: try reader.optionalDouble("time") ?? timings.total,
            request: try HAR.Request(try reader.object("request")),
            response: try HAR.Response(try reader.object("response")),
            cache: reader.object["cache"] ?? [:],
            timings: timings,
            serverIPAddress: try reader.optionalString("serverIPAddress"),
            connection: try reader.optionalString("connection"),
            comment: try reader.optionalString("comment"),
            extensions: reader.extensions
        )
    }
}

extension HAR.Request {
    init(_ reader: HARObjectReader) throws(HARFormatError) {
        self.init(
            method: try reader.string("method"),
            url: try reader.string("url"),
            httpVersion: try reader.optionalString("httpVersion") ?? "HTTP/1.1",
            cookies: try reader.array("cookies").map { reader throws(HARFormatError) in try HAR.Cookie(reader) },
            headers: try reader.array("headers").map { reader throws(HARFormatError) in try HAR.NameValue(reader) },
            queryString: try reader.array("queryString").map { reader throws(HARFormatError) in try HAR.NameValue(reader) },
            postData: try reader.optionalObject("postData").map { reader throws(HARFormatError) in try HAR.PostData(reader) },
            headersSize: try reader.optionalInt("headersSize") ?? -1,
            bodySize: try reader.optionalInt("bodySize") ?? -1,
            comment: try reader.optionalString("comment"),
            extensions: reader.extensions
        )
    }
}

extension HAR.Response {
    init(_ reader: HARObjectReader) throws(HARFormatError) {
        self.init(
            status: try reader.int("status"),
            statusText: try reader.optionalString("statusText") ?? "",
            httpVersion: try reader.optionalString("httpVersion") ?? "HTTP/1.1",
            cookies: try reader.array("cookies").map { reader throws(HARFormatError) in try HAR.Cookie(reader) },
            headers: try reader.array("headers").map { reader throws(HARFormatError) in try HAR.NameValue(reader) },
            content: try reader.optionalObject("content").map { reader throws(HARFormatError) in try HAR.Content(reader) } ?? HAR.Content(),
            redirectURL: try reader.optionalString("redirectURL") ?? "",
            headersSize: try reader.optionalInt("headersSize") ?? -1,
            bodySize: try reader.optionalInt("bodySize") ?? -1,
            comment: try reader.optionalString("comment"),
            extensions: reader.extensions
        )
    }
}

extension HAR.Content {
    init(_ reader: HARObjectReader) throws(HARFormatError) {
        self.init(
            size: try reader.optionalInt("size") ?? 0,
            compression: try reader.optionalInt("compression"),
            mimeType: try reader.optionalString("mimeType") ?? "",
            text: try reader.optionalString("text"),
            encoding: try reader.optionalString("encoding"),
            comment: try reader.optionalString("comment"),
            extensions: reader.extensions
        )
    }
}

extension HAR.PostData {
    init(_ reader: HARObjectReader) throws(HARFormatError) {
        let params = reader.object["params"] == nil
            ? nil : try reader.array("params").map { reader throws(HARFormatError) in try HAR.Param(reader) }
        self.init(
            mimeType: try reader.optionalString("mimeType") ?? "",
            params: params,
            text: try reader.optionalString("text"),
            comment: try reader.optionalString("comment"),
            extensions: reader.extensions
        )
    }
}

extension HAR.Param {
    init(_ reader: HARObjectReader) throws(HARFormatError) {
        self.init(
            name: try reader.string("name"),
            value: try reader.optionalString("value"),
            fileName: try reader.optionalString("fileName"),
            contentType: try reader.optionalString("contentType"),
            comment: try reader.optionalString("comment")
        )
    }
}

extension HAR.NameValue {
    init(_ reader: HARObjectReader) throws(HARFormatError) {
        self.init(
            name: try reader.string("name"),
            value: try reader.optionalString("value") ?? "",
            comment: try reader.optionalString("comment")
        )
    }
}

extension HAR.Cookie {
    init(_ reader: HARObjectReader) throws(HARFormatError) {
        self.init(
            name: try reader.string("name"),
            value: try reader.optionalString("value") ?? "",
            path: try reader.optionalString("path"),
            domain: try reader.optionalString("domain"),
            expires: try reader.optionalString("expires"),
            httpOnly: try reader.optionalBool("httpOnly"),
            secure: try reader.optionalBool("secure"),
            comment: try reader.optionalString("comment")
        )
    }
}

extension HAR.Timings {
    init(_ reader: HARObjectReader) throws(HARFormatError) {
        self.init(
            blocked: try reader.optionalDouble("blocked"),
            dns: try reader.optionalDouble("dns"),
            connect: try reader.optionalDouble("connect"),
            send: try reader.optionalDouble("send") ?? 0,
            wait: try reader.optionalDouble("wait") ?? 0,
            receive: try reader.optionalDouble("receive") ?? 0,
            ssl: try reader.optionalDouble("ssl"),
            comment: try reader.optionalString("comment")
        )
    }

    /// The entry's `time`: the sum of the phases that were measured (`ssl` is part of `connect`).
    var total: Double {
        [blocked, dns, connect, send, wait, receive].compactMap { $0 }.filter { $0 > 0 }.reduce(0, +)
    }
}

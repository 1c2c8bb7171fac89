import JSONValues

// Reading a served response straight from its bytes. A replay decodes one response for every
// request it answers; building a JSON tree of each and then reading the tree cost more than
// the rest of serving it. The common shape (what nexsh and most tools write) is read here in
// one pass; anything else, malformed or merely unusual (a null, a number where a string
// belongs, a member twice, cookies), is left to the tree-based reader in HAR+Decoding.swift,
// which gives the same value or the exact error. So this reader never decides what a
// response means, only how fast the usual one is read.

extension HAR.Response {
    /// The response in `bytes`, which hold its JSON object and nothing else; nil when its shape
    /// is not the common one (then ``init(_:)`` over the parsed tree reads it).
    init?(commonShapeIn bytes: UnsafeBufferPointer<UInt8>) {
        var reader = CommonShapeReader(bytes)
        guard let response = reader.response() else { return nil }
        self = response
    }
}

/// One pass over a response object in its common shape: every known member at most once, of
/// its usual type. `regular` turns false at the first thing that is not so, and the caller
/// then reads the bytes the slow, exact way.
private struct CommonShapeReader {
    var cursor: JSONCursor
    var regular = true

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        cursor = JSONCursor(bytes)
    }

    mutating func response() -> HAR.Response? {
        var status: Int?
        var statusText: String?
        var httpVersion: String?
        var headers: [HAR.NameValue]?
        var content: HAR.Content?
        var redirectURL: String?
        var headersSize: Int?
        var bodySize: Int?
        var comment: String?
        var cookiesSeen = false
        var extensions: [(key: String, value: JSONValue)] = []
        do throws(JSONParseError) {
            try cursor.beginDocument()
            try readMembers { name, reader throws(JSONParseError) in
                switch name {
                case "status": try reader.once(&status) { reader throws(JSONParseError) in try reader.int() }
                case "statusText": try reader.once(&statusText) { reader throws(JSONParseError) in try reader.string() }
                case "httpVersion": try reader.once(&httpVersion) { reader throws(JSONParseError) in try reader.string() }
                case "headers": try reader.once(&headers) { reader throws(JSONParseError) in try reader.nameValues() }
                case "content": try reader.once(&content) { reader throws(JSONParseError) in try reader.content() }
                case "redirectURL": try reader.once(&redirectURL) { reader throws(JSONParseError) in try reader.string() }
                case "headersSize": try reader.once(&headersSize) { reader throws(JSONParseError) in try reader.int() }
                case "bodySize": try reader.once(&bodySize) { reader throws(JSONParseError) in try reader.int() }
                case "comment": try reader.once(&comment) { reader throws(JSONParseError) in try reader.string() }
                case "cookies":
                    // Only an empty list is common enough to read here.
                    guard !cookiesSeen, reader.cursor.peek() == .array else {
                        reader.regular = false
                        return
                    }
                    cookiesSeen = true
                    var empty = true
                    try reader.cursor.readArray { _, cursor throws(JSONParseError) in
                        empty = false
                        try cursor.skip()
                    }
                    if !empty { reader.regular = false }
                default:
                    try reader.other(name, into: &extensions)
                }
            }
            try cursor.endDocument()
        } catch {
            return nil
        }
        guard regular, let status else { return nil }
        return HAR.Response(
            status: status, statusText: statusText ?? "", httpVersion: httpVersion ?? "HTTP/1.1", cookies: [], headers: headers ?? [],
            content: content ?? HAR.Content(), redirectURL: redirectURL ?? "", headersSize: headersSize ?? -1, bodySize: bodySize ?? -1,
            comment: comment, extensions: JSONObject(extensions)
        )
    }

    /// Each member of the object at the cursor; once the shape is irregular, the rest is
    /// passed over.
    private mutating func readMembers(_ member: (String, inout CommonShapeReader) throws(JSONParseError) -> Void) throws(JSONParseError) {
        guard cursor.peek() == .object else {
            regular = false
            return
        }
        var reader = self
        try cursor.readObject { name, cursor throws(JSONParseError) in
            reader.cursor = cursor
            if reader.regular { try member(name, &reader) }
            if !reader.regular, reader.cursor.offset == cursor.offset { try reader.cursor.skip() }
            cursor = reader.cursor
        }
        regular = reader.regular
    }

    /// Reads a member's value into `slot`, which must still be empty: a null, a second
    /// occurrence (the tree reader's "null is absent" and "the last one counts") or a value
    /// `read` does not take is irregular.
    private mutating func once<Value>(
        _ slot: inout Value?, _ read: (inout CommonShapeReader) throws(JSONParseError) -> Value?
    ) throws(JSONParseError) {
        guard slot == nil, cursor.peek() != .null else {
            regular = false
            return
        }
        slot = try read(&self)
        if slot == nil { regular = false }
    }

    private mutating func string() throws(JSONParseError) -> String? {
        guard cursor.peek() == .string else { return nil }
        return try cursor.value().stringValue
    }

    private mutating func int() throws(JSONParseError) -> Int? {
        guard cursor.peek() == .number else { return nil }
        return try cursor.value().numberValue?.intValue
    }

    /// `_name` members are kept, as the tree reader keeps them; any other unknown member is
    /// read (so that it is checked as JSON, as the tree reader checks it) and dropped.
    private mutating func other(_ name: String, into extensions: inout [(key: String, value: JSONValue)]) throws(JSONParseError) {
        let value = try cursor.value()
        if name.hasPrefix("_") { extensions.append((key: name, value: value)) }
    }

    private mutating func nameValues() throws(JSONParseError) -> [HAR.NameValue]? {
        guard cursor.peek() == .array else { return nil }
        var pairs: [HAR.NameValue] = []
        var reader = self
        try cursor.readArray { _, cursor throws(JSONParseError) in
            reader.cursor = cursor
            if reader.regular, let pair = try reader.nameValue() {
                pairs.append(pair)
            } else {
                reader.regular = false
                if reader.cursor.offset == cursor.offset { try reader.cursor.skip() }
            }
            cursor = reader.cursor
        }
        regular = reader.regular
        return regular ? pairs : nil
    }

    private mutating func nameValue() throws(JSONParseError) -> HAR.NameValue? {
        var name: String?
        var value: String?
        var comment: String?
        try readMembers { key, reader throws(JSONParseError) in
            switch key {
            case "name": try reader.once(&name) { reader throws(JSONParseError) in try reader.string() }
            case "value": try reader.once(&value) { reader throws(JSONParseError) in try reader.string() }
            case "comment": try reader.once(&comment) { reader throws(JSONParseError) in try reader.string() }
            default: _ = try reader.cursor.value()
            }
        }
        guard regular, let name else { return nil }
        return HAR.NameValue(name: name, value: value ?? "", comment: comment)
    }

    private mutating func content() throws(JSONParseError) -> HAR.Content? {
        var size: Int?
        var compression: Int?
        var mimeType: String?
        var text: String?
        var encoding: String?
        var comment: String?
        var extensions: [(key: String, value: JSONValue)] = []
        try readMembers { name, reader throws(JSONParseError) in
            switch name {
            case "size": try reader.once(&size) { reader throws(JSONParseError) in try reader.int() }
            case "compression": try reader.once(&compression) { reader throws(JSONParseError) in try reader.int() }
            case "mimeType": try reader.once(&mimeType) { reader throws(JSONParseError) in try reader.string() }
            case "text": try reader.once(&text) { reader throws(JSONParseError) in try reader.string() }
            case "encoding": try reader.once(&encoding) { reader throws(JSONParseError) in try reader.string() }
            case "comment": try reader.once(&comment) { reader throws(JSONParseError) in try reader.string() }
            default: try reader.other(name, into: &extensions)
            }
        }
        guard regular else { return nil }
        return HAR.Content(
            size: size ?? 0, compression: compression, mimeType: mimeType ?? "", text: text, encoding: encoding, comment: comment,
            extensions: JSONObject(extensions)
        )
    }
}

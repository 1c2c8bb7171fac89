import JSONValues

/// The one walk over a HAR file's text that every reader of a whole cassette shares: the top
/// level and the log are built as values, and each element of `log.entries` is handed to the
/// reader, who decodes it, reads past it or indexes it. The result is the document with an
/// empty entries array, which ``HAR/Log/init(document:)`` reads as the log's settings. An
/// `entries` that is not an array is kept as it is, for that reading to reject.
enum HARDocument {
    /// `entry` gets each element's position and a cursor before it, reads the element, and
    /// returns whether to go on; the result is nil when it stopped.
    static func walk(
        _ bytes: UnsafeBufferPointer<UInt8>, entry: (_ index: Int, _ cursor: inout JSONCursor) throws(JSONParseError) -> Bool
    ) throws(JSONParseError) -> JSONValue? {
        var cursor = JSONCursor(bytes)
        try cursor.beginDocument()
        guard cursor.peek() == .object else {
            let value = try cursor.value()
            try cursor.endDocument()
            return value
        }
        var stopped = false
        var top: [(key: String, value: JSONValue)] = []
        try cursor.readObject { name, cursor throws(JSONParseError) in
            guard name == "log", !stopped, cursor.peek() == .object else {
                top.append((name, try cursor.value()))
                return
            }
            var log: [(key: String, value: JSONValue)] = []
            try cursor.readObject { name, cursor throws(JSONParseError) in
                guard name == "entries", !stopped, cursor.peek() == .array else {
                    log.append((name, try cursor.value()))
                    return
                }
                try cursor.readArray { index, cursor throws(JSONParseError) in
                    if stopped {
                        try cursor.skip()
                    } else {
                        stopped = !(try entry(index, &cursor))
                    }
                }
                log.append((name, .array([])))
            }
            top.append((name, .object(JSONObject(log))))
        }
        try cursor.endDocument()
        return stopped ? nil : .object(JSONObject(top))
    }
}

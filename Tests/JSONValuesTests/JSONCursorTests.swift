import JSONValues
import Testing

/// Reading a text a value at a time: building some values, reading past others, and knowing
/// where each lay.
@Suite struct JSONCursorTests {
    /// Calls `body` with a cursor at the start of `text`'s one value.
    func reading<Result>(_ text: String, _ body: (inout JSONCursor) throws -> Result) throws -> Result {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer)
            try cursor.beginDocument()
            let result = try body(&cursor)
            try cursor.endDocument()
            return result
        }
    }

    @Test func membersAreVisitedInOrderAndSkippedValuesKeepTheirRanges() throws {
        let text = #"{"a": 1, "big": {"s": "]}\"]", "t": ["[", {"u": "\\"}]}, "c": [true, null, -1.5e3], "d": "x"}"#
        var seen: [String] = []
        var ranges: [String: Range<Int>] = [:]
        var built: [String: JSONValue] = [:]
        try reading(text) { cursor in
            try cursor.readObject { name, cursor throws(JSONParseError) in
                seen.append(name)
                if name == "c" {
                    var kinds: [JSONCursor.Kind?] = []
                    try cursor.readArray { _, cursor throws(JSONParseError) in
                        kinds.append(cursor.peek())
                        ranges["c\(kinds.count)"] = try cursor.skip()
                    }
                    #expect(kinds == [.bool, .null, .number])
                } else if name == "d" {
                    built[name] = try cursor.value()
                } else {
                    ranges[name] = try cursor.skip()
                }
            }
        }
        #expect(seen == ["a", "big", "c", "d"])
        #expect(built["d"] == "x")
        let bytes = Array(text.utf8)
        func slice(_ name: String) -> String { String(decoding: bytes[ranges[name]!], as: UTF8.self) }
        // A skipped value's range holds exactly the value, and parses as it would in place.
        #expect(slice("big") == #"{"s": "]}\"]", "t": ["[", {"u": "\\"}]}"#)
        #expect(try JSONValue.parse(bytes[ranges["big"]!]) == ["s": "]}\"]", "t": ["[", ["u": "\\"]]])
        #expect(slice("a") == "1")
        #expect(slice("c3") == "-1.5e3")
    }

    @Test func whatTheCursorBuildsIsWhatTheParserBuilds() throws {
        let text = #"{"n": [1, 2.5, -0, 1e2], "s": "\u00e9\ud83d\ude00\n", "o": {}, "e": [], "b": false}"#
        let whole = try JSONValue.parse(text)
        #expect(try reading(text) { try $0.value() } == whole)
        // A byte-order mark is passed over, as the parser passes it.
        #expect(try reading("\u{FEFF}[1]") { try $0.value() } == [1])
    }

    @Test func errorsSayWhereTheTextIsWrongWhicheverWayItIsRead() throws {
        // A fault inside a value is reported where it is, whether the value is built in a member
        // visit or by the parser.
        let broken = #"{"log": {"entries": [{"n": 1}, {"n": }]}}"#
        let visited = #expect(throws: JSONParseError.self) {
            try reading(broken) { cursor in
                try cursor.readObject { _, cursor throws(JSONParseError) in
                    try cursor.readObject { _, cursor throws(JSONParseError) in try cursor.readArray { _, cursor throws(JSONParseError) in _ = try cursor.value() } }
                }
            }
        }
        let plain = #expect(throws: JSONParseError.self) { try JSONValue.parse(broken) }
        #expect(visited == plain)
        #expect(visited?.column == 38)

        // A text cut inside a skipped array is not mistaken for a whole one.
        let cut = #"{"log": {"entries": [{"s": "a"}, {"s": "#
        let skipped = #expect(throws: JSONParseError.self) {
            try reading(cut) { cursor in try cursor.readObject { _, cursor throws(JSONParseError) in try cursor.readObject { _, cursor throws(JSONParseError) in try cursor.skip() } } }
        }
        #expect(skipped?.message == "unexpected end of text; the array here is never closed")
        #expect(skipped?.column == 21)

        // An unterminated string, skipped on its own.
        let string = #expect(throws: JSONParseError.self) { try reading(#"["abc"#) { cursor in try cursor.readArray { _, cursor throws(JSONParseError) in try cursor.skip() } } }
        #expect(string?.message == "unterminated string")

        // Going into the wrong kind of value says what was expected.
        let kind = #expect(throws: JSONParseError.self) { try reading("[1]") { cursor in try cursor.readObject { _, cursor throws(JSONParseError) in try cursor.skip() } } }
        #expect(kind?.message == "unexpected '['; expected an object")
        // Anything after the one value is refused.
        let trailing = #expect(throws: JSONParseError.self) { try reading("1 2") { try $0.skip() } }
        #expect(trailing?.message == "unexpected '2' after the JSON value")
    }

    /// Pretty text written as the value is read is the pretty text of the parsed value, and a
    /// text that is not JSON fails with the parser's error.
    @Test func prettyTextInOnePassIsThePrettyTextOfTheParsedValue() throws {
        let texts = [
            #"{"n": [1, 2.5, -0, 1e2, 1E-2], "s": "\u00e9\ud83d\ude00\n\/\u0001", "o": {}, "e": [], "b": false, "z": null}"#,
            #"[[], {}, [[{}]], {"a": {"b": {"c": []}}}, "", 0]"#,
            #"{"dup": 1, "dup": 2, "k\"ey": "v\\al"}"#,
            "\u{FEFF} [ 1 ,\n2 ]\t",
            #""just a string""#, "42", "true", "null", "{}", "[]",
            #"{"Profiles": [{"Id": 1, "FullName": "Jane Doe", "Active": true}, {"Id": 2, "FullName": "Sam Roe", "Active": false}]}"#,
        ]
        for text in texts {
            let onePass = try JSONValue.prettyText(of: Array(text.utf8))
            #expect(onePass == (try JSONValue.parse(text)).serialized(.pretty), "\(text)")
        }
        let broken = [#"{"a": }"#, #"[1, 2"#, #"{"a": 1} 2"#, #"["\q"]"#, "", #"{"a" 1}"#, "[" + String(repeating: "[", count: 600) + "]"]
        for text in broken {
            let onePass = #expect(throws: JSONParseError.self) { try JSONValue.prettyText(of: Array(text.utf8)) }
            let parsed = #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
            #expect(onePass == parsed, "\(text)")
        }
    }
}

import JSONValues
import Testing

/// Parsing a document whose one large array is handed over element by element.
@Suite struct StreamingParseTests {
    let text = #"{"log": {"version": "1.2", "entries": [{"n": 1}, {"n": 2}, {"n": 3}], "after": true}, "entries": [9]}"#

    @Test func elementsOfTheArrayAtThePathAreVisitedInOrderAndNotKept() throws {
        var seen: [Int: JSONValue] = [:]
        let skeleton = try JSONValue.parse(Array(text.utf8), streamingArrayAt: ["log", "entries"]) { index, element in
            seen[index] = element
            return true
        }
        #expect(seen.keys.sorted() == [0, 1, 2])
        #expect(seen[2] == ["n": 3])
        // Only that array: the same name elsewhere is parsed as usual.
        #expect(skeleton == (try JSONValue.parse(#"{"log": {"version": "1.2", "entries": [], "after": true}, "entries": [9]}"#)))
    }

    @Test func theVisitorCanStopAndErrorsKeepTheirPlace() throws {
        var count = 0
        let stopped = try JSONValue.parse(Array(text.utf8), streamingArrayAt: ["log", "entries"]) { _, _ in
            count += 1
            return count < 2
        }
        #expect(stopped == nil)
        #expect(count == 2)

        // A fault inside a streamed element is reported where it is, as by the plain parser.
        let broken = #"{"log": {"entries": [{"n": 1}, {"n": }]}}"#
        let streamed = #expect(throws: JSONParseError.self) {
            try JSONValue.parse(Array(broken.utf8), streamingArrayAt: ["log", "entries"]) { _, _ in true }
        }
        let plain = #expect(throws: JSONParseError.self) { try JSONValue.parse(broken) }
        #expect(streamed == plain)
        #expect(streamed?.column == 38)
        // Not an array there: parsed whole.
        #expect(try JSONValue.parse(Array(#"{"log": {"entries": 5}}"#.utf8), streamingArrayAt: ["log", "entries"]) { _, _ in true } == ["log": ["entries": 5]])
    }

    @Test func aSkippedArrayIsReadPastWithStringsThatLookLikeBrackets() throws {
        let tricky = #"{"log": {"entries": [{"s": "]}\"]"}, ["[", {"t": "\\"}]], "after": "x"}}"#
        let skeleton = try JSONValue.parse(Array(tricky.utf8), skippingArrayAt: ["log", "entries"])
        #expect(skeleton == ["log": ["entries": [], "after": "x"]])
        #expect(try JSONValue.parse(Array(text.utf8), skippingArrayAt: ["log", "entries"])
            == (try JSONValue.parse(#"{"log": {"version": "1.2", "entries": [], "after": true}, "entries": [9]}"#)))

        // A file cut inside the array is not mistaken for a whole one.
        let cut = #"{"log": {"entries": [{"s": "a"}, {"s": "#
        let error = #expect(throws: JSONParseError.self) { try JSONValue.parse(Array(cut.utf8), skippingArrayAt: ["log", "entries"]) }
        #expect(error?.message == "unexpected end of text; the array here is never closed")
        #expect(error?.column == 21)
    }
}

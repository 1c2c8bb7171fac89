import Foundation
import JSONValues
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindAndKeepsOrderAndNumberText() throws {
        let value = try JSONValue.parse(#" {"b": [1, 2.50, -3e2, true, false, null], "a": "x\"\u00e9\ud83d\ude00\n"} "#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["b", "a"])
        #expect(value["a"] == "x\"é😀\n")
        let numbers = try #require(value["b"]?.arrayValue)
        #expect(numbers.compactMap(\.numberValue).map(\.text) == ["1", "2.50", "-3e2"])
        #expect(value.serialized() == #"{"b":[1,2.50,-3e2,true,false,null],"a":"x\"é😀\n"}"#)
    }

    @Test func errorsSayWhereAndWhat() {
        let cases: [(String, String, Int, Int)] = [
            ("", "the text is empty; expected a JSON value", 1, 1),
            ("{\"a\": 1,\n  \"b\" 2}", "unexpected '2'; expected ':' after the member name", 2, 7),
            ("[1, 2", "unexpected end of text; expected ',' or ']'", 1, 6),
            ("{\"a\": tru}", "unexpected 't'; expected a value", 1, 7),
            ("\"abc", "unterminated string", 1, 1),
            ("01", "numbers cannot have leading zeros", 1, 2),
            ("[1] x", "unexpected 'x' after the JSON value", 1, 5),
            ("\"tab\there\"", "control character U+9 inside a string; it must be escaped", 1, 5),
            ("\"\\q\"", "invalid escape '\\q' in a string", 1, 3),
        ]
        for (text, message, line, column) in cases {
            #expect(throws: JSONParseError.self, "\(text)") { try JSONValue.parse(text) }
            do {
                _ = try JSONValue.parse(text)
            } catch {
                #expect(error.message == message, "\(text)")
                #expect(error.line == line, "\(text)")
                #expect(error.column == column, "\(text)")
            }
        }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
        #expect((try? JSONValue.parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100))) != nil)
    }

    @Test func invalidUTF8BecomesReplacementCharacters() throws {
        let value = try JSONValue.parse([0x22, 0x61, 0xFF, 0x62, 0x22])
        #expect(value == "a\u{FFFD}b")
    }
}

@Suite struct JSONValueSemanticsTests {
    @Test func equalityIgnoresMemberOrderAndNumberSpelling() throws {
        #expect(try JSONValue.parse(#"{"a":1,"b":[1.0,2e0]}"#) == JSONValue.parse(#"{"b":[1,2],"a":1.00}"#))
        #expect(try JSONValue.parse(#"{"a":1}"#) != JSONValue.parse(#"{"a":"1"}"#))
        #expect(try JSONValue.parse("[1,2]") != JSONValue.parse("[2,1]"))
        let set: Set<JSONValue> = [try JSONValue.parse(#"{"x":1,"y":2}"#), try JSONValue.parse(#"{"y":2.0,"x":1}"#)]
        #expect(set.count == 1)
    }

    @Test func canonicalTextIsTheSameForEqualValues() throws {
        #expect(try JSONValue.parse(#"{"b": 2.0, "a": {"d": 1e1, "c": null}}"#).canonicalText == #"{"a":{"c":null,"d":10},"b":2}"#)
    }

    @Test func prettyTextIsIndentedWithTwoSpaces() throws {
        let value = try JSONValue.parse(#"{"a":[1,{}],"b":{}}"#)
        #expect(value.serialized(.pretty) == "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": {}\n}")
        #expect(value.serialized([.pretty, .sortedKeys]).hasPrefix("{\n  \"a\""))
    }

    @Test func escapesControlCharactersOnly() {
        let value: JSONValue = "a/é\u{1}\u{7F}"
        #expect(value.serialized() == #""a/é\u0001\u007f""#)
    }

    @Test func codableRoundTrip() throws {
        struct Wrapper: Codable, Equatable { var any: JSONValue }
        let original = Wrapper(any: ["list": [1, 2.5, "x", nil, true], "nested": ["k": "v"]])
        let data = try JSONEncoder().encode(original)
        #expect(try JSONDecoder().decode(Wrapper.self, from: data) == original)
    }
}

@Suite struct JSONPathTests {
    let profiles: JSONValue = [
        "User": ["Id": 42, "AccessToken": "secret"],
        "Profiles": [["Id": 101, "FullName": "Jane Doe"], ["Id": 102, "FullName": "Acme Design Co."]],
    ]

    @Test func readsKeysIndexesAndWildcards() throws {
        #expect(try JSONPath(".Profiles[1].Id").values(in: profiles) == [102])
        #expect(try JSONPath("Profiles[*].FullName").values(in: profiles) == ["Jane Doe", "Acme Design Co."])
        #expect(try JSONPath("$.User.AccessToken").values(in: profiles) == ["secret"])
        #expect(try JSONPath(".Profiles[-1].Id").values(in: profiles) == [102])
        #expect(try JSONPath(".[0].Team.Name").values(in: [["Team": ["Name": "Tech Innovators"]]]) == ["Tech Innovators"])
        #expect(try JSONPath(#".["odd key"]"#).values(in: ["odd key": 1]) == [1])
        #expect(try JSONPath(".").values(in: profiles) == [profiles])
        #expect(try JSONPath(".Missing.Deeper").values(in: profiles).isEmpty)
    }

    @Test func replacesWhatItReaches() throws {
        let redacted = try JSONPath("User.AccessToken").replacing(in: profiles) { _ in "<redacted>" }
        #expect(redacted["User"]?["AccessToken"] == "<redacted>")
        #expect(redacted["User"]?["Id"] == 42)
        let renamed = try JSONPath(".Profiles[*].FullName").replacing(in: profiles) { _ in "x" }
        #expect(try JSONPath(".Profiles[*].FullName").values(in: renamed) == ["x", "x"])
        #expect(try JSONPath(".Nope").replacing(in: profiles) { _ in "x" } == profiles)
    }

    @Test func badPathsSayWhere() {
        let cases: [(String, Int)] = [("a..b", 3), (".a[", 4), (".a[x]", 4), (".a b", 3), (".a.", 3), (".a[1", 5)]
        for (text, column) in cases {
            do {
                _ = try JSONPath(text)
                Issue.record("\(text) should not parse")
            } catch {
                #expect(error.column == column, "\(text): \(error)")
            }
        }
    }
}

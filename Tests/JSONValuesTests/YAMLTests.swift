import Foundation
import JSONValues
import Testing
import Yams

/// `-o yaml`: what a YAML reader makes of the text is what a JSON reader makes of the body.
@Suite struct YAMLTests {
    /// The same data, read by Foundation from the JSON and by Yams from the YAML.
    func expectSameData(_ json: String, _ comment: Comment? = nil) throws {
        let value = try JSONValue.parse(json)
        let yaml = value.yaml()
        let fromYAML = try Yams.load(yaml: yaml)
        #expect(Self.same(value, fromYAML), "\(comment?.rawValue ?? json)\n--- yaml:\n\(yaml)")
    }

    /// Equal as data: numbers by value, null as nil or NSNull, containers member by member.
    static func same(_ json: JSONValue, _ yaml: Any?) -> Bool {
        switch (json, yaml) {
        case (.null, nil), (.null, is NSNull): return true
        case let (.bool(a), b as Bool): return a == b
        case let (.number(a), b as Int): return a.doubleValue == Double(b)
        case let (.number(a), b as Double): return a.doubleValue == b
        case let (.string(a), b as String): return a == b
        case let (.array(a), b as [Any]): return a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
        case let (.object(a), b as [String: Any]):
            return a.count == b.count && a.allSatisfy { key, value in b.keys.contains(key) && same(value, b[key] ?? nil) }
        default: return false
        }
    }

    @Test func stringsAYAMLReaderWouldTakeForSomethingElseAreQuoted() throws {
        let tricky = [
            "", " lead", "trail ", "2025-01-20", "2025-01-20T11:00:00", "10:00", "18:00–20:00", "yes", "no", "on", "off", "y", "n",
            "true", "False", "null", "~", "-", "- a", "-1", "+1", "1e3", "0x1F", ".5", ".inf", "a: b", "a:b", "a #b", "#x", "[x]", "{x}",
            "*ref", "&anchor", "!tag", "|", ">", "'", "\"", "%x", "@x", "`x", "=", "<<", "a,b", "line\nbreak", "tab\there", "\u{1B}[31m",
            "café", "日本語", "emoji 🎉", "Jane Doe", "jane.doe@example.com", "/api/public/teams/my", "£250.00", "Meeting Room 1",
        ]
        for text in tricky {
            try expectSameData(JSONValue.quoted(text), "\(text.debugDescription)")
            try expectSameData("{\(JSONValue.quoted(text)): \(JSONValue.quoted(text))}", "key \(text.debugDescription)")
        }
    }

    @Test func nestingNumbersAndEmptyContainers() throws {
        try expectSameData(#"{"Records": [{"Id": 8001, "Attendees": [{"CoworkerId": 101}], "Tags": [], "Meta": {}}], "HasNextPage": true, "Total": 250.0, "Ratio": -1.5e-3, "None": null}"#)
        try expectSameData(#"[[1, [2, []]], [], {}, [{"a": [{"b": null}]}], "x", 0, false]"#)
        try expectSameData(#"{"a": {"b": {"c": [1, {"d": "e"}]}}}"#)
        try expectSameData("42")
        #expect(try JSONValue.parse(#"{"Name": "Nexudus HQ", "Id": 7, "Tags": ["a", "b"]}"#).yaml() == """
            Name: Nexudus HQ
            Id: 7
            Tags:
              - a
              - b
            """)
    }

    /// Every answer the shipped scenarios recorded.
    @Test func everyRecordedBodyReadsTheSame() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = repository.appendingPathComponent("Cassettes")
        var bodies = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".har") {
            let har = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name))) as? [String: Any]
            let entries = (har?["log"] as? [String: Any])?["entries"] as? [[String: Any]] ?? []
            for entry in entries {
                guard let text = ((entry["response"] as? [String: Any])?["content"] as? [String: Any])?["text"] as? String,
                      (try? JSONValue.parse(text)) != nil else { continue }
                try expectSameData(text, "\(name)")
                bodies += 1
            }
        }
        #expect(bodies > 30)
    }
}

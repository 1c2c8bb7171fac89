import Foundation
import HTTPCassette
import JSONValues
import NexshAppTesting
import NexshTesting
import Testing

/// `nexsh cassette anonymize` on every shipped scenario: the anonymized bundle replays offline
/// as the original does, `--check` finds nothing in it, and none of the sandbox's people,
/// emails or ids is left in the file.
@Suite struct CassetteAnonymizeTests {
    static let repository = GoldenTranscriptTests.repository
    static let scenarios = GoldenTranscriptTests.scripts.map { ($0 as NSString).deletingPathExtension }

    func nexsh(_ arguments: [String], in directory: URL) async throws -> ProcessResult {
        try await InProcessNexsh.run(
            arguments, environment: ["NO_COLOR": "1", "NEXSH_SERVER": "http://127.0.0.1:9", "NEXSH_PASSWORD": ""], currentDirectory: directory
        )
    }

    /// The sandbox's people and their ids (users 42 and 43, profiles 101–202, teams 55 and 56,
    /// contracts 55 and 5001).
    static let personalTexts = ["jane.doe@example.com", "sam.roe@example.com", "Jane Doe", "Sam Roe", "Acme Design Co.", "Roe Ventures Ltd"]
    static let personalIDs: Set<Int> = [42, 43, 55, 56, 101, 102, 201, 202, 5001]

    @Test(arguments: scenarios)
    func anAnonymizedBundleReplaysAsTheOriginalAndIsClean(_ name: String) async throws {
        try await withTemporaryDirectory { directory in
            let (script, cassette) = (Self.repository.appendingPathComponent("Scripts/\(name).nexsh"), Self.repository.appendingPathComponent("Cassettes/\(name).har"))
            let created = try await nexsh(["bundle", "create", "bug.har", "--script", script.path, "--cassette", cassette.path], in: directory)
            try #require(created.status == 0, "\(created.standardOutput)\(created.standardError)")
            let original = try await nexsh(["run", "bug.har"], in: directory)
            try #require(original.status == 0, "\(original.standardOutput)\(original.standardError)")

            let anonymized = try await nexsh(["cassette", "anonymize", "bug.har", "-o", "anonymous.har"], in: directory)
            #expect(anonymized.status == 0, "\(anonymized.standardError)")
            #expect(anonymized.standardOutput.contains("replaced "))
            let replayed = try await nexsh(["run", "anonymous.har"], in: directory)
            #expect(replayed.status == original.status, "\(replayed.standardOutput)\(replayed.standardError)")
            #expect(replayed.standardError.split(separator: "\n").last == original.standardError.split(separator: "\n").last)

            let verified = try await nexsh(["cassette", "verify", "anonymous.har"], in: directory)
            #expect(verified.status == 0, "\(verified.standardOutput)")
            let checked = try await nexsh(["cassette", "anonymize", "--check", "anonymous.har"], in: directory)
            #expect(checked.status == 0, "\(checked.standardOutput)")
            let text = try String(contentsOf: directory.appendingPathComponent("anonymous.har"), encoding: .utf8)
            for personal in Self.personalTexts {
                #expect(!text.contains(personal), "\(name): \(personal)")
            }
            let ids = try Self.idsInStructure(Cassette.load(from: directory.appendingPathComponent("anonymous.har")))
            #expect(ids.isDisjoint(with: Self.personalIDs), "\(name): \(ids.intersection(Self.personalIDs).sorted())")
        }
    }

    @Test func theCheckFindsThePersonalDataOfARecordingAndASeparateScriptIsRewrittenToMatch() async throws {
        try await withTemporaryDirectory { directory in
            let (script, cassette) = ("Scripts/team-profiles-for-booking.nexsh", "Cassettes/team-profiles-for-booking.har")
            let found = try await nexsh(["cassette", "anonymize", "--check", Self.repository.appendingPathComponent(cassette).path], in: directory)
            #expect(found.status == 1)
            #expect(found.standardOutput.contains("entry 1 request form field username: jane.doe@example.com (an email)"), "\(found.standardOutput)")
            #expect(found.standardOutput.contains(".User.FullName: Jane Doe (a value of a personal field)"))

            let anonymized = try await nexsh(
                ["cassette", "anonymize", Self.repository.appendingPathComponent(cassette).path, "-o", "anonymous.har",
                 "--script", Self.repository.appendingPathComponent(script).path, "--script-out", "anonymous.nexsh"],
                in: directory
            )
            #expect(anonymized.status == 0, "\(anonymized.standardError)")
            let rewritten = try String(contentsOf: directory.appendingPathComponent("anonymous.nexsh"), encoding: .utf8)
            let mode = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("anonymous.nexsh").path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "a new script is its owner's alone")
            // Whole words: a fake id is six random digits, and one in ninety begins with 55.
            let namesRealId = { (line: String) in rewritten.range(of: "\\b\(line)\\b", options: .regularExpression) != nil }
            #expect(!rewritten.contains("jane.doe@example.com") && !namesRealId("switch 102") && !namesRealId("contract 55"), "\(rewritten)")
            #expect(rewritten.contains("expect count(.) == 2"), "counts are no ids")
            let replayed = try await nexsh(["run", "anonymous.nexsh", "--cassette", "anonymous.har"], in: directory)
            #expect(replayed.status == 0, "\(replayed.standardOutput)\(replayed.standardError)")
            // -o names a file that exists: refused without --force.
            let again = try await nexsh(["cassette", "anonymize", "anonymous.har", "-o", "anonymous.har"], in: directory)
            #expect(again.status == 2)
        }
    }

    @Test func aBundleIsRewrittenInPlaceWithItsVariables() async throws {
        try await withTemporaryDirectory { directory in
            try Data("""
                login jane.doe@example.com --password-env NEXSH_PASSWORD
                switch ${profile}
                expect .Profiles[1].IsDefaultProfile == true
                capture company .Profiles[1].FullName
                echo now acting as ${company}

                """.utf8).write(to: directory.appendingPathComponent("switch.nexsh"))
            // Recorded from the built-in sandbox.
            let created = try await InProcessNexsh.run(
                ["bundle", "create", "bug.har", "--script", "switch.nexsh", "--var", "profile=102"],
                environment: ["NO_COLOR": "1", "NEXSH_SERVER": "", "NEXSH_PASSWORD": "correct-horse"], currentDirectory: directory
            )
            try #require(created.status == 0, "\(created.standardOutput)\(created.standardError)")
            let anonymized = try await nexsh(["cassette", "anonymize", "bug.har"], in: directory)
            #expect(anonymized.status == 0, "\(anonymized.standardError)")
            #expect(anonymized.standardOutput.hasPrefix("bug.har: anonymized "))
            let log = try Cassette.load(from: directory.appendingPathComponent("bug.har")).log
            let profile = try #require(log.extensions["_variables"]?["profile"]?.stringValue)
            #expect(profile != "102" && Int(profile) != nil)
            let replayed = try await nexsh(["run", "bug.har"], in: directory)
            #expect(replayed.status == 0, "\(replayed.standardOutput)\(replayed.standardError)")
            #expect(replayed.standardOutput.contains("now acting as Company "), "\(replayed.standardOutput)")
        }
    }

    /// The numbers where ids stand: URL path segments and query values, and id members of JSON
    /// bodies (not the digits of dates or prices).
    static func idsInStructure(_ cassette: Cassette) -> Set<Int> {
        var ids: Set<Int> = []
        func walk(_ value: JSONValue, key: String?) {
            switch value {
            case .object(let object): for member in object.members { walk(member.value, key: member.key) }
            case .array(let elements): for element in elements { walk(element, key: key) }
            case .number(let number): if let key, key.hasSuffix("Id"), let id = number.intValue { ids.insert(id) }
            case .string(let text): if let key, key.hasSuffix("Id") || key.hasSuffix("IdString"), let id = Int(text) { ids.insert(id) }
            default: break
            }
        }
        for entry in cassette.entries {
            let url = entry.request.url
            for word in url.split(whereSeparator: { "/?&=".contains($0) }) { if let id = Int(word) { ids.insert(id) } }
            for body in [entry.request.postData?.text, entry.response.content.text].compactMap({ $0 }) {
                if let document = try? JSONValue.parse(Array(body.utf8)) { walk(document, key: nil) }
            }
        }
        return ids
    }
}

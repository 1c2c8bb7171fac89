import Foundation
import HTTPCassette
import JSONValues
import NexshAppTesting
import NexshTesting
import Sandbox
import Testing

/// `nexsh cassette rerecord`: a re-recording reviewed change by change against the old one,
/// rejected exchanges kept byte for byte.
@Suite struct RerecordTests {
    let bundles = BundleTests()

    /// Records the drift-check script into `shapes.har`; returns the file's bytes.
    func recordShapes(in directory: URL) async throws -> Data {
        try bundles.write(BundleTests.shapes, to: "shapes.nexsh", in: directory)
        let recorded = try await bundles.nexsh(["run", "shapes.nexsh", "--cassette", "shapes.har", "--mode", "record"], in: directory)
        #expect(recorded.status == 0, "\(recorded.standardError)")
        return try Data(contentsOf: directory.appendingPathComponent("shapes.har"))
    }

    /// Each entry's text as the cassette writer writes it.
    func entryTexts(_ data: Data) throws -> [String] {
        try Cassette.parse(data, path: "shapes.har").entries.map { $0.json.serialized(.pretty, indentLevel: 3) }
    }

    @Test func aReviewTakesTheValueDriftAndKeepsTheRejectedSchemaDriftByteForByte() async throws {
        try await withTemporaryDirectory { directory in
            let old = try await recordShapes(in: directory)
            let review = try await bundles.nexsh(
                ["cassette", "rerecord", "shapes.har", "--script", "shapes.nexsh", "--sandbox-revision", "revised", "--sandbox-port", "0", "--accept", "unchanged,value"],
                in: directory
            )
            #expect(review.status == 0, "\(review.standardError)")
            #expect(review.standardError.contains("review of shapes.har: 1 unchanged, 1 value drift, 2 schema drift, 0 new, 0 gone\n"))
            #expect(review.standardError.contains("accepted 2 (1 unchanged, 1 value drift), rejected 2 (2 schema drift)\n"))
            #expect(review.standardError.contains("wrote shapes.har: "))

            let written = try Data(contentsOf: directory.appendingPathComponent("shapes.har"))
            let text = String(decoding: written, as: UTF8.self)
            let before = try entryTexts(old)
            let after = try entryTexts(written)
            #expect(after.count == 4)
            // The value drift is taken: the business has its new name.
            #expect(after[2].contains("Nexudus HQ (Headquarters)"))
            #expect(!before[2].contains("Nexudus HQ (Headquarters)"))
            // The two rejected schema drifts are the old entries, byte for byte, in the file.
            for index in [1, 3] {
                #expect(after[index] == before[index])
                #expect(text.contains(before[index]))
                #expect(!after[index].contains("PortalTheme"))
            }
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("shapes.har.lock").path))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains("rerecord") }
            #expect(leftovers.isEmpty, "the temporary recording is removed")
        }
    }

    @Test func withoutATerminalOnlyTheAcceptedKindsAreTakenAndNoneLeavesTheFileAsItWas() async throws {
        try await withTemporaryDirectory { directory in
            let old = try await recordShapes(in: directory)
            let none = try await bundles.nexsh(
                ["cassette", "rerecord", "shapes.har", "--script", "shapes.nexsh", "--sandbox-revision", "revised", "--sandbox-port", "0", "--accept", "none"], in: directory
            )
            #expect(none.status == 0)
            #expect(none.standardError.contains("accepted 0, rejected 4 (1 unchanged, 1 value drift, 2 schema drift)\n"))
            #expect(none.standardError.contains("shapes.har is unchanged\n"))
            #expect(try Data(contentsOf: directory.appendingPathComponent("shapes.har")) == old)

            let all = try await bundles.nexsh(
                ["cassette", "rerecord", "shapes.har", "--script", "shapes.nexsh", "--sandbox-revision", "revised", "--sandbox-port", "0", "--accept", "all"], in: directory
            )
            #expect(all.standardError.contains("accepted 4 (1 unchanged, 1 value drift, 2 schema drift), rejected 0\n"))
            let after = try entryTexts(Data(contentsOf: directory.appendingPathComponent("shapes.har")))
            #expect(after[3].contains("PortalTheme"))

            let wrong = try await bundles.nexsh(["cassette", "rerecord", "shapes.har", "--script", "shapes.nexsh", "--accept", "value,bogus"], in: directory)
            #expect(wrong.status == 3)
            #expect(wrong.standardError.contains("--accept must list unchanged, value, schema, new or gone (or all, or none), separated by commas, not 'value,bogus'"))
        }
    }

    @Test func reRecordingAnUnchangedAPIChangesOnlyTheRecordingsDatesAndTimings() async throws {
        try await withTemporaryDirectory { directory in
            // One server for both recordings, so that the URLs stay as they were (the built-in
            // sandbox takes the old recording's port for that, which a test running alongside may hold).
            let (old, review) = try await withSandbox { sandbox in
                let server = sandbox.baseURL.absoluteString
                try bundles.write(BundleTests.shapes, to: "shapes.nexsh", in: directory)
                #expect(try await bundles.nexsh(["run", "shapes.nexsh", "--server", server, "--cassette", "shapes.har", "--mode", "record"], in: directory).status == 0)
                let old = try Data(contentsOf: directory.appendingPathComponent("shapes.har"))
                return (old, try await bundles.nexsh(["cassette", "rerecord", "shapes.har", "--script", "shapes.nexsh", "--server", server], in: directory))
            }
            #expect(review.status == 0, "\(review.standardError)")
            #expect(review.standardError.contains("review of shapes.har: 4 unchanged, 0 value drift, 0 schema drift, 0 new, 0 gone\n"))
            let before = String(decoding: old, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let after = try String(decoding: Data(contentsOf: directory.appendingPathComponent("shapes.har")), as: UTF8.self)
                .split(separator: "\n", omittingEmptySubsequences: false)
            #expect(before.count == after.count)
            let changed = zip(before, after).filter { $0 != $1 }.map(\.1)
            let dated = [#""startedDateTime": "#, #""time": "#, #""wait": "#, #""receive": "#, #""value": ""#]
            for line in changed {
                #expect(dated.contains { line.trimmingCharacters(in: .whitespaces).hasPrefix($0) }, "\(line)")
            }
            // A "value" that changed is the Date header's: the line before names it.
            for (index, pair) in zip(before, after).enumerated() where pair.0 != pair.1 && pair.1.contains(#""value": "#) {
                #expect(after[index - 1].contains(#""name": "Date""#))
            }
        }
    }

    @Test func atATerminalEachChangeIsAskedAndQuitKeepsTheOldFile() async throws {
        try await withTemporaryDirectory { directory in
            let old = try await recordShapes(in: directory)
            var environment = PseudoTerminal.shellEnvironment(home: directory)
            environment["NEXSH_PASSWORD"] = "correct-horse"
            let arguments = ["cassette", "rerecord", "shapes.har", "--script", "shapes.nexsh", "--sandbox-revision", "revised", "--sandbox-port", "0"]
            let question = "q quit keeping the old file: "

            let quitting = try PseudoTerminal(BuildProducts.nexsh, arguments, environment: environment, currentDirectory: directory)
            defer { quitting.stop() }
            try await quitting.waitFor(question)
            quitting.type("q\r")
            try await quitting.waitFor("quit: shapes.har is as it was")
            #expect(try await quitting.waitForExit() == 0)
            #expect(try Data(contentsOf: directory.appendingPathComponent("shapes.har")) == old)

            let answering = try PseudoTerminal(BuildProducts.nexsh, arguments, environment: environment, currentDirectory: directory)
            defer { answering.stop() }
            // In the order the script asked: login's profiles (schema), the business (value), the profiles (schema).
            try await answering.waitFor("[1/3] #2 GET /api/public/coworkers/profiles — schema drift: ")
            try await answering.waitFor(question)
            answering.type("r\r")
            try await answering.waitFor(#"[2/3] #3 GET /api/public/coworkers/profiles?_shape=DefaultBusiness — value drift: changed value .DefaultBusiness.Name: "Nexudus HQ" → "Nexudus HQ (Headquarters)""#)
            try await answering.waitFor(question)
            answering.type("a\r")
            try await answering.waitFor("[3/3] #4 ")
            try await answering.waitFor(question)
            answering.type("x\r")
            try await answering.waitFor(question)
            answering.type("r\r")
            try await answering.waitFor("accepted 2 (1 unchanged, 1 value drift), rejected 2 (2 schema drift)")
            #expect(try await answering.waitForExit() == 0)
            let before = try entryTexts(old)
            let after = try entryTexts(Data(contentsOf: directory.appendingPathComponent("shapes.har")))
            #expect(after[1] == before[1] && after[3] == before[3])
            #expect(after[2].contains("Nexudus HQ (Headquarters)"))
        }
    }
}

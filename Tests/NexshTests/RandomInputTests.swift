import Foundation
import InputChecks
import Sandbox
import Testing

/// Thousands of mutated scripts and cassettes, from a fixed seed: none may crash nexsh, and
/// every script error has a place. Each kind runs in a child process (an exit test), so that a
/// crash fails the test instead of killing the runner; the child leaves the input it is on in
/// a breadcrumb file, which a failure reports (and a pass removes).
@Suite struct RandomInputTests {
    @Test func mutatedScriptsNeverCrashAndAlwaysSayWhere() async throws {
        await #expect(processExitsWith: .success) {
            let seeds = RandomInputs.seeds(folder: "Scripts", extension: "nexsh")
            RandomInputs.mutate(seeds, count: 5000, seed: 0x6E65_7873_6801, check: InputChecks.checkScript)
        }
        try RandomInputs.reportBreadcrumb(seed: 0x6E65_7873_6801)
    }

    @Test func mutatedCassettesNeverCrash() async throws {
        await #expect(processExitsWith: .success) {
            let seeds = RandomInputs.seeds(folder: "Cassettes", extension: "har").filter { $0.count < 16_000 }
            RandomInputs.mutate(seeds, count: 2000, seed: 0x6E65_7873_6802, check: InputChecks.checkCassette)
        }
        try RandomInputs.reportBreadcrumb(seed: 0x6E65_7873_6802)
    }
}

enum RandomInputs {
    /// Pieces that matter to the readers: quotes, escapes, variables, JSON punctuation, HAR keys.
    static let tokens: [[UInt8]] = [
        "\"", "'", "\\", "${", "}", "${env.", "--", "--body", "\n", "\r\n", "\t", " ", "#", "=", "[", "]", "{", "}", ":", ",",
        "expect ", "capture x ", "set ", "source ", ".a[0]", "[*]", "count(", "null", "true", "-1e999", "\"encoding\": \"base64\"",
        "\"text\": \"%%%\"", "\"entries\"", "\"request\"", "\"status\": \"x\"", "\\u0000", "\\ud800", "é", "😀",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82], [0x00]]

    static func seeds(folder: String, extension: String) -> [[UInt8]] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let directory = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let seeds = names.filter { $0.hasSuffix("." + `extension`) }.sorted().compactMap {
            try? Array(Data(contentsOf: directory.appendingPathComponent($0)))
        }
        precondition(!seeds.isEmpty, "no seeds in \(directory.path)")
        return seeds
    }

    static func mutate(_ seeds: [[UInt8]], count: Int, seed: UInt64, check: ([UInt8]) -> Void) {
        var random = SplitMix64(seed: seed)
        for iteration in 0..<count {
            var input = seeds[Int(random.next() % UInt64(seeds.count))]
            for _ in 0...(random.next() % 4) {
                let position = input.isEmpty ? 0 : Int(random.next() % UInt64(input.count + 1))
                switch random.next() % 5 {
                case 0 where position < input.count:
                    input[position] = UInt8(truncatingIfNeeded: random.next())
                case 1 where position < input.count:
                    let end = min(input.count, position + 1 + Int(random.next() % 64))
                    input.removeSubrange(position..<end)
                case 2:
                    input.insert(contentsOf: tokens[Int(random.next() % UInt64(tokens.count))], at: position)
                case 3:
                    let other = seeds[Int(random.next() % UInt64(seeds.count))]
                    let from = other.isEmpty ? 0 : Int(random.next() % UInt64(other.count))
                    input = Array(input[..<position]) + Array(other[from...])
                default:
                    input = Array(input[..<position])
                }
            }
            try? Data("input \(iteration) of seed \(String(seed, radix: 16)), base64:\n\(Data(input).base64EncodedString())\n".utf8)
                .write(to: breadcrumb(seed: seed))
            check(input)
        }
        try? FileManager.default.removeItem(at: breadcrumb(seed: seed))
    }

    static func breadcrumb(seed: UInt64) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("nexsh-random-input-\(String(seed, radix: 16)).txt")
    }

    /// A breadcrumb left means the child died on that input: report it, then clean up.
    static func reportBreadcrumb(seed: UInt64) throws {
        let file = breadcrumb(seed: seed)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return }
        try FileManager.default.removeItem(at: file)
        Issue.record("the child stopped on \(text)")
    }
}

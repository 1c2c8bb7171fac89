import Foundation
import JSONValues
import NexudusCommands
import ShellCore
import Testing

/// `-o table|json|yaml` on every command that shows an answer; `--json` is `-o json`.
@Suite struct OutputFormatTests {
    @Test func jsonIsTheBodyAsReceivedAndYAMLTheSameData() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let json = try await shell.run("business --json")
            #expect(try await shell.run("business -o json") == json)
            #expect(try await shell.run("business --output=json") == json)
            let yaml = try await shell.run("business -o yaml")
            #expect(yaml.hasPrefix("Id: 7\nName: Nexudus HQ\n"), "\(yaml)")
            #expect(yaml.contains("\nCurrency:\n  Code: GBP\n"), "\(yaml)")
            #expect(try await shell.run("business -o table") == (try await shell.run("business")))

            let raw = try await shell.run("get /api/public/businesses/current -o yaml")
            #expect(raw == yaml, "a raw request shows the body alone, as with --json")
        }
    }

    @Test func everyPageOfAListAsOneYAMLSequence() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let yaml = try await shell.run("events --all -o yaml")
            let records = yaml.split(separator: "\n").filter { $0.hasPrefix("- Id: ") }
            #expect(records.count == 60)
            #expect(records.first == "- Id: 8001")
            #expect(yaml.contains("  StartDate: \"2024-11-01T18:00:00\"\n"), "a date-time is quoted: \(yaml.prefix(400))")
        }
    }

    @Test func aFailedRequestsBodyComesInTheFormatAskedFor() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            await #expect(throws: ShellError.self) { try await shell.run("team 999 -o yaml") }
            let shown = shell.output.text.suffix(300)
            #expect(shown.contains("\nMessage: ") && !shown.contains("\"Message\":"), "as YAML, not JSON: \(shown)")
        }
    }

    @Test func formatMistakesAreUsageErrors() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let sent = shell.requests.count
            for (line, message) in [
                ("business -o xml", "'xml' is not an output format: expected table, json or yaml"),
                ("business --json -o yaml", "--json is -o json: give one of them"),
                ("business -o", "--output needs a value <format>"),
            ] {
                await #expect {
                    try await shell.run(line)
                } throws: { error in
                    guard case .usage(_, let text, _, _, _) = error as? ShellError else { return false }
                    return text.contains(message)
                }
            }
            #expect(shell.requests.count == sent)
            // `-o` completes its formats; a word like `-5` is no option, and stays an argument.
            #expect(await Completer.complete("business -o ", in: shell.context).map(\.value) == ["table", "json", "yaml"])
            await #expect(throws: ShellError.self) { try await shell.run("contract -5") }
        }
    }
}

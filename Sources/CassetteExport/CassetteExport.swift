import Foundation
import HTTPCassette
import HTTPValues
import ShellCore

/// A cassette's exchanges for other tools: curl commands (``curl(_:entry:redaction:)``) and a
/// Hurl file (``HurlFile``). Entries are redacted once more with the rules given, so that an
/// unredacted HAR from elsewhere exports no secret either; a cassette's own are already
/// placeholders, which the exports turn into variables.
public enum CassetteExport {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Entry `entry` (counted from 1, as `cassette inspect` counts), or all of them.
    public static func entries(of cassette: Cassette, entry: Int?, redaction: RedactionRules) throws(Failure) -> [(number: Int, entry: HAR.Entry)] {
        var redactor = Redactor(rules: redaction)
        let numbered = cassette.entries.enumerated().map { (number: $0.offset + 1, entry: $0.element) }
        let chosen: [(number: Int, entry: HAR.Entry)]
        if let entry {
            guard numbered.indices.contains(entry - 1) else {
                throw Failure(description: "there is no entry \(entry): the cassette has \(cassette.entries.count)")
            }
            chosen = [numbered[entry - 1]]
        } else {
            chosen = numbered
        }
        return chosen.map { ($0.number, redactor.redact($0.entry)) }
    }

    /// `# N: METHOD URL → status` and the entry's curl command, for each entry.
    public static func curl(_ cassette: Cassette, entry: Int? = nil, redaction: RedactionRules) throws(Failure) -> String {
        var blocks: [String] = []
        for (number, entry) in try entries(of: cassette, entry: entry, redaction: redaction) {
            let title = "# \(number): \(entry.request.method) \(entry.request.url) → \(entry.response.status)"
            do {
                blocks.append(Terminal.safe(title) + "\n" + (try CurlCommand.render(entry.request.httpRequest())))
            } catch {
                throw Failure(description: "entry \(number): \(error)")
            }
        }
        return blocks.joined(separator: "\n\n")
    }
}

import Foundation

/// What "fails in the same way" means when a bundle is shrunk: the first failure's line, by its
/// text (its number shifts as lines go), and either the failed expectation's expected and actual
/// values with the request whose answer it read, or the error's first line with its volatile
/// parts (places, line and entry numbers, entry counts) taken out. (Without the request, an
/// `expect .[1].Id == 5` that finds nothing would "fail the same way" against any short list,
/// and the request it was about could be shrunk away.) A replay that fails elsewhere, or otherwise (a replay miss where an
/// expectation failed, a script that no longer reads), is another failure.
public struct FailureSignature: Hashable, Sendable, CustomStringConvertible {
    /// The failing line as written, trimmed; empty for a failure at no line.
    public let line: String
    public let detail: String

    /// A failed expectation; `answering` is the request whose answer it read (`GET /api/…`),
    /// nil when none had been sent.
    public init(line: String, expected: String, actual: String, answering request: String?) {
        self.line = line.trimmingCharacters(in: .whitespaces)
        detail = "expected \(expected), got \(actual)" + (request.map { " in the answer to \($0)" } ?? "")
    }

    /// Any other failure, as the run rendered it.
    public init(line: String?, message: String) {
        self.line = (line ?? "").trimmingCharacters(in: .whitespaces)
        detail = Self.stable(message)
    }

    public var description: String {
        line.isEmpty ? detail : "'\(line)': \(detail)"
    }

    /// The message's first line without what changes when lines and entries are removed:
    /// `file:12:3: ` places, `line 12`, entry numbers `#4` and counts `(…, 9 entries)`.
    static func stable(_ message: String) -> String {
        var text = String(message.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        let volatile: [(pattern: String, replacement: String)] = [
            (#"^[^\n]*?:\d+:\d+: "#, ""),
            (#"\bline \d+"#, "line N"),
            (#"#\d+"#, "#N"),
            (#"\b\d+ entr(y|ies)\b"#, "N entries"),
        ]
        for (pattern, replacement) in volatile {
            text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return text
    }
}

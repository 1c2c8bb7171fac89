import Foundation
import HTTPValues
import Secrets

/// A request as one `curl` command that sends it again: for `last --curl` and
/// `cassette export --curl`. It is made from a request whose secrets are already their
/// redaction placeholders, so no secret can reach it; the bearer token becomes a reference to
/// an environment variable, which the shell fills in when the command runs.
public enum CurlCommand {
    /// Where the command reads the bearer token from.
    public static let tokenVariable = "NEXSH_TOKEN"

    /// Headers left out: curl writes them itself from the command (`Host` from the URL,
    /// `Content-Length` from the body), or they describe one transfer only (hop-by-hop headers,
    /// `Expect`). `Accept-Encoding` too: curl would print a compressed answer as it came, and
    /// `--compressed` is the way to ask for one.
    public static let omittedHeaders: Set<String> = [
        "host", "content-length", "accept-encoding", "connection", "keep-alive", "transfer-encoding", "te", "upgrade", "expect",
    ]

    public struct Unrepeatable: Error, CustomStringConvertible {
        public let description: String
    }

    /// `curl 'https://…' \` and its options, one a line. Placeholders of secrets other than the
    /// bearer token (a password in a sign-in form) stay as they are, and a `#` comment line
    /// before the command names them: the command then sends the placeholder, and says so.
    public static func render(_ request: HTTPRequest) throws(Unrepeatable) -> String {
        // `curl 'URL'` on the first line, the options after it (curl takes them in any order).
        var words: [String] = []
        var placeholders: [String] = []
        do throws(ShellQuoting.UnquotableByte) {
            let url = request.url.absoluteString
            // curl reads [] and {} in a URL as ranges and sets unless told not to.
            if url.contains(where: { "[]{}".contains($0) }) { words.append("--globoff") }
            switch (request.method, request.body.isEmpty) {
            case (.get, true), (.post, false): break
            // -X HEAD would wait for a body that never comes.
            case (.head, true): words.append("--head")
            default: words.append("-X " + (try ShellQuoting.quote(request.method.rawValue)))
            }
            words.insert("curl " + (try ShellQuoting.quote(url)), at: 0)
            placeholders += Placeholder.names(in: url)
            for header in request.headers where !omittedHeaders.contains(header.name.lowercased()) {
                if isBearerCredential(header) {
                    // The name is `authorization` in some case: letters, safe in double quotes.
                    words.append("-H \"\(header.name): Bearer $\(tokenVariable)\"")
                } else {
                    words.append("-H " + (try ShellQuoting.quote("\(header.name): \(header.value)")))
                    placeholders += Placeholder.names(in: header.value)
                }
            }
            if !request.body.isEmpty {
                // Without one, curl would label the body a form.
                if !request.headers.contains("Content-Type") { words.append("-H 'Content-Type:'") }
                // --data-binary reads a file when the body starts with @; --data-raw never does.
                let option = request.body.first == UInt8(ascii: "@") ? "--data-raw" : "--data-binary"
                words.append(option + " " + (try ShellQuoting.quote(bytes: request.body)))
                placeholders += Placeholder.names(in: String(decoding: request.body, as: UTF8.self))
            }
        } catch {
            throw Unrepeatable(description: "\(request.label) cannot be written as a curl command: \(error)")
        }
        var lines: [String] = []
        let named = placeholders.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        if !named.isEmpty {
            lines.append("# sends " + named.map { Placeholder.text($0) }.joined(separator: ", ") + " where the secret was: put its value in")
        }
        lines.append(words.joined(separator: " \\\n  "))
        return lines.joined(separator: "\n")
    }

    /// `Authorization: <redacted:authorization>` (how a cassette keeps it) or `Bearer …`.
    public static func isBearerCredential(_ header: HTTPHeader) -> Bool {
        guard header.name.lowercased() == "authorization" else { return false }
        return Placeholder.isPlaceholder(header.value) || header.value.lowercased().hasPrefix("bearer ")
    }
}

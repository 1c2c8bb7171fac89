import Foundation
import JSONValues
import Transport

/// Showing response bodies: JSON pretty-printed in the server's member order, text as text,
/// binary as a size; always safe for a terminal and capped in length.
public enum BodyRenderer {
    /// Bodies longer than this are cut, with a note; the cassette keeps them whole.
    public static let displayLimit = 1 << 20

    public static func render(_ response: HTTPResponse, style: TextStyle = .plain) -> String {
        let body = response.body
        guard !body.isEmpty else { return style.dim("(empty body)") }
        let shown = body.count > displayLimit ? body.prefix(displayLimit) : body
        var text: String
        if body.count <= displayLimit, let json = try? JSONValue.parse(body) {
            text = Terminal.safe(json.serialized(.pretty), keepingNewlines: true)
        } else if let decoded = String(data: shown, encoding: .utf8) ?? (body.count > displayLimit ? String(decoding: shown, as: UTF8.self) : nil) {
            text = Terminal.safe(decoded, keepingNewlines: true)
        } else {
            return style.dim("(\(body.count) bytes of \(response.headers["Content-Type"] ?? "binary data"))")
        }
        if body.count > displayLimit {
            text += "\n" + style.dim("… (\(displayLimit) of \(body.count) bytes shown)")
        }
        return text
    }

    /// `HTTP/1.1 200 OK` and the headers, one per line.
    public static func renderHead(_ response: HTTPResponse, style: TextStyle = .plain) -> String {
        var lines = [style.status(response.status, "\(response.httpVersion) \(response.status) \(Terminal.safe(response.reason))")]
        for header in response.headers {
            lines.append(style.dim(Terminal.safe(header.name) + ":") + " " + Terminal.safe(header.value))
        }
        return lines.joined(separator: "\n")
    }
}

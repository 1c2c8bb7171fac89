import Foundation
import HTTPValues
import JSONValues

/// Showing requests and responses: bodies JSON pretty-printed in the server's member order, text as text,
/// binary as a size; always safe for a terminal and capped in length.
public enum BodyRenderer {
    /// Bodies longer than this are cut, with a note; the cassette keeps them whole.
    public static let displayLimit = 1 << 20

    /// How a body is shown when asked for as data (`-o json`, `-o yaml`).
    public enum Format: Sendable {
        case json, yaml

        func text(_ json: JSONValue) -> String {
            switch self {
            case .json: json.serialized(.pretty)
            case .yaml: json.yaml()
            }
        }

        /// The JSON text in `bytes` in this format; throws if it is not JSON.
        func text(ofJSON bytes: Data) throws(JSONParseError) -> String {
            switch self {
            case .json: try JSONValue.prettyText(of: bytes)
            case .yaml: text(try JSONValue.parse(bytes))
            }
        }
    }

    /// The body, JSON pretty-printed (or as YAML) in the server's member order.
    public static func render(_ response: HTTPResponse, format: Format = .json, style: TextStyle = .plain) -> String {
        render(body: response.body, contentType: response.headers["Content-Type"], format: format, style: style)
    }

    /// A body of either side: a request's is shown the same way (a form as sent, as text).
    static func render(body: Data, contentType: String?, format: Format = .json, style: TextStyle) -> String {
        guard !body.isEmpty else { return style.dim("(empty body)") }
        let isCut = body.count > displayLimit
        let shown = isCut ? body.prefix(displayLimit) : body
        var notes: [String] = []
        var text: String
        if !isCut, let rendered = try? format.text(ofJSON: body) {
            text = rendered
        } else if let decoded = String(data: shown, encoding: .utf8) {
            text = decoded
        } else if isCut || contentType.map(MediaType.isText) == true {
            // A cut can split a character; a server can mislabel Latin-1 as UTF-8. Show the text.
            text = String(decoding: shown, as: UTF8.self)
            if String(validating: isCut ? shown.dropLast(3) : shown, as: UTF8.self) == nil {
                notes.append("(not valid UTF-8: bytes that are not are shown as \u{FFFD})")
            }
        } else {
            return style.dim("(\(body.count) bytes of \(Terminal.safe(contentType ?? "binary data")))")
        }
        if isCut { notes.append("… (\(displayLimit) of \(body.count) bytes shown; expect, capture and the cassette use the whole body)") }
        return ([Terminal.safe(text, keepingNewlines: true)] + notes.map { style.dim($0) }).joined(separator: "\n")
    }

    /// JSON that nexsh put together from answers (the records of every page of a list),
    /// pretty-printed and safe for a terminal. Not cut: each answer was bounded on arrival.
    public static func render(_ json: JSONValue, format: Format = .json, style: TextStyle = .plain) -> String {
        Terminal.safe(format.text(json), keepingNewlines: true)
    }

    /// A request as it was sent: `POST https://…/api/token`, its headers one per line, a blank
    /// line and the body (JSON pretty-printed, a form as sent). Give it a request whose secrets
    /// are already their placeholders (``ShellContext/redactedForShowing(_:)``): this shows
    /// what it is given. `last --request` and the verbose view both show requests this way.
    public static func renderRequest(_ request: HTTPRequest, style: TextStyle = .plain) -> String {
        var lines = [style.bold("\(request.method.rawValue) \(Terminal.safe(request.url.absoluteString))")]
        for header in request.headers {
            lines.append(style.dim(Terminal.safe(header.name) + ":") + " " + Terminal.safe(header.value))
        }
        if !request.body.isEmpty {
            lines += ["", render(body: request.body, contentType: request.headers["Content-Type"], style: style)]
        }
        return lines.joined(separator: "\n")
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

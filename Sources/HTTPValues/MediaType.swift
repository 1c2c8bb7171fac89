/// Which declared media types mean "this body is text": the one list the cassette (text or
/// base64) and the display (text or a byte count) both follow.
public enum MediaType {
    /// `text/*`, or a type naming one of these anywhere (`application/problem+json`,
    /// `application/x-yaml`).
    private static let textualMarks = ["json", "xml", "javascript", "x-www-form-urlencoded", "yaml"].map { Array($0.utf8) }

    /// Whether a `Content-Type` value says its body is text; parameters are allowed.
    public static func isText(_ contentType: String) -> Bool {
        let type = Array(contentType.lowercased().utf8.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
        return type.starts(with: "text/".utf8) || textualMarks.contains { contains($0, in: type) }
    }

    /// A byte search: media types are short, and Foundation's `contains` is far slower.
    private static func contains(_ needle: [UInt8], in text: [UInt8]) -> Bool {
        guard needle.count <= text.count else { return false }
        return (0...(text.count - needle.count)).contains { start in
            text[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}

extension HTTPResponse {
    /// Whether the response's `Content-Type` says its body is text (see ``MediaType/isText(_:)``).
    public var declaresText: Bool {
        headers["Content-Type"].map(MediaType.isText) ?? false
    }
}

/// `application/x-www-form-urlencoded` bodies: the one reading and writing of `name=value&…`.
public enum FormBody {
    public static let mediaType = "application/x-www-form-urlencoded"

    public static func isForm(_ mimeType: String) -> Bool {
        mimeType.lowercased().hasPrefix(mediaType)
    }

    /// A body of another declared type (`text/plain`, none) that is written as a form is read
    /// as one: `user=a&password=b`. Every pair has a name of URL characters and an `=`.
    public static func looksLikeForm(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 1 << 20 else { return false }
        for pair in text.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false) {
            guard let equals = pair.firstIndex(of: UInt8(ascii: "=")), equals != pair.startIndex,
                pair[..<equals].allSatisfy(isNameByte),
                pair[equals...].allSatisfy({ $0 > 0x20 && $0 != 0x7F })
            else { return false }
        }
        return true
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "["), UInt8(ascii: "]"): true
        default: false
        }
    }

    /// Decoded fields in order (`+` is a space).
    public static func fields(in text: String) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// `name=value&…`, each name and value percent-encoded with only unreserved characters kept.
    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(PercentEncoder.unreserved.encode($0.0))=\(PercentEncoder.unreserved.encode($0.1))" }
            .joined(separator: "&")
    }

    private static func decode(_ text: Substring) -> String {
        PercentEncoding.decode(text, plusIsSpace: true)
    }
}

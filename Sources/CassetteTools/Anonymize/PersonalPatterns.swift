import Foundation

/// What looks like personal data whatever field holds it (an email, a phone number), and what
/// a pseudonym looks like, so that `--check` passes an anonymized file and flags the rest.
public enum PersonalPatterns {
    /// The domain reserved for names that can never resolve (RFC 2606): every fake email's.
    static let fakeEmailDomain = "example.invalid"

    static let email = try! NSRegularExpression(pattern: #"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])"#)

    /// Digits with the separators phone numbers are written with; what it matches is a phone
    /// when it has 9 to 15 digits (E.164) and is not a date.
    static let phone = try! NSRegularExpression(pattern: #"(?<![\w.:/-])\+?\(?\d[\d .()-]{6,}\d(?![\w:/-]|\.\d)"#)

    static func isEmail(_ text: String) -> Bool {
        matches(email, in: text).contains { $0 == text[...] }
    }

    /// Every email in `text` that is not a pseudonym.
    static func emails(in text: String) -> [Substring] {
        guard text.contains("@") else { return [] }
        return matches(email, in: text).filter { !$0.lowercased().hasSuffix("@" + fakeEmailDomain) }
    }

    /// Every phone number in `text` that is not a pseudonym: fake numbers' digits start with
    /// `000`, which no country code or national number does.
    static func phones(in text: String) -> [Substring] {
        matches(phone, in: text).filter { match in
            let digits = match.filter(\.isASCIIDigit)
            guard (9...15).contains(digits.count), !digits.hasPrefix("000") else { return false }
            return match.range(of: #"^\d{4}-\d{2}-\d{2}"#, options: .regularExpression) == nil
        }
    }

    /// True for what ``Pseudonyms`` makes of a text value (its ids cannot be recognised).
    static func isPseudonym(_ text: String) -> Bool {
        if text.range(of: pseudonymShape, options: .regularExpression) != nil { return true }
        return text.filter(\.isASCIIDigit).hasPrefix("000") && matches(phone, in: text).first == text[...]
    }

    private static let pseudonymShape =
        #"^(?:(?:Person|Company|City|Value) [0-9A-F]{4,}|[0-9A-F]{4,} Example Street|ZZ[0-9A-F]{4,}|user-[0-9a-f]{4,}@example\.invalid)$"#

    static func matches(_ expression: NSRegularExpression, in text: String) -> [Substring] {
        expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text).map { text[$0] } }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

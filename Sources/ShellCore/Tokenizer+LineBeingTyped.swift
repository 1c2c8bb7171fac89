/// A line as far as it has been typed (completion's view of it): read by the same rules as a
/// script, with a quote the cursor is still inside treated as closed there.
public struct LineBeingTyped: Sendable, Equatable {
    /// The words before the one under the cursor, as they read (a word that uses a variable,
    /// as written).
    public var previousWords: [String]
    /// The word under the cursor as typed, quotes and backslashes included ("" after a space).
    public var wordSource: String
    /// What that word reads as so far.
    public var word: String
    /// The quote the cursor is inside (`"` or `'`), if any.
    public var openQuote: Character?
}

extension Tokenizer {
    /// Reads `text`, the line before the cursor, as ``LineBeingTyped``. A line the rules cannot
    /// read even with its quote closed (an unterminated `${`) is split at spaces instead.
    public static func lineBeingTyped(_ text: String) -> LineBeingTyped {
        let length = text.utf8.count
        for quote in [nil, "\"", "'"] as [Character?] {
            guard let words = try? line(text + (quote.map(String.init) ?? ""))?.words ?? [] else { continue }
            // The word under the cursor reaches the end of the text; after a space there is none yet.
            let current = words.last.flatMap { word in (word.sourceRange?.upperBound ?? 0) >= length ? word : nil }
            let previous = (current == nil ? words : words.dropLast()).map { $0.literal ?? $0.source }
            guard let current else { return LineBeingTyped(previousWords: previous, wordSource: "", word: "", openQuote: nil) }
            let source = quote == nil ? current.source : String(current.source.dropLast())
            return LineBeingTyped(previousWords: previous, wordSource: source, word: current.literal ?? source, openQuote: quote)
        }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        var words = text.split(whereSeparator: isSpace).map(String.init)
        let last = text.last.map(isSpace) ?? true ? "" : words.removeLast()
        return LineBeingTyped(previousWords: words, wordSource: last, word: last, openQuote: nil)
    }

    /// `text` written so that it reads back as `text`: inside an open `quote`, or (with none)
    /// as part of a bare word, a backslash before each character the rules give a meaning.
    public static func escaped(_ text: String, inside quote: Character? = nil) -> String {
        let special: Set<Character> = switch quote {
        case "\"": ["\"", "\\", "$"]
        case "'": ["'", "\\"]
        default: [" ", "\t", "\"", "'", "\\", "$", "#"]
        }
        var result = ""
        for character in text {
            if special.contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}

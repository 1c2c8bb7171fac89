/// A place in a script: file, line and column, all for people (1-based).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The script's path as given, or `<stdin>`, or `<input>` for a typed line.
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `Scripts/switch.nexsh:3:14`.
    public var description: String { "\(file):\(line):\(column)" }
}

/// A word of a command line. Its text may contain `${name}` references, resolved when the line
/// runs, so that a `capture` on one line feeds the next.
public struct Word: Sendable, Hashable {
    public enum Part: Sendable, Hashable {
        case literal(String)
        /// `${name}`, or `${env.NAME}` for the environment.
        case variable(String, SourceLocation)
    }

    public var parts: [Part]
    public var location: SourceLocation
    /// The word as written, quotes included.
    public var source: String
    /// True when the whole word was written in quotes: `"102"` is the text 102, not a number.
    public var isQuoted: Bool
    /// Where ``source`` is in the text the tokenizer read, in UTF-8 bytes (lines joined with
    /// `\n`); nil for a word made by other means.
    public var sourceRange: Range<Int>?

    public init(parts: [Part], location: SourceLocation, source: String, isQuoted: Bool, sourceRange: Range<Int>? = nil) {
        self.parts = parts
        self.location = location
        self.source = source
        self.isQuoted = isQuoted
        self.sourceRange = sourceRange
    }

    /// Words are the same when they say the same at the same place, wherever the text they
    /// were read from started.
    public static func == (lhs: Word, rhs: Word) -> Bool {
        lhs.parts == rhs.parts && lhs.location == rhs.location && lhs.source == rhs.source && lhs.isQuoted == rhs.isQuoted
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(parts)
        hasher.combine(location)
        hasher.combine(source)
        hasher.combine(isQuoted)
    }

    /// The names of the variables the word uses.
    public var variableNames: [String] {
        parts.compactMap { part in
            if case .variable(let name, _) = part { name } else { nil }
        }
    }

    /// The text when the word holds no variable.
    public var literal: String? {
        // One piece, as most words are: that piece, not a copy appended to an empty text.
        if parts.count == 1, case .literal(let piece) = parts[0] { return piece }
        var text = ""
        for part in parts {
            guard case .literal(let piece) = part else { return nil }
            text += piece
        }
        return text
    }

    /// The text written without quoting, for flags and command names: `--json`, `profiles`.
    public var bareText: String? { isQuoted ? nil : literal }

    /// Just past the word: where a missing value would go.
    public var end: SourceLocation {
        var end = location
        end.column += source.count
        return end
    }
}

/// One command: its words, where it starts, and the source text for error displays.
public struct ScriptLine: Sendable, Hashable {
    public var words: [Word]
    public var location: SourceLocation
    /// The physical lines the command was written on.
    public var text: String

    public init(words: [Word], location: SourceLocation, text: String) {
        self.words = words
        self.location = location
        self.text = text
    }

    /// The command name, when the first word is plain text.
    public var commandName: String? { words.first?.bareText }
}

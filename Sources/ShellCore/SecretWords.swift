import Secrets

/// Takes the secrets out of lines of the language before they reach a file: history, a saved
/// script, a bundle's script, a report. It reads lines with the tokenizer, as the shell does, so
/// a password after a tab, in quotes or after `=` is found; what is secret comes from each
/// argument's ``CommandSignature/Secrecy`` and from ``SecretNames``:
///
/// - `login me --password hunter2` → `login me --password-env NEXSH_PASSWORD`;
/// - `--totp 123456`, `--header "X-Api-Key: k"`, `get /x password=p` → the value as
///   `'<redacted:NAME>'`;
/// - `set pw hunter2` → `set pw '<redacted:pw>'`, for a variable whose name says it is secret
///   or that the script uses where a secret goes (`--password ${pw}`);
/// - any value the session knows to be secret (its password, its token), wherever it is.
///
/// What replaces a secret still parses, so a saved script still reads.
public struct SecretWords: Sendable {
    private let table: CommandTable
    private var values = SecretFinder()
    /// Variables known to hold secrets from lines other than the text being scrubbed.
    private var secretVariables: Set<String> = []

    public init(table: CommandTable, knownValues: [String] = []) {
        self.table = table
        for value in knownValues { values.add(value, name: "secret") }
    }

    /// These words, also knowing which variables `lines` (a whole script) use for secrets: so
    /// that one line at a time is scrubbed as the whole script would be (`set pw …` of a script
    /// that later says `--password ${pw}`).
    public func learningVariables(from lines: [ScriptLine]) -> SecretWords {
        var scan = Scan(table: table, secretVariables: secretVariables)
        for line in lines { scan.look(at: line) }
        scan.settleVariables()
        var words = self
        words.secretVariables = scan.secretVariables.union(scan.assignments.map(\.name).filter(SecretNames.isSecretVariable))
        return words
    }

    /// Whether a variable holds a secret: by its name, or by what the lines learned from say.
    public func isSecretVariable(_ name: String) -> Bool {
        secretVariables.contains(name) || SecretNames.isSecretVariable(name)
    }

    /// A secret written in a text, and what stands in for it.
    public struct Found: Sendable, Equatable {
        public let line: Int
        /// UTF-8 bytes of the text (lines joined with `\n`).
        public let range: Range<Int>
        public let replacement: String
        /// What it is, without saying it: "--password holds a literal secret".
        public let message: String
        /// The range is a secret option and its value, which may be left out as a whole.
        public var isOption = false
    }

    /// `text` with every secret replaced, for a saved script, a bundle, a report.
    public func scrub(_ text: String) -> String {
        replacing(text, dropOptions: false)
    }

    /// `line` as the history keeps it: a secret option (`--password p`, `--totp 123456`) is left
    /// out, so that the line recalled asks for it again; other secrets are replaced.
    public func scrubForHistory(_ line: String) -> String {
        replacing(line, dropOptions: true)
    }

    private func replacing(_ text: String, dropOptions: Bool) -> String {
        let normalized = Tokenizer.normalized(text)
        let bytes = Array(normalized.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var copied = 0
        for found in find(inNormalized: normalized, bytes: bytes) {
            if dropOptions, found.isOption {
                var start = found.range.lowerBound
                while start > copied, bytes[start - 1] == UInt8(ascii: " ") || bytes[start - 1] == UInt8(ascii: "\t") { start -= 1 }
                result += bytes[copied..<start]
            } else {
                result += bytes[copied..<found.range.lowerBound]
                result += found.replacement.utf8
            }
            copied = found.range.upperBound
        }
        result += bytes[copied...]
        return String(decoding: result, as: UTF8.self)
    }

    /// Where `text` holds secrets, for `cassette verify`: the line and what each is.
    public func findings(in text: String) -> [(line: Int, message: String)] {
        find(in: text).map { ($0.line, $0.message) }
    }

    /// Every secret of `text`, in order, none overlapping.
    public func find(in text: String) -> [Found] {
        let normalized = Tokenizer.normalized(text)
        return find(inNormalized: normalized, bytes: Array(normalized.utf8))
    }

    private func find(inNormalized normalized: String, bytes: [UInt8]) -> [Found] {
        var scan = Scan(table: table, secretVariables: secretVariables)
        for line in Self.readLines(normalized, bytes: bytes, unreadable: &scan.found) {
            scan.look(at: line)
        }
        scan.settleVariables()
        var found = scan.found
        // Known values, wherever they are (a comment, an echo, a URL), unless a word they are in
        // was replaced already.
        for match in values.matches(in: bytes) where !found.contains(where: { $0.range.overlaps(match.range) }) {
            let line = bytes[..<match.range.lowerBound].filter { $0 == UInt8(ascii: "\n") }.count + 1
            found.append(Found(line: line, range: match.range, replacement: Placeholder.text("secret"), message: "holds a value the session knows to be secret"))
        }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    // MARK: Reading

    /// The lines of `text` as the tokenizer reads them. A line that does not read is left out
    /// if it may hold a secret (a quote left open after `--password "…`, say).
    private static func readLines(_ text: String, bytes: [UInt8], unreadable: inout [Found]) -> [ScriptLine] {
        let reading = Tokenizer.read(text, file: "<text>")
        for mistake in reading.mistakes {
            let source = bytes[mistake.range]
            guard source.withUnsafeBufferPointer({ SecretNames.mayNameSecret($0) }) || String(decoding: source, as: UTF8.self).contains("--") else { continue }
            // One comment per physical line, so that the lines after it keep their numbers.
            let continued = source.count { $0 == UInt8(ascii: "\n") }
            unreadable.append(Found(
                line: mistake.line, range: mistake.range,
                replacement: "# (a line that did not read, and may hold a secret, was left out)" + String(repeating: "\n#", count: continued),
                message: "a line that does not read may hold a secret"
            ))
        }
        return reading.lines
    }
}

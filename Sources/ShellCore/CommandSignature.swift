/// The arguments a command takes: positionals and `--options`, as its declarations
/// (``ArgumentDeclaration``) describe them. Scripts are checked against it before they run,
/// help is written from it, completion asks it which flags exist, and the scrubber which words
/// hold secrets.
public struct CommandSignature: Sendable {
    /// A declaration as the signature keeps it, whatever its value's type.
    public enum Element: Sendable {
        case positional(PositionalSpec)
        case option(OptionSpec)
    }

    /// Checks a literal word when its line is read (the value type's ``ArgumentValue/check(_:)``).
    public typealias Check = @Sendable (Word) throws(ArgumentError) -> Void

    public struct PositionalSpec: Sendable {
        public let name: String
        public let help: String
        public let isOptional: Bool
        /// Takes every remaining word.
        public let isVariadic: Bool
        public let completion: CompletionKind
        public let secrecy: Secrecy
        let check: Check

        init(
            _ name: String, help: String, isOptional: Bool = false, isVariadic: Bool = false, completion: CompletionKind,
            secrecy: Secrecy, check: @escaping Check
        ) {
            self.name = name
            self.help = help
            self.isOptional = isOptional
            self.isVariadic = isVariadic
            self.completion = completion
            self.secrecy = secrecy
            self.check = check
        }
    }

    public struct OptionSpec: Sendable {
        /// Without the dashes: `shape` for `--shape`.
        public let name: String
        /// A one-letter form, `o` for `-o`.
        public let short: Character?
        /// nil for a flag that takes no value.
        public let valueName: String?
        public let help: String
        public let isRepeatable: Bool
        public let completion: CompletionKind
        public let secrecy: Secrecy
        let check: Check

        init(
            _ name: String, short: Character? = nil, value: String? = nil, help: String, isRepeatable: Bool = false, completion: CompletionKind = .none,
            secrecy: Secrecy = .none, check: @escaping Check = { _ throws(ArgumentError) in }
        ) {
            self.name = name
            self.short = short
            self.valueName = value
            self.help = help
            self.isRepeatable = isRepeatable
            self.completion = completion
            self.secrecy = secrecy
            self.check = check
        }

        public var isFlag: Bool { valueName == nil }

        /// `-o, --output <format>`, as help lists it.
        public var term: String {
            (short.map { "-\($0), " } ?? "") + "--\(name)" + (valueName.map { " <\($0)>" } ?? "")
        }
    }

    /// What an argument's words may hold that must never be written to a file (history, a
    /// saved script, a bundle, a report); ``SecretWords`` takes it out.
    public enum Secrecy: Sendable, Equatable {
        case none
        /// The whole value (`--password`, `--totp`). `standIn`, when given, replaces the option
        /// and its value in a saved line, so that the line still runs (`--password-env
        /// NEXSH_PASSWORD`).
        case secret(standIn: String?)
        /// `Name: value`: the value, when the header's name says it is a credential or the
        /// value is one (`Bearer …`).
        case header
        /// `name=value`: the value, when the name says it is a secret.
        case namedValue
        /// A request body: the values of JSON members and form fields whose names say they are
        /// secret (`{"password": "…"}`, `password=…`).
        case body
        /// The value of the variable the first positional names (`set`): secret when its name
        /// says so, or when the script uses the variable where a secret goes.
        case variableValue
    }

    public let positionals: [PositionalSpec]
    public let options: [OptionSpec]
    /// Words after the positionals are taken as they are (`expect`, `capture`).
    public let takesFreeWords: Bool

    /// The declarations in the order help lists them: positionals in the order they are
    /// written, options in the order given.
    public init(_ declarations: any ArgumentDeclaration..., takesFreeWords: Bool = false) {
        self.init(declarations, takesFreeWords: takesFreeWords)
    }

    /// The same, for a signature put together from parts (a command's own options and the
    /// ones its kind shares).
    public init(_ declarations: [any ArgumentDeclaration], takesFreeWords: Bool = false) {
        var positionals: [PositionalSpec] = []
        var options: [OptionSpec] = []
        for element in declarations.flatMap(\.elements) {
            switch element {
            case .positional(let spec): positionals.append(spec)
            case .option(let spec): options.append(spec)
            }
        }
        self.positionals = positionals
        self.options = options
        self.takesFreeWords = takesFreeWords
    }

    /// The option a word names: `--output`, or its one-letter form `-o`. A word like `-5` names
    /// none, and stays a positional.
    public func option(forWord word: String) -> OptionSpec? {
        if word.hasPrefix("--") { return options.first { $0.name == word.dropFirst(2) } }
        // `hasPrefix` first: counting a word's characters walks all of it, and most words are
        // paths and values, not options.
        guard word.hasPrefix("-"), word.count == 2, let letter = word.last, letter.isLetter else { return nil }
        return options.first { $0.short == letter }
    }

    /// `switch <coworkerId> [--json]`.
    public func usage(for name: String) -> String {
        var parts = [name]
        for positional in positionals {
            let text = "<\(positional.name)>" + (positional.isVariadic ? "..." : "")
            parts.append(positional.isOptional ? "[\(text)]" : text)
        }
        for option in options {
            let name = option.short.map { "-\($0)" } ?? "--\(option.name)"
            parts.append("[\(name)\(option.valueName.map { " <\($0)>" } ?? "")]" + (option.isRepeatable ? "..." : ""))
        }
        return parts.joined(separator: " ")
    }

    /// Where the positional named `name` is among the words (a programming error when the
    /// command does not declare it).
    func index(ofPositional name: String) -> Int {
        guard let index = positionals.firstIndex(where: { $0.name == name }) else {
            preconditionFailure("<\(name)> is not declared by this command's signature")
        }
        return index
    }

    /// Checks every literal word against the value its argument takes: positionals in order,
    /// then options in the order declared.
    func checkLiterals(_ arguments: ParsedArguments) throws(UsageMistake) {
        for (index, word) in arguments.positionals.enumerated() {
            guard let spec = index < positionals.count ? positionals[index] : positionals.last.flatMap({ $0.isVariadic ? $0 : nil }) else { break }
            try Self.check(word, with: spec.check)
        }
        for option in options where !option.isFlag {
            for word in arguments.options[option.name] ?? [] { try Self.check(word, with: option.check) }
        }
    }

    private static func check(_ word: Word, with check: Check) throws(UsageMistake) {
        do {
            try check(word)
        } catch {
            throw UsageMistake(message: error.message, location: word.location)
        }
    }
}

/// A mistake in a line's arguments, before it is said whose: the message and where it is.
struct UsageMistake: Error {
    let message: String
    let location: SourceLocation
}

/// What completion offers for an argument.
public enum CompletionKind: Sendable, Equatable {
    case none
    /// Files whose names end with one of these extensions (and folders).
    case files(extensions: [String])
    /// Candidates the command computes itself (profile ids, team ids).
    case custom
    /// Variable names.
    case variables
    case commands
    case choices([String])
}

/// A command's words, sorted into positionals and options against its signature. Values may
/// still hold `${…}`: they are expanded when the line runs (``Invocation``).
public struct ParsedArguments: Sendable {
    let signature: CommandSignature
    /// Every positional word, free words included, in order.
    private(set) var positionals: [Word] = []
    /// Option name → the words of its values (empty for a flag), in order.
    private(set) var options: [String: [Word]] = [:]

    /// The word a positional was given, if any.
    public func word<Value>(_ argument: OptionalPositional<Value>) -> Word? { word(at: signature.index(ofPositional: argument.spec.name)) }
    public func word<Value>(_ argument: Positional<Value>) -> Word { word(at: signature.index(ofPositional: argument.spec.name))! }

    /// The words from a positional's on, free words included (`capture`'s query).
    public func words<Value>(from argument: Positional<Value>) -> ArraySlice<Word> {
        positionals.dropFirst(signature.index(ofPositional: argument.spec.name))
    }

    public func words<Value>(_ argument: VariadicPositional<Value>) -> ArraySlice<Word> {
        positionals.dropFirst(signature.index(ofPositional: argument.spec.name))
    }

    /// The words past the declared positionals, for a command that takes free words (`expect`).
    public var freeWords: ArraySlice<Word> { positionals.dropFirst(signature.positionals.count) }

    public func words<Value>(_ option: ValueOption<Value>) -> [Word] { options[option.spec.name] ?? [] }
    public func words<Value>(_ option: RepeatedOption<Value>) -> [Word] { options[option.spec.name] ?? [] }
    public func has(_ flag: FlagOption) -> Bool { options[flag.spec.name] != nil }

    private func word(at index: Int) -> Word? { index < positionals.count ? positionals[index] : nil }

    /// Sorts `words` (the command name excluded) against `signature`; a missing word is shown
    /// after the last one, or at `lineStart` when there is none.
    init(_ words: ArraySlice<Word>, signature: CommandSignature, lineStart: SourceLocation) throws(UsageMistake) {
        self.signature = signature
        var remaining = words[...]
        /// The option `word` names, with its value: `inlineValue` (`--name=value`) or the next word.
        func take(_ option: CommandSignature.OptionSpec, word: Word, inlineValue: String?) throws(UsageMistake) {
            let name = option.name
            if options[name] != nil, !option.isRepeatable {
                throw UsageMistake(message: "--\(name) is given twice", location: word.location)
            }
            if option.isFlag {
                guard inlineValue == nil else { throw UsageMistake(message: "--\(name) takes no value", location: word.location) }
                options[name] = []
            } else if let inlineValue {
                var location = word.location
                location.column += name.count + 3
                options[name, default: []].append(Word(parts: [.literal(inlineValue)], location: location, source: inlineValue, isQuoted: false))
            } else {
                guard let value = remaining.first else {
                    throw UsageMistake(message: "--\(name) needs a value <\(option.valueName ?? "value")>", location: word.location)
                }
                remaining = remaining.dropFirst()
                options[name, default: []].append(value)
            }
        }
        while let word = remaining.first {
            remaining = remaining.dropFirst()
            let text = word.bareText
            if let text, let short = signature.option(forWord: text), !text.hasPrefix("--") {
                // `-o json`: the one-letter form, its value the next word.
                try take(short, word: word, inlineValue: nil)
            } else if let text, text.hasPrefix("--"), text.count > 2 {
                var name = String(text.dropFirst(2))
                var inlineValue: String?
                if let equals = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                guard let option = signature.options.first(where: { $0.name == name }) else {
                    let known = signature.options.map { "--\($0.name)" }
                    let hint = Suggestions.nearest(to: "--\(name)", in: known).map { " (did you mean \($0)?)" } ?? ""
                    throw UsageMistake(message: "unknown option --\(name)\(hint)", location: word.location)
                }
                try take(option, word: word, inlineValue: inlineValue)
            } else {
                positionals.append(word)
            }
        }
        if options[FlagOption.json.spec.name] != nil, let output = options[Presentation.output.spec.name]?.first {
            throw UsageMistake(message: "--json is -o json: give one of them", location: output.location)
        }
        let required = signature.positionals.filter { !$0.isOptional }.count
        if positionals.count < required {
            throw UsageMistake(message: "missing <\(signature.positionals[positionals.count].name)>", location: words.last?.end ?? lineStart)
        }
        let acceptsMore = signature.takesFreeWords || signature.positionals.last?.isVariadic == true
        if !acceptsMore, positionals.count > signature.positionals.count {
            let extra = positionals[signature.positionals.count]
            throw UsageMistake(message: "unexpected argument '\(extra.source)'", location: extra.location)
        }
    }
}

/// Finding the nearest name for a typo.
public enum Suggestions {
    /// The closest candidate within a small edit distance, or nil.
    public static func nearest(to text: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(text.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        let limit = max(1, min(3, text.count / 3))
        return best.1 <= limit ? best.0 : candidates.first { $0.hasPrefix(text) && text.count >= 3 }
    }

    /// Edit distance where swapping two neighbouring letters (`hepl`) costs one edit.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}

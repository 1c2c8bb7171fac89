/// The arguments a command takes: positionals and `--options`. Scripts are checked against it
/// before they run, help is written from it, and completion asks it which flags exist.
public struct CommandSignature: Sendable {
    public struct Positional: Sendable {
        public var name: String
        public var help: String
        public var isOptional: Bool
        /// Takes every remaining word.
        public var isVariadic: Bool
        public var completion: CompletionKind
        public var secrecy: Secrecy

        public init(
            _ name: String, help: String, isOptional: Bool = false, isVariadic: Bool = false, completion: CompletionKind = .none,
            secrecy: Secrecy = .none
        ) {
            self.name = name
            self.help = help
            self.isOptional = isOptional
            self.isVariadic = isVariadic
            self.completion = completion
            self.secrecy = secrecy
        }
    }

    public struct Option: Sendable {
        /// Without the dashes: `shape` for `--shape`.
        public var name: String
        /// nil for a flag that takes no value.
        public var valueName: String?
        public var help: String
        public var isRepeatable: Bool
        public var completion: CompletionKind
        public var secrecy: Secrecy

        public init(
            _ name: String, value: String? = nil, help: String, isRepeatable: Bool = false, completion: CompletionKind = .none,
            secrecy: Secrecy = .none
        ) {
            self.name = name
            self.valueName = value
            self.help = help
            self.isRepeatable = isRepeatable
            self.completion = completion
            self.secrecy = secrecy
        }

        public var isFlag: Bool { valueName == nil }
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

    public var positionals: [Positional]
    public var options: [Option]
    /// Words after the positionals are taken as they are (`expect`, `echo`, `set`).
    public var takesFreeWords: Bool

    public init(positionals: [Positional] = [], options: [Option] = [], takesFreeWords: Bool = false) {
        self.positionals = positionals
        self.options = options
        self.takesFreeWords = takesFreeWords
    }

    /// `--json`, which every command that shows an answer takes.
    public static let json = Option("json", help: "Print the response body as received (pretty-printed JSON).")

    /// `switch <coworkerId> [--json]`.
    public func usage(for name: String) -> String {
        var parts = [name]
        for positional in positionals {
            let text = "<\(positional.name)>" + (positional.isVariadic ? "..." : "")
            parts.append(positional.isOptional ? "[\(text)]" : text)
        }
        for option in options {
            parts.append("[--\(option.name)\(option.valueName.map { " <\($0)>" } ?? "")]" + (option.isRepeatable ? "..." : ""))
        }
        return parts.joined(separator: " ")
    }
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

/// A command's words, sorted into positionals and options. Values may still hold `${…}`: they
/// are expanded when the line runs.
public struct ParsedArguments: Sendable {
    public var positionals: [Word] = []
    /// Option name → the words of its values (empty for a flag), in order.
    public var options: [String: [Word]] = [:]
    /// Options in the order written, for messages.
    public var optionOrder: [String] = []

    public func has(_ flag: String) -> Bool { options[flag] != nil }

    /// Sorts `words` (the command name excluded) against `signature`.
    public init(_ words: ArraySlice<Word>, signature: CommandSignature, command: String, line: ScriptLine) throws(ShellError) {
        var remaining = words[...]
        while let word = remaining.first {
            remaining = remaining.dropFirst()
            if let text = word.bareText, text.hasPrefix("--"), text.count > 2 {
                var name = String(text.dropFirst(2))
                var inlineValue: String?
                if let equals = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                guard let option = signature.options.first(where: { $0.name == name }) else {
                    let known = signature.options.map { "--\($0.name)" }
                    let hint = Suggestions.nearest(to: "--\(name)", in: known).map { " (did you mean \($0)?)" } ?? ""
                    throw .usage(command: command, message: "unknown option --\(name)\(hint)", word.location, sourceLine: line.text, usage: signature.usage(for: command))
                }
                if options[name] != nil, !option.isRepeatable {
                    throw .usage(command: command, message: "--\(name) is given twice", word.location, sourceLine: line.text, usage: signature.usage(for: command))
                }
                optionOrder.append(name)
                if option.isFlag {
                    guard inlineValue == nil else {
                        throw .usage(command: command, message: "--\(name) takes no value", word.location, sourceLine: line.text, usage: signature.usage(for: command))
                    }
                    options[name] = []
                } else if let inlineValue {
                    var location = word.location
                    location.column += name.count + 3
                    options[name, default: []].append(Word(parts: [.literal(inlineValue)], location: location, source: inlineValue, isQuoted: false))
                } else {
                    guard let value = remaining.first else {
                        throw .usage(command: command, message: "--\(name) needs a value <\(option.valueName ?? "value")>", word.location, sourceLine: line.text, usage: signature.usage(for: command))
                    }
                    remaining = remaining.dropFirst()
                    options[name, default: []].append(value)
                }
            } else {
                positionals.append(word)
            }
        }
        let required = signature.positionals.filter { !$0.isOptional }.count
        if positionals.count < required {
            let missing = signature.positionals[positionals.count]
            let location = words.last?.end ?? line.location
            throw .usage(command: command, message: "missing <\(missing.name)>", location, sourceLine: line.text, usage: signature.usage(for: command))
        }
        let acceptsMore = signature.takesFreeWords || signature.positionals.last?.isVariadic == true
        if !acceptsMore, positionals.count > signature.positionals.count {
            let extra = positionals[signature.positionals.count]
            throw .usage(command: command, message: "unexpected argument '\(extra.source)'", extra.location, sourceLine: line.text, usage: signature.usage(for: command))
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

import Foundation

/// A value an argument holds, which reads itself from the text of its word (once `${…}` is
/// expanded), in the spirit of ArgumentParser's `ExpressibleByArgument`: the command then gets
/// a typed value, and a literal word is checked when the line is read, before anything runs.
public protocol ArgumentValue: Sendable {
    /// The value `text` holds, or the whole message saying why it holds none (`'abc' is not a
    /// profile id: …`).
    static func parse(_ text: String) throws(ArgumentError) -> Self

    /// What completion offers where this value goes, unless the argument says otherwise.
    static var completion: CompletionKind { get }

    /// Checks a word when its line is read: by default a literal is parsed, and a word holding
    /// `${…}` waits for the line to run.
    static func check(_ word: Word) throws(ArgumentError)
}

extension ArgumentValue {
    public static var completion: CompletionKind { .none }

    public static func check(_ word: Word) throws(ArgumentError) {
        guard let text = word.literal else { return }
        _ = try parse(text)
    }
}

/// Why a word does not hold the value its argument takes: the message shown at the word.
public struct ArgumentError: Error, Sendable, Equatable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }
}

extension String: ArgumentValue {
    public static func parse(_ text: String) -> String { text }
}

/// A file's path as a person types it: a leading `~/` is the home folder (``TypedPath``).
public struct FilePath: ArgumentValue, Equatable {
    public let path: String

    public static func parse(_ text: String) -> FilePath { FilePath(path: TypedPath.expandingHome(text)) }
    public static var completion: CompletionKind { .files(extensions: []) }
}

/// A variable's name: letters, digits, `_` and `-`, written as it is (a name cannot come from
/// another variable).
public struct VariableName: ArgumentValue, Equatable {
    public let name: String

    public static func parse(_ text: String) throws(ArgumentError) -> VariableName {
        guard Variables.isValidName(text) else { throw notAName(text) }
        return VariableName(name: text)
    }

    public static var completion: CompletionKind { .variables }

    public static func check(_ word: Word) throws(ArgumentError) {
        guard let text = word.literal, Variables.isValidName(text) else { throw notAName(word.source) }
    }

    private static func notAName(_ text: String) -> ArgumentError {
        ArgumentError("'\(text)' is not a variable name (letters, digits, _ and -)")
    }
}

// MARK: Declarations

/// How a command declares its arguments: each declaration is the key a running command reads
/// its typed value with (`try invocation[Self.coworkerId]`), and what help, completion, checks
/// and the scrubber read (``CommandSignature``).
public protocol ArgumentDeclaration: Sendable {
    /// What it adds to a signature: one argument, or a group of options (``Presentation``).
    var elements: [CommandSignature.Element] { get }
}

/// A declaration of one argument.
public protocol SingleArgumentDeclaration: ArgumentDeclaration {
    var element: CommandSignature.Element { get }
}

extension SingleArgumentDeclaration {
    public var elements: [CommandSignature.Element] { [element] }
}

/// A positional argument every line gives.
public struct Positional<Value: ArgumentValue>: SingleArgumentDeclaration {
    public let spec: CommandSignature.PositionalSpec

    public init(_ name: String, help: String, completion: CompletionKind = Value.completion, secrecy: CommandSignature.Secrecy = .none) {
        spec = .init(name, help: help, completion: completion, secrecy: secrecy, check: Value.check)
    }

    public var element: CommandSignature.Element { .positional(spec) }
}

/// A positional argument a line may leave out.
public struct OptionalPositional<Value: ArgumentValue>: SingleArgumentDeclaration {
    public let spec: CommandSignature.PositionalSpec

    public init(_ name: String, help: String, completion: CompletionKind = Value.completion, secrecy: CommandSignature.Secrecy = .none) {
        spec = .init(name, help: help, isOptional: true, completion: completion, secrecy: secrecy, check: Value.check)
    }

    public var element: CommandSignature.Element { .positional(spec) }
}

/// The last positional argument, which takes every remaining word (none, when `isOptional`).
public struct VariadicPositional<Value: ArgumentValue>: SingleArgumentDeclaration {
    public let spec: CommandSignature.PositionalSpec

    public init(
        _ name: String, help: String, isOptional: Bool = false, completion: CompletionKind = Value.completion,
        secrecy: CommandSignature.Secrecy = .none
    ) {
        spec = .init(name, help: help, isOptional: isOptional, isVariadic: true, completion: completion, secrecy: secrecy, check: Value.check)
    }

    public var element: CommandSignature.Element { .positional(spec) }
}

/// `--name <value>`, given at most once.
public struct ValueOption<Value: ArgumentValue>: SingleArgumentDeclaration {
    public let spec: CommandSignature.OptionSpec

    /// `short`: a one-letter form (`-o` for `--output`).
    public init(
        _ name: String, short: Character? = nil, value: String, help: String, completion: CompletionKind = Value.completion,
        secrecy: CommandSignature.Secrecy = .none
    ) {
        spec = .init(name, short: short, value: value, help: help, completion: completion, secrecy: secrecy, check: Value.check)
    }

    public var element: CommandSignature.Element { .option(spec) }
}

/// `--name <value>`, as many times as needed.
public struct RepeatedOption<Value: ArgumentValue>: SingleArgumentDeclaration {
    public let spec: CommandSignature.OptionSpec

    public init(
        _ name: String, value: String, help: String, completion: CompletionKind = Value.completion, secrecy: CommandSignature.Secrecy = .none
    ) {
        spec = .init(name, value: value, help: help, isRepeatable: true, completion: completion, secrecy: secrecy, check: Value.check)
    }

    public var element: CommandSignature.Element { .option(spec) }
}

/// `--name`, which takes no value.
public struct FlagOption: SingleArgumentDeclaration {
    public let spec: CommandSignature.OptionSpec

    public init(_ name: String, short: Character? = nil, help: String) {
        spec = .init(name, short: short, help: help)
    }

    public var element: CommandSignature.Element { .option(spec) }

    /// `--json`, which every command that shows an answer takes (with ``Presentation``'s others).
    public static let json = FlagOption("json", help: "Print the response body as received (pretty-printed JSON); the same as -o json.")
}

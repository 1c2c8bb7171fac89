import ArgumentParser
import HTTPCassette
import ShellCore

/// A value of a run's command line: it reads itself from a word (`ExpressibleByArgument`), and
/// says why a word is not one, as nexsh's usage error words it.
protocol RunArgument: ExpressibleByArgument, Sendable {
    /// The usage error for `text`, which `init?(argument:)` did not take.
    static func refusal(of text: String) -> String
}

/// A word of the command line and the value it reads as, refused only when the command checks
/// it (`checked()`, from `validate()`). ArgumentParser would refuse a word the moment it fails to
/// read, in its own wording and with a help line, and in command-line order; nexsh's usage
/// errors say `--shard must be I/N …, not '5/4'`, and come in the order its checks are written.
struct UncheckedArgument<Value: RunArgument>: ExpressibleByArgument, Sendable {
    /// The word as given.
    let text: String
    /// What it reads as; nil when it is not a `Value`.
    let value: Value?

    init(argument: String) {
        text = argument
        value = Value(argument: argument)
    }

    static var defaultCompletionKind: ArgumentParser.CompletionKind { Value.defaultCompletionKind }

    /// The value, or the usage error for the word.
    func checked() throws -> Value {
        guard let value else { throw ValidationError(Value.refusal(of: text)) }
        return value
    }
}

extension Array {
    /// Each word's value, or the usage error for the first that is none.
    func checked<Value>() throws -> [Value] where Element == UncheckedArgument<Value> {
        try map { try $0.checked() }
    }
}

/// `--mode`. The cases are HTTPCassette's; the word for each is its raw value.
extension RecordMode: RunArgument {
    static func refusal(of text: String) -> String {
        "--mode must be replay, record, once, new, passthrough or verify, not '\(text)'"
    }
}

/// `--shard I/N`: the I-th of N stable slices of the scripts (for CI matrices).
struct Shard: RunArgument, Equatable {
    /// From 1.
    let index: Int
    let count: Int

    init?(index: Int, count: Int) {
        guard count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    init?(argument: String) {
        let parts = argument.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        self.init(index: parts[0], count: parts[1])
    }

    static func refusal(of text: String) -> String {
        "--shard must be I/N with 1 ≤ I ≤ N, like 2/4, not '\(text)'"
    }

    /// This shard's items: every N-th from the I-th, so that the N shards of one list take each
    /// item exactly once, and an item stays in its shard while the list does not change.
    func slice<Item>(_ items: [Item]) -> [Item] {
        items.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }
}

/// `--var name=value`: a variable set before the script starts, as `set` would.
struct VariableAssignment: RunArgument, Equatable {
    let name: String
    /// Everything after the first `=` (which may hold more).
    let value: String

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "=") else { return nil }
        let name = String(argument[..<equals])
        guard Variables.isValidName(name) else { return nil }
        self.name = name
        value = String(argument[argument.index(after: equals)...])
    }

    static func refusal(of text: String) -> String {
        "--var must be name=value, not '\(text)'"
    }

    /// By name; a name given again takes the later value.
    static func dictionary(_ assignments: [VariableAssignment]) -> [String: String] {
        Dictionary(assignments.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }
}

/// The reports `nexsh run --report` writes.
enum ReportFormat: String, Sendable, CaseIterable {
    /// One self-contained page (``HTMLReport``).
    case html
    /// JUnit XML (``RunReport/junit(_:)``).
    case junit
    /// TAP 13 (``RunReport/tap(_:)``).
    case tap
}

/// `--report kind:file`.
struct ReportSpec: RunArgument, Equatable {
    let format: ReportFormat
    let file: String

    init(format: ReportFormat, file: String) {
        self.format = format
        self.file = file
    }

    init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let format = ReportFormat(rawValue: String(parts[0])), !parts[1].isEmpty else { return nil }
        self.init(format: format, file: String(parts[1]))
    }

    static func refusal(of text: String) -> String {
        "--report must be html:FILE, junit:FILE or tap:FILE, not '\(text)'"
    }
}

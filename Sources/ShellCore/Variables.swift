import Foundation

/// Script variables: `set`, `--var`, `capture`; `${env.NAME}` reads the environment.
public struct Variables: Sendable {
    private var values: [String: String]
    /// What `${env.NAME}` reads: the process's environment, or a run's own (a test's).
    public let environment: [String: String]

    public init(_ values: [String: String] = [:], environment: [String: String] = ProcessEnvironment.variables) {
        self.values = values
        self.environment = environment
    }

    public subscript(name: String) -> String? {
        get {
            if name.hasPrefix("env.") { return environment[String(name.dropFirst(4))] }
            return values[name]
        }
        set { values[name] = newValue }
    }

    /// The most a variable, a word once expanded, or all the words of one command may hold, in
    /// bytes: a script that doubles a variable forty times fails at 16 MiB, not when memory runs out.
    public static let maximumSize = 16 << 20

    /// Throws a failure naming ``maximumSize`` when `size` bytes would exceed it.
    static func checkSize(_ size: Int, _ what: @autoclosure () -> String) throws(ShellError) {
        guard size <= maximumSize else {
            throw .failed("\(what()) would exceed \(maximumSize >> 20) MiB, the most a variable or a command's expanded words may hold")
        }
    }

    public var all: [(name: String, value: String)] {
        values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// `name`, `env.NAME`: letters, digits, `_` and `-`, not starting with a digit.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }

    static func isValidReference(_ name: String) -> Bool {
        name.hasPrefix("env.") ? !name.dropFirst(4).isEmpty && !name.dropFirst(4).contains(" ") : isValidName(name)
    }

    /// The word's text with its variables replaced, at most ``maximumSize`` bytes of it.
    public func expand(_ word: Word, sourceLine: String) throws(ShellError) -> String {
        var text = ""
        for part in word.parts {
            switch part {
            case .literal(let piece):
                text += piece
            case .variable(let name, let location):
                guard let value = self[name] else { throw .undefinedVariable(name, location, sourceLine: sourceLine) }
                try Self.checkSize(text.utf8.count + value.utf8.count, "expanding ${\(name)} into this word")
                text += value
            }
        }
        return text
    }
}

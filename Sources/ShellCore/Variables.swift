import Foundation

/// Script variables: `set`, `--var`, `capture`; `${env.NAME}` reads the environment.
public struct Variables: Sendable {
    private var values: [String: String]
    private let environment: [String: String]

    public init(_ values: [String: String] = [:], environment: [String: String] = ProcessInfo.processInfo.environment) {
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

    /// The word's text with its variables replaced.
    public func expand(_ word: Word, sourceLine: String) throws(ShellError) -> String {
        var text = ""
        for part in word.parts {
            switch part {
            case .literal(let piece):
                text += piece
            case .variable(let name, let location):
                guard let value = self[name] else { throw .undefinedVariable(name, location, sourceLine: sourceLine) }
                text += value
            }
        }
        return text
    }
}

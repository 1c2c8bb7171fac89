import Foundation
import SecureFiles

/// A script read and checked once: every line's command and arguments are known before any
/// runs, and running it reads nothing again.
public struct Script: Sendable {
    public let file: String
    public let resolvedLines: [ResolvedLine]

    /// The lines as written.
    public var lines: [ScriptLine] { resolvedLines.map(\.line) }

    /// The most mistakes one reading shows; the rest are counted.
    public static let shownMistakes = 20

    /// Reads `text`, checking each line against `commands`. Every mistake is found, then thrown
    /// together (``ShellError/mistakes(_:more:)``), or alone when there is one.
    ///
    /// With `knownVariables` (the names set before the script starts, as by `--var`), a
    /// `${name}` that no earlier line sets, or an `${env.NAME}` the environment lacks, is a
    /// problem too: found now rather than halfway through a run. `origin` is `.interactive` only
    /// for a script sourced where a person can be asked for what a line leaves out.
    public init(
        text: String, file: String, commands: CommandTable, knownVariables: Set<String>? = nil,
        environment: [String: String] = ProcessEnvironment.variables, origin: LineOrigin = .script
    ) throws(ShellError) {
        self.file = file
        let reading = Tokenizer.read(text, file: file)
        var resolvedLines: [ResolvedLine] = []
        var mistakes = reading.mistakes.map(\.error)
        var defined = knownVariables
        for line in reading.lines {
            if let names = defined {
                mistakes += Self.undefinedVariables(in: line, defined: names, environment: environment)
            }
            let resolved: ResolvedLine
            do {
                resolved = try commands.resolve(line, origin: origin)
            } catch {
                mistakes.append(error)
                // A line meant to set a variable (`sett name 1`) counts as setting it, so that
                // one typo is not reported again at every later use.
                if let name = line.words.dropFirst().first?.literal, Variables.isValidName(name) { defined?.insert(name) }
                continue
            }
            resolvedLines.append(resolved)
            switch resolved.command.variableEffect(resolved.arguments) {
            case .none: break
            case .defines(let names): defined?.formUnion(names)
            case .removes(let names): defined?.subtract(names)
            case .unknown: defined = nil
            }
        }
        guard mistakes.isEmpty else { throw Self.together(mistakes) }
        self.resolvedLines = resolvedLines
    }

    /// The mistakes in the order of the text: one as it is, several as one error.
    private static func together(_ mistakes: [ShellError]) -> ShellError {
        let ordered = mistakes.enumerated().sorted { left, right in
            let (a, b) = (left.element.location, right.element.location)
            return (a?.line ?? .max, a?.column ?? .max, left.offset) < (b?.line ?? .max, b?.column ?? .max, right.offset)
        }.map(\.element)
        guard ordered.count > 1 else { return ordered[0] }
        return .mistakes(Array(ordered.prefix(shownMistakes)), more: max(0, ordered.count - shownMistakes))
    }

    /// Reads a script file. (A path, not a URL: making one and asking for its path again cost
    /// a one-line script 0.05 ms.)
    public init(
        contentsOfFile path: String, displayName: String? = nil, commands: CommandTable, knownVariables: Set<String>? = nil,
        environment: [String: String] = ProcessEnvironment.variables, origin: LineOrigin = .script
    ) throws(ShellError) {
        let name = displayName ?? path
        let data: Data
        do {
            data = try BoundedRead.contents(of: path, limit: Self.maximumSize, what: "a script")
        } catch {
            throw .failed("cannot read the script \(name): \(Self.reason(error))")
        }
        try self.init(data: data, file: name, commands: commands, knownVariables: knownVariables, environment: environment, origin: origin)
    }

    /// The largest script read (a file or standard input): far beyond any written by hand or
    /// saved from a session, and a line may hold 10 MB.
    public static let maximumSize = 64 << 20

    /// Reads a script's bytes (a file's, standard input's): UTF-8 text, or an error at the first
    /// byte that is not.
    public init(
        data: Data, file: String, commands: CommandTable, knownVariables: Set<String>? = nil,
        environment: [String: String] = ProcessEnvironment.variables, origin: LineOrigin = .script
    ) throws(ShellError) {
        guard let text = String(data: data, encoding: .utf8) else {
            throw .syntax("the script is not UTF-8 text", Self.firstInvalidByte(in: data, file: file), sourceLine: "")
        }
        try self.init(text: text, file: file, commands: commands, knownVariables: knownVariables, environment: environment, origin: origin)
    }

    private static func undefinedVariables(in line: ScriptLine, defined: Set<String>, environment: [String: String]) -> [ShellError] {
        var found: [ShellError] = []
        for word in line.words {
            for case .variable(let name, let location) in word.parts {
                let isSet = name.hasPrefix("env.") ? environment[String(name.dropFirst(4))] != nil : defined.contains(name)
                if !isSet { found.append(.undefinedVariable(name, location, sourceLine: line.text)) }
            }
        }
        return found
    }

    /// Where a text that is not UTF-8 first goes wrong, as line and column (in bytes).
    static func firstInvalidByte(in data: Data, file: String) -> SourceLocation {
        var line = 1
        var lineStart = 0
        var offset = 0
        let bytes = [UInt8](data)
        while offset < bytes.count {
            let length = utf8SequenceLength(bytes, at: offset)
            guard length > 0 else { break }
            if bytes[offset] == UInt8(ascii: "\n") {
                line += 1
                lineStart = offset + 1
            }
            offset += length
        }
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
        return SourceLocation(file: file, line: line, column: column)
    }

    /// The length of the well-formed UTF-8 sequence at `offset`, or 0 when it is not one.
    private static func utf8SequenceLength(_ bytes: [UInt8], at offset: Int) -> Int {
        let lead = bytes[offset]
        let length: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard offset + length <= bytes.count else { return 0 }
        return String(validating: bytes[offset..<offset + length], as: UTF8.self) == nil ? 0 : length
    }

    private static func reason(_ error: SecureFileError) -> String {
        if case .system(ENOENT, _) = error.problem { return "no such file" }
        return error.reason
    }
}

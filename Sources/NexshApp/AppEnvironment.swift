import Foundation
import ShellCore

/// What the program takes from its process: the output streams, standard input, the
/// environment variables, the folder relative paths start from, and which streams are
/// terminals. The binary runs with ``process``; a test runs a whole command line in-process
/// with a value of its own, so that several runs at once never share a stream, a variable or a
/// folder (see ``NexshProgram/run(_:in:)``).
public struct AppEnvironment: Sendable {
    public var standardOutput: AppOutput
    public var standardError: AppOutput
    /// The file read when a script is `-`, or commands are piped into `nexsh`.
    public var standardInputPath: String
    public var variables: [String: String]
    /// nil: the process's current directory.
    public var workingDirectory: URL?
    public var inputIsTerminal: Bool
    public var outputIsTerminal: Bool
    public var errorIsTerminal: Bool
    /// The width ArgumentParser wraps help and usage to. It reads the process (`$COLUMNS`, else
    /// the terminal's width, else 80); nil lets it, in the binary.
    var helpColumns: Int?

    public init(
        standardOutput: AppOutput, standardError: AppOutput, standardInputPath: String, variables: [String: String],
        workingDirectory: URL?, inputIsTerminal: Bool = false, outputIsTerminal: Bool = false, errorIsTerminal: Bool = false
    ) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.standardInputPath = standardInputPath
        self.variables = variables
        self.workingDirectory = workingDirectory
        self.inputIsTerminal = inputIsTerminal
        self.outputIsTerminal = outputIsTerminal
        self.errorIsTerminal = errorIsTerminal
        helpColumns = variables["COLUMNS"].flatMap(Int.init) ?? (outputIsTerminal ? Terminal.outputColumns : nil) ?? 80
    }

    /// The real process: file descriptors 0, 1 and 2, its environment and current directory.
    public static var process: AppEnvironment {
        var process = AppEnvironment(
            standardOutput: .descriptor(STDOUT_FILENO), standardError: .descriptor(STDERR_FILENO),
            standardInputPath: "/dev/stdin", variables: ProcessEnvironment.variables, workingDirectory: nil,
            inputIsTerminal: isatty(STDIN_FILENO) == 1, outputIsTerminal: isatty(STDOUT_FILENO) == 1,
            errorIsTerminal: isatty(STDERR_FILENO) == 1
        )
        process.helpColumns = nil
        return process
    }

    /// The environment of the run this task belongs to.
    @TaskLocal static var current = AppEnvironment.process

    /// How text for standard output is styled: colour and width on a terminal only.
    var outputStyle: TextStyle {
        TextStyle.forStandardOutput(environment: variables, isTerminal: outputIsTerminal)
    }
}

/// Where one output stream of the program goes: a file descriptor, or a buffer for a run
/// in-process. Either way the text is written as ``Terminal/display(_:)`` makes it.
public enum AppOutput: ShellOutput {
    case descriptor(Int32)
    case buffer(BufferedOutput)

    public func write(_ text: String) {
        switch self {
        case .descriptor(let descriptor): Descriptor.write(text, to: descriptor)
        case .buffer(let buffer): buffer.write(Terminal.display(text))
        }
    }

    /// Writes `text` exactly, escape sequences and all (see ``Descriptor/writeControl(_:to:)``).
    public func writeControl(_ text: String) {
        switch self {
        case .descriptor(let descriptor): Descriptor.writeControl(text, to: descriptor)
        case .buffer(let buffer): buffer.write(text)
        }
    }
}

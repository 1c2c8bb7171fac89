import Foundation
import Synchronization

/// The outcome of a program run to completion.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let standardOutput: String
    public let standardError: String
    /// Standard output as written, for comparisons byte for byte (the text replaces bytes that
    /// are not UTF-8, and Swift compares text by meaning, not by bytes).
    public let standardOutputBytes: Data
    /// The signal that ended the program (a crash: SIGILL from a trap, SIGABRT, SIGSEGV), or
    /// nil when it exited by itself; `status` is then that signal's number, not an exit status.
    public var signal: Int32?

    public init(status: Int32, standardOutput: String, standardError: String, signal: Int32? = nil, standardOutputBytes: Data? = nil) {
        self.status = status
        self.standardOutput = standardOutput
        self.standardOutputBytes = standardOutputBytes ?? Data(standardOutput.utf8)
        self.standardError = standardError
        self.signal = signal
    }
}

/// A program started by a test. Output is collected as it arrives; ``stop()`` (also run on
/// deinit) makes sure nothing is left running when the test ends.
public final class ChildProcess: Sendable {
    private let process: Process
    private let output = OutputBuffer()
    private let errors = OutputBuffer()

    public init(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil, currentDirectory: URL? = nil,
        standardInput: Data? = nil
    ) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        var inputPipe: Pipe?
        if standardInput != nil {
            inputPipe = Pipe()
            process.standardInput = inputPipe
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        self.process = process
        let output = self.output
        let errors = self.errors
        try process.run()
        Self.read(outPipe.fileHandleForReading, into: output)
        Self.read(errPipe.fileHandleForReading, into: errors)
        if let inputPipe, let standardInput {
            inputPipe.fileHandleForWriting.write(standardInput)
            try inputPipe.fileHandleForWriting.close()
        }
    }

    /// Reads `handle` to its end on a thread of its own, with plain blocking reads: the end is
    /// then the pipe's real end. (A readability handler's empty chunk may only mean "nothing
    /// yet", and a pause after exit lost the end of a long output on a loaded machine.) The
    /// thread holds the handle, so its descriptor cannot be closed and reused while it reads.
    private static func read(_ handle: FileHandle, into buffer: OutputBuffer) {
        Thread.detachNewThread {
            var bytes = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = Glibc.read(handle.fileDescriptor, &bytes, bytes.count)
                if count > 0 {
                    buffer.append(Data(bytes[0..<count]))
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            buffer.finish()
        }
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    public var standardOutput: String { output.text }
    public var standardError: String { errors.text }
    public var processIdentifier: Int32 { process.processIdentifier }

    /// The signal that ended the program, once it has ended by one.
    public var terminationSignal: Int32? {
        !process.isRunning && process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil
    }

    /// Waits until standard output holds a match for `pattern`, and returns the match.
    public func waitForOutput(matching pattern: String, timeout: Duration = .seconds(30)) async throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = standardOutput
            if let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                let range = Range(match.range, in: text)
            {
                return String(text[range])
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ChildProcessError(
            description: "no output matching /\(pattern)/; stdout: \(standardOutput); stderr: \(standardError)"
        )
    }

    public func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the program to end by itself and returns its exit status.
    public func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                stop()
                throw ChildProcessError(description: "the program did not exit within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // Read to the end of both pipes. (Something the program left running may hold a pipe
        // open: a few seconds, then what has come.)
        let drained = ContinuousClock.now + .seconds(5)
        while !(output.isComplete && errors.isComplete), ContinuousClock.now < drained {
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    /// Ends the program now (SIGKILL after a grace period) if it is still running.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Runs a program to completion.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil, currentDirectory: URL? = nil,
        standardInput: Data? = nil, timeout: Duration = .seconds(60)
    ) async throws -> ProcessResult {
        let child = try ChildProcess(
            executable, arguments, environment: environment, currentDirectory: currentDirectory, standardInput: standardInput
        )
        let status = try await child.waitForExit(timeout: timeout)
        return ProcessResult(
            status: status, standardOutput: child.standardOutput, standardError: child.standardError, signal: child.terminationSignal,
            standardOutputBytes: child.output.bytes
        )
    }
}

/// Bytes a pipe or terminal delivered so far, appended from a reader thread.
final class OutputBuffer: Sendable {
    private let data = Mutex(Data())
    private let complete = Atomic<Bool>(false)

    func append(_ chunk: Data) { data.withLock { $0.append(chunk) } }

    /// The pipe's end was read.
    func finish() { complete.store(true, ordering: .releasing) }

    /// True once the pipe's end was read.
    var isComplete: Bool { complete.load(ordering: .acquiring) }

    var bytes: Data { data.withLock { $0 } }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}

public struct ChildProcessError: Error, CustomStringConvertible {
    public let description: String
}

/// Where the built products are: beside the test bundle (`.build/debug`).
public enum BuildProducts {
    public static var directory: URL {
        let testBinary = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var directory = testBinary.deletingLastPathComponent()
        // The test runner may be inside `nexshPackageTests.xctest/…` on some platforms.
        while directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS" || directory.lastPathComponent == "Contents" {
            directory.deleteLastPathComponent()
        }
        return directory
    }

    public static var nexsh: URL { directory.appendingPathComponent("nexsh") }

    /// A program from `PATH` (`curl`).
    public static func tool(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}

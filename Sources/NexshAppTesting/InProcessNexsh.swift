import Foundation
import NexshApp
import NexshTesting
import ShellCore

/// `nexsh` run in the test's own process, as ArgumentParser's `AssertExecuteCommand` runs a
/// command, but with nothing shared between runs: each has its own output buffers, environment
/// and working directory (``AppEnvironment``), so tests run in parallel. Tests of the process
/// itself (signals, terminals, closed pipes, crashes) launch the binary with ``ChildProcess``.
public enum InProcessNexsh {
    /// Runs `nexsh <arguments>` to completion, taking what ``ChildProcess/run(_:_:environment:currentDirectory:standardInput:timeout:)``
    /// takes: `environment` over the process's, `currentDirectory` (nil: the process's), and
    /// `standardInput` (nil: empty, as `/dev/null`); the variables named in `unsetting` are left
    /// out, as `env -u` leaves them out.
    public static func run(
        _ arguments: [String], environment: [String: String]? = nil, currentDirectory: URL? = nil, standardInput: Data? = nil,
        unsetting: [String] = []
    ) async throws -> ProcessResult {
        let output = BufferedOutput()
        let errors = BufferedOutput()
        let input = try standardInput.map(InputFile.init)
        defer { input?.remove() }
        let app = AppEnvironment(
            standardOutput: .buffer(output), standardError: .buffer(errors),
            standardInputPath: input?.url.path ?? "/dev/null",
            variables: ProcessInfo.processInfo.environment.merging(environment ?? [:]) { _, new in new }.filter { !unsetting.contains($0.key) },
            workingDirectory: currentDirectory
        )
        let status = await NexshProgram.run(arguments, in: app)
        return ProcessResult(status: status, standardOutput: output.text, standardError: errors.text)
    }
}

/// Standard input for one run: a private temporary file holding the bytes.
private struct InputFile {
    let url: URL

    init(_ data: Data) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("nexsh-stdin-\(UUID().uuidString)")
        try data.write(to: url)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

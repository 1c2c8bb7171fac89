import CPseudoTerminal
import Foundation
import Synchronization

final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}

/// A program running on a pseudo-terminal, as a person at a terminal would run it: tests type
/// keys and wait for what appears.
public final class PseudoTerminal: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private let master: Int32
    private let pid: pid_t
    private let transcriptBuffer = OutputBuffer()
    private let searchStart = Mutex(0)
    private let exitCode = Mutex<Int32?>(nil)
    private let stopReading = StopFlag()

    /// Starts `executable` on a new terminal, in `currentDirectory` (else the test's own).
    public init(
        _ executable: URL, _ arguments: [String], environment: [String: String], currentDirectory: URL? = nil,
        rows: UInt16 = 40, columns: UInt16 = 120
    ) throws {
        var name = [CChar](repeating: 0, count: 256)
        let master = cpty_open_master(&name, name.count)
        guard master >= 0 else { throw Failure(description: "cannot open a pseudo-terminal: \(String(cString: strerror(errno)))") }
        self.master = master
        _ = cpty_set_window_size(master, rows, columns)

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = argv.withUnsafeBufferPointer { argvBuffer in
            envp.withUnsafeBufferPointer { envpBuffer in
                cpty_spawn(executable.path, argvBuffer.baseAddress, envpBuffer.baseAddress, name, currentDirectory?.path, &pid)
            }
        }
        guard result == 0 else {
            close(master)
            throw Failure(description: "cannot start \(executable.path): \(String(cString: strerror(result)))")
        }
        self.pid = pid

        // A thread of its own: a task blocking in poll would hold one of the few threads that
        // run every test's async work.
        let transcript = transcriptBuffer
        let stop = stopReading
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !stop.isSet {
                var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, 50)
                if ready < 0, errno != EINTR { break }
                guard ready > 0 else { continue }
                let count = read(master, &buffer, buffer.count)
                // 0 or EIO: the other side closed.
                guard count > 0 else { break }
                transcript.append(Data(buffer[0..<count]))
            }
        }
    }

    deinit {
        stop()
        stopReading.set()
        // The reader thread stops within a poll interval; the descriptor closes after it.
        let master = master
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(200)) { close(master) }
    }

    /// Everything the program wrote, escape sequences included.
    public var transcript: String { transcriptBuffer.text }

    /// Sends keys: text, `"\t"` (Tab), `"\r"` (Return), `"\u{1b}[A"` (Up), `"\u{03}"` (Ctrl-C),
    /// `"\u{04}"` (Ctrl-D).
    public func type(_ keys: String) {
        let bytes = Array(keys.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
            guard written > 0 else { break }
            offset += written
        }
    }

    /// Waits for `text` to appear after what earlier waits found, and returns the output up to it.
    /// The search is in ``visible``: colours and cursor movements are not text.
    @discardableResult
    public func waitFor(_ text: String, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var exitedAt: ContinuousClock.Instant?
        while ContinuousClock.now < deadline {
            let output = visible
            let start = searchStart.withLock { $0 }
            if start <= output.utf8.count, let range = output.utf8.dropFirst(start).firstRange(of: Array(text.utf8)) {
                let end = output.utf8.distance(from: output.utf8.startIndex, to: range.upperBound)
                searchStart.withLock { $0 = end }
                return String(output.utf8.dropFirst(start).prefix(end - start)) ?? ""
            }
            if let code = status() {
                // What the program wrote last may still be on its way through the terminal.
                exitedAt = exitedAt ?? ContinuousClock.now
                if ContinuousClock.now - exitedAt! > .milliseconds(500) {
                    throw Failure(description: "the program exited (\(code)) before \"\(text)\" appeared; output:\n\(visible)")
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure(description: "\"\(text)\" did not appear within \(timeout); output:\n\(visible)")
    }

    /// Waits until the program has the terminal in raw mode (libedit reading a line) or, with
    /// `echo: false`, has turned echo off (a password prompt). libedit prints its prompt before
    /// switching modes, so text typed too early would be handled by the wrong mode.
    public func waitForMode(raw: Bool = true, echo: Bool? = nil, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var flags: UInt32 = 0
            if cpty_local_flags(master, &flags) == 0 {
                let isRaw = flags & cpty_flag_icanon() == 0
                let echoes = flags & cpty_flag_echo() != 0
                if isRaw == raw, echo.map({ $0 == echoes }) ?? true { return }
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw Failure(description: "the terminal did not reach the expected mode; output:\n\(visible)")
    }

    /// The exit status (a negative number for a signal), or nil while the program runs.
    public func status() -> Int32? {
        if let code = exitCode.withLock({ $0 }) { return code }
        let result = cpty_wait(pid, 0)
        guard result != -2000 else { return nil }
        exitCode.withLock { $0 = result }
        return result
    }

    public func waitForExit(timeout: Duration = .seconds(20)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let code = status() { return code }
            try await Task.sleep(for: .milliseconds(20))
        }
        stop()
        throw Failure(description: "the program did not exit within \(timeout); output:\n\(visible)")
    }

    public func resize(rows: UInt16, columns: UInt16) {
        _ = cpty_set_window_size(master, rows, columns)
    }

    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Ends the program if it still runs.
    public func stop() {
        guard status() == nil else { return }
        kill(pid, SIGTERM)
        for _ in 0..<100 where status() == nil { usleep(20_000) }
        if status() == nil {
            kill(pid, SIGKILL)
            _ = cpty_wait(pid, 1)
        }
    }

    /// The transcript without escape sequences (colours, cursor movements).
    public var visible: String {
        transcript.replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
    }
}

extension PseudoTerminal {
    /// What the shell needs to start on a test's terminal: its home (history, ~/.editrc) in
    /// `home`, no colour, no server from the test's own environment.
    public static func shellEnvironment(home: URL) -> [String: String] {
        [
            "HOME": home.path, "TERM": "xterm", "LANG": "C.UTF-8", "NO_COLOR": "1", "NEXSH_SERVER": "",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
    }
}

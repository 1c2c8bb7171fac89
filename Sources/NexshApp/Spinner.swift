import Foundation
import HTTPValues
import ShellCore
import Synchronization

/// A request that has taken more than a second shows, on standard error, what it waits for and
/// for how long, until its answer comes. Only on a terminal: never in a pipe, a file or CI.
final class SpinnerTransport: HTTPTransport {
    private let upstream: any HTTPTransport
    /// Silence before the spinner shows: most answers come sooner, and a flash of it would
    /// only distract.
    static let delay = Duration.seconds(1)
    private static let frames = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")

    init(_ upstream: any HTTPTransport) {
        self.upstream = upstream
    }

    /// Standard error is a terminal: the only place a spinner belongs.
    static var isWanted: Bool { AppEnvironment.current.errorIsTerminal }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let line = SpinnerLine()
        let label = Terminal.safe(request.label)
        let started = ContinuousClock.now
        let spinner = Task {
            try await Task.sleep(for: Self.delay)
            var frame = 0
            while !Task.isCancelled {
                let elapsed = (ContinuousClock.now - started).milliseconds / 1000
                line.draw("\(Self.frames[frame % Self.frames.count]) \(label) \(String(format: "%.1fs", elapsed))")
                frame += 1
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        defer {
            spinner.cancel()
            line.clear()
        }
        return try await upstream.send(request)
    }
}

/// The one line a spinner owns: drawn over and over, then cleared once, never drawn after.
private final class SpinnerLine: Sendable {
    private struct State {
        var drawn = false
        var cleared = false
    }

    private let state = Mutex(State())

    func draw(_ text: String) {
        state.withLock { state in
            guard !state.cleared else { return }
            state.drawn = true
            AppEnvironment.current.standardError.writeControl("\r\u{1B}[K" + text)
        }
    }

    func clear() {
        state.withLock { state in
            if state.drawn { AppEnvironment.current.standardError.writeControl("\r\u{1B}[K") }
            state.cleared = true
        }
    }
}

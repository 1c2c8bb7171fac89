import Foundation
import HTTPValues
import ShellCore
import Synchronization

/// A request that has taken more than a second shows, on standard error, what it waits for and
/// for how long, until its answer comes: the request, or what holds it up (a throttling server's
/// wait). Only on a terminal: never in a pipe, a file or CI.
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

    /// The line of the request this task sends, while a spinner shows it.
    @TaskLocal private static var currentLine: SpinnerLine?

    /// Shows `note` (a wait, with its reason) in place of the request on the spinner of the
    /// request this task is sending; false when no spinner shows it, for a note elsewhere.
    static func showOnCurrentLine(_ note: String) -> Bool {
        guard let line = currentLine else { return false }
        line.status = Terminal.safe(note)
        return true
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let line = SpinnerLine()
        let label = Terminal.safe(request.label)
        let started = ContinuousClock.now
        let spinner = Task {
            try await Task.sleep(for: Self.delay)
            var frame = 0
            while !Task.isCancelled {
                let elapsed = (ContinuousClock.now - started).milliseconds / 1000
                let waited = String(format: "%.1fs", elapsed)
                // A wait's reason ends in a number of its own: a dash keeps the clock apart.
                line.draw("\(Self.frames[frame % Self.frames.count]) " + (line.status.map { "\($0) — \(waited)" } ?? "\(label) \(waited)"))
                frame += 1
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        defer {
            spinner.cancel()
            line.clear()
        }
        return try await Self.$currentLine.withValue(line) { try await upstream.send(request) }
    }
}

/// The one line a spinner owns: drawn over and over, then cleared once, never drawn after.
private final class SpinnerLine: Sendable {
    private struct State {
        var drawn = false
        var cleared = false
        var status: String?
    }

    private let state = Mutex(State())

    /// What holds the request up, shown instead of the request once set.
    var status: String? {
        get { state.withLock { $0.status } }
        set { state.withLock { $0.status = newValue } }
    }

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

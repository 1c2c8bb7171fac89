import Foundation
import ShellCore
import Synchronization

extension AppEnvironment {
    /// A line that updates in place belongs on a terminal only: never in a pipe, a file or CI.
    var showsProgressLine: Bool {
        errorIsTerminal && variables["CI"] == nil && (variables["TERM"] ?? "") != "dumb"
    }
}

/// `[3/10] 1 failed` on one updating line of standard error: only on a terminal, never in CI.
final class Progress: Sendable {
    private let total: Int
    private let enabled: Bool
    private let state = Mutex((done: 0, failed: 0))

    init(total: Int) {
        self.total = total
        enabled = total > 1 && AppEnvironment.current.showsProgressLine
    }

    func finished(_ outcome: ScriptOutcome) {
        let (done, failed) = state.withLock { state in
            state.done += 1
            if !outcome.succeeded { state.failed += 1 }
            return state
        }
        guard enabled else { return }
        AppEnvironment.current.standardError.writeControl("\r\u{1B}[K[\(done)/\(total)] \(failed) failed")
    }

    func clear() {
        guard enabled else { return }
        AppEnvironment.current.standardError.writeControl("\r\u{1B}[K")
    }
}

/// The interactive shell's progress line, on standard error when it is a terminal.
struct StandardErrorProgress: ProgressLine {
    private let isShown = AppEnvironment.current.showsProgressLine

    func show(_ text: String) {
        guard isShown else { return }
        AppEnvironment.current.standardError.writeControl("\r\u{1B}[K" + Terminal.safe(text))
    }

    func clear() {
        guard isShown else { return }
        AppEnvironment.current.standardError.writeControl("\r\u{1B}[K")
    }
}

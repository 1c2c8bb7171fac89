import Foundation
import ShellCore
import Synchronization

/// `[3/10] 1 failed` on one updating line of standard error: only on a terminal, never in CI.
final class Progress: Sendable {
    private let total: Int
    private let enabled: Bool
    private let state = Mutex((done: 0, failed: 0))

    init(total: Int) {
        self.total = total
        let environment = AppEnvironment.current.variables
        enabled = total > 1 && AppEnvironment.current.errorIsTerminal && environment["CI"] == nil && (environment["TERM"] ?? "") != "dumb"
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

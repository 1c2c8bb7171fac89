import Foundation
import LineEditor
import Synchronization

/// SIGINT while a command runs (the terminal is then in its normal mode): counted here, and
/// the command's task is cancelled by a watcher. While a line is edited, Ctrl-C is a key.
enum Interrupts {
    private static let counter = Atomic<Int>(0)

    static var count: Int { counter.load(ordering: .relaxed) }

    static func install() {
        signal(SIGINT) { _ in Interrupts.counter.add(1, ordering: .relaxed) }
    }
}

/// Owns the line editor on a thread of its own: `el_gets` blocks, and must not hold one of the
/// few threads async work runs on.
final class EditorHost: @unchecked Sendable {
    // Everything below is touched only on `queue`.
    private let queue = DispatchQueue(label: "nexsh.line-editor")
    private var editor: LineEditor?

    func start(historyFile: URL, prompt: @escaping @Sendable () -> String, complete: @escaping @Sendable (String) -> LineCompletions) {
        queue.sync {
            editor = LineEditor(program: "nexsh", historyFile: historyFile, prompt: prompt, complete: complete)
        }
    }

    /// The next line, and how many interrupts had come when it was read: the terminal is back
    /// in its normal mode from then on, so a Ctrl-C after it is a signal meant for the command
    /// the line runs, however soon it comes.
    func readLine() async -> (LineEditor.Input, interrupts: Int) {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                let input = editor?.readLine() ?? .endOfInput
                continuation.resume(returning: (input, Interrupts.count))
            }
        }
    }

    func addHistory(_ line: String) {
        queue.sync { editor?.addHistory(line) }
    }

    func historyEntries() -> [String] {
        queue.sync { editor?.historyEntries ?? [] }
    }

    /// Saves the history; `scrub` first takes out of every entry what the session has learned
    /// is secret since it was entered (a value that turned out to be the password).
    func saveHistory(scrub: ([String]) -> [String]) {
        queue.sync {
            do {
                editor?.rewriteHistory(scrub)
                try editor?.saveHistory()
            } catch {
                Console.error("nexsh: cannot save the history: \((error as NSError).localizedDescription)")
            }
        }
    }

    func close() {
        queue.sync {
            editor?.close()
            editor = nil
        }
    }
}

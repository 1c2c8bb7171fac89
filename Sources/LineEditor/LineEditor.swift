import CEditLine
import Foundation
import SecureFiles

/// A completion candidate as the line editor shows and inserts it.
public struct LineCompletion: Sendable, Equatable {
    public var value: String
    public var description: String?
    public var appendsSpace: Bool

    public init(_ value: String, description: String? = nil, appendsSpace: Bool = true) {
        self.value = value
        self.description = description
        self.appendsSpace = appendsSpace
    }
}

/// What completion offers for the text before the cursor.
public struct LineCompletions: Sendable, Equatable {
    /// The word before the cursor as it stands in the line (quotes and escapes included); every
    /// candidate that extends it has what is to be inserted after it.
    public var word: String
    public var candidates: [LineCompletion]

    public init(word: String, candidates: [LineCompletion]) {
        self.word = word
        self.candidates = candidates
    }
}

/// libedit, wrapped once: a prompt that can change between lines, completion from a callback,
/// history in a file, Emacs keys (or whatever `~/.editrc` says), Ctrl-R history search, and
/// Ctrl-C that cancels the line instead of killing the program. It knows nothing of the
/// commands it edits.
///
/// Use one instance from one thread at a time (`readLine` blocks until a line is complete).
public final class LineEditor {
    public enum Input: Equatable {
        case line(String)
        /// Ctrl-C: the line was abandoned.
        case interrupted
        /// Ctrl-D on an empty line, or the end of input.
        case endOfInput
    }

    /// Marks the invisible parts (colour sequences) of a prompt.
    public static let promptIgnore: Character = "\u{1}"

    private let editor: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: URL?
    private let prompt: () -> String
    private let complete: (String) -> LineCompletions
    private var promptBuffer: UnsafeMutablePointer<CChar>?
    private var interrupted = false
    private var closed = false

    /// - Parameters:
    ///   - historyFile: read now, written by ``saveHistory()``; created with mode 0600.
    ///   - prompt: asked before each line, so it can change (after `switch`, say).
    ///   - complete: the word before the cursor and its candidates, for the text before the
    ///     cursor (the caller knows how its language splits words).
    public init(
        program: String,
        historyFile: URL?,
        historySize: Int = 1000,
        prompt: @escaping () -> String,
        complete: @escaping (String) -> LineCompletions
    ) {
        cel_setlocale()
        let drawOnStandardError = isatty(STDOUT_FILENO) == 0
        editor = cel_init(program, drawOnStandardError ? 1 : 0)
        history = cel_history_init()
        self.historyFile = historyFile
        self.prompt = prompt
        self.complete = complete

        cel_history_setsize(history, Int32(historySize))
        cel_history_unique(history, 1)
        if let historyFile { cel_history_load(history, historyFile.path) }
        cel_set_history(editor, history)

        cel_set_clientdata(editor, Unmanaged.passUnretained(self).toOpaque())
        cel_set_prompt(editor, { editor in
            guard let editor, let data = cel_get_clientdata(editor) else { return nil }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().promptText()
        }, CChar(bitPattern: UInt8(ascii: "\u{1}")))
        cel_set_editor(editor, "emacs")
        cel_set_signal(editor, 1)

        cel_add_function(editor, "nexsh-complete", "Complete the word before the cursor", { editor, _ in
            guard let editor, let data = cel_get_clientdata(editor) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().completeAtCursor()
        })
        cel_add_function(editor, "nexsh-interrupt", "Abandon the line", { editor, _ in
            guard let editor, let data = cel_get_clientdata(editor) else { return UInt8(CC_ERROR) }
            Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().interrupted = true
            return UInt8(CC_NEWLINE)
        })
        cel_bind(editor, "^I", "nexsh-complete")
        cel_bind(editor, "^C", "nexsh-interrupt")
        cel_bind(editor, "^R", "em-inc-search-prev")
        // Ctrl-C reaches the editor as a key while a line is edited, not as SIGINT.
        cel_settty(editor, "-d", "-isig")
        // The person's ~/.editrc (`bind -v` for vi keys) comes last, so it wins.
        el_source(editor, nil)
    }

    deinit {
        close()
    }

    /// Restores the terminal and frees libedit's state; safe to call more than once.
    public func close() {
        guard !closed else { return }
        closed = true
        el_end(editor)
        history_end(history)
        free(promptBuffer)
    }

    /// Blocks until a line is entered, Ctrl-C abandons it, or input ends.
    public func readLine() -> Input {
        interrupted = false
        var count: Int32 = 0
        guard let raw = el_gets(editor, &count), count > 0 else {
            return interrupted ? .interrupted : .endOfInput
        }
        // el_gets reuses its buffer and keeps the newline.
        var line = String(cString: raw)
        if interrupted {
            // The abandoned line stays on screen, marked, and the next prompt starts below it.
            let output = isatty(STDOUT_FILENO) == 1 ? cel_stdout() : cel_stderr()
            fputs("^C\n", output)
            fflush(output)
            return .interrupted
        }
        while line.hasSuffix("\n") || line.hasSuffix("\r") { line.removeLast() }
        return .line(line)
    }

    /// Adds a line to the history (consecutive duplicates are dropped).
    public func addHistory(_ line: String) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        cel_history_enter(history, line)
    }

    /// Rewrites every history entry, oldest first (what a session learned later, such as which
    /// values are secret, applied to lines entered earlier). Unchanged entries stay as they are.
    public func rewriteHistory(_ transform: ([String]) -> [String]) {
        let entries = historyEntries
        let rewritten = transform(entries)
        guard rewritten != entries else { return }
        cel_history_clear(history)
        for line in rewritten { addHistory(line) }
    }

    /// The history, oldest first.
    public var historyEntries: [String] {
        var entries: [String] = []
        var pointer = cel_history_walk(history, 1)
        while let entry = pointer {
            entries.append(String(cString: entry).trimmingCharacters(in: .newlines))
            pointer = cel_history_walk(history, 0)
        }
        return entries
    }

    /// Writes the history file in one step, as a new file readable and writable by its owner
    /// only, never through a link planted in its place (``AtomicFile``). A folder made for it
    /// is its owner's alone.
    public func saveHistory() throws {
        guard let historyFile else { return }
        let directory = historyFile.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try AtomicFile.write(to: historyFile.path, permissions: .private) { file throws(SecureFileError) in
            guard cel_history_save_fd(history, file.descriptor) >= 0 else {
                throw file.failed(errno == 0 ? EIO : errno, doing: "write")
            }
        }
    }

    // MARK: - Callbacks

    private func promptText() -> UnsafeMutablePointer<CChar>? {
        free(promptBuffer)
        promptBuffer = strdup(prompt())
        return promptBuffer
    }

    /// Inserts what all candidates share beyond the word typed; lists them when that adds
    /// nothing. Strings are compared and cut by Unicode scalars, the units libedit inserts, so
    /// that what is inserted is exactly the rest of the candidates.
    private func completeAtCursor() -> UInt8 {
        guard let info = el_line(editor)?.pointee else { return UInt8(CC_ERROR) }
        let length = info.cursor - info.buffer
        let before = String(decoding: UnsafeBufferPointer(start: UnsafeRawPointer(info.buffer).assumingMemoryBound(to: UInt8.self), count: length), as: UTF8.self)
        let offered = complete(before)
        let candidates = offered.candidates
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let word = Array(offered.word.unicodeScalars)

        if candidates.count == 1, let only = candidates.first, let rest = Self.rest(of: only.value, after: word) {
            insert(rest + (only.appendsSpace ? " " : ""))
            return UInt8(CC_REFRESH)
        }
        if let rest = Self.rest(of: Self.commonPrefix(candidates.map(\.value)), after: word), !rest.isEmpty {
            insert(rest)
            return UInt8(CC_REFRESH)
        }
        list(candidates)
        return UInt8(CC_REDISPLAY)
    }

    /// What `value` has after `word`, or nil when it does not start with it.
    private static func rest(of value: String, after word: [Unicode.Scalar]) -> String? {
        guard value.unicodeScalars.starts(with: word) else { return nil }
        return String(String.UnicodeScalarView(value.unicodeScalars.dropFirst(word.count)))
    }

    private func insert(_ text: String) {
        guard !text.isEmpty else { return }
        _ = text.withCString { el_insertstr(editor, $0) }
    }

    private func list(_ candidates: [LineCompletion]) {
        let width = min(40, candidates.map(\.value.count).max() ?? 0)
        var text = "\n"
        for candidate in candidates.prefix(100) {
            // Padded by characters, as the values were measured (`padding(toLength:)` counts
            // UTF-16 units, and cuts a value with an emoji short).
            let padded = candidate.value + String(repeating: " ", count: max(0, width - candidate.value.count))
            text += candidate.description.map { "\(padded)  \($0)" } ?? candidate.value
            text += "\n"
        }
        if candidates.count > 100 { text += "… and \(candidates.count - 100) more\n" }
        let output = isatty(STDOUT_FILENO) == 1 ? cel_stdout() : cel_stderr()
        fputs(text, output)
        fflush(output)
    }

    /// The longest run of Unicode scalars every value starts with.
    private static func commonPrefix(_ values: [String]) -> String {
        guard let first = values.first else { return "" }
        var shared = Array(first.unicodeScalars)
        for value in values.dropFirst() {
            let count = zip(shared, value.unicodeScalars).prefix { $0 == $1 }.count
            shared.removeLast(shared.count - count)
        }
        return String(String.UnicodeScalarView(shared))
    }
}

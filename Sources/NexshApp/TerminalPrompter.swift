import Foundation
import Glibc
import ShellCore

/// Asks the person at the terminal for a line, or a secret with echo off, between two edited
/// lines (libedit is idle then). Reading polls, so that Ctrl-C (which cancels the command)
/// ends the question too. The answer is nil when the person cancelled: Ctrl-C, or Ctrl-D on
/// an empty answer; either way the line is ended, since the terminal shows neither with one.
struct TerminalPrompter: Prompter {
    func readLine(prompt: String) async -> String? {
        await ask(prompt, echo: true)
    }

    func readSecret(prompt: String) async -> String? {
        await ask(prompt, echo: false)
    }

    private func ask(_ prompt: String, echo: Bool) async -> String? {
        var saved = termios()
        let isTerminal = tcgetattr(STDIN_FILENO, &saved) == 0
        if isTerminal, !echo {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            quiet.c_lflag |= tcflag_t(ECHONL)
            // Before the prompt is shown, so that nothing typed early is echoed.
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer {
            if isTerminal, !echo { tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
        }
        let output = isatty(STDOUT_FILENO) == 1 ? STDOUT_FILENO : STDERR_FILENO
        Descriptor.write(prompt, to: output)

        var bytes: [UInt8] = []
        while !Task.isCancelled {
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 50)
            if ready < 0, errno != EINTR { return nil }
            guard ready > 0 else { continue }
            var byte: UInt8 = 0
            let count = read(STDIN_FILENO, &byte, 1)
            if count <= 0 {
                // Ctrl-D: what was typed, if anything, is the answer.
                Descriptor.write("\n", to: output)
                return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                return String(decoding: bytes, as: UTF8.self)
            }
            bytes.append(byte)
        }
        // Ctrl-C: the command, and with it the question, was cancelled.
        Descriptor.write("\n", to: output)
        return nil
    }
}

import Foundation
import NexshTesting
import Testing

/// A write at a real terminal: it shows the request, asks, and sends only on a yes.
@Suite struct WriteConfirmationTerminalTests {
    @Test func aWriteIsSentOnlyWhenThePersonSaysYes() async throws {
        let shell = InteractiveShellTests()
        try await withTemporaryDirectory { home in
            let terminal = try await shell.start(home: home)
            defer { terminal.stop() }
            try await shell.signIn(terminal)

            terminal.type("contract pause 5001\r")
            try await terminal.waitFor("PUT /api/public/billing/coworkerContracts/v2/5001/pause")
            try await terminal.waitFor("Send it? [y/N] ")
            try await terminal.waitForMode(raw: false, echo: true)
            terminal.type("n\r")
            try await terminal.waitFor("not sent: cancelled")
            try await shell.prompt(terminal)
            // Nothing was sent: the contract still runs.
            try await shell.step(terminal, "get /api/public/billing/coworkerContracts/5001", until: #""IsPaused": false"#)

            terminal.type("contract pause 5001\r")
            try await terminal.waitFor("Send it? [y/N] ")
            try await terminal.waitForMode(raw: false, echo: true)
            terminal.type("y\r")
            try await terminal.waitFor("The contract has been paused.")
            try await shell.prompt(terminal)
            try await shell.step(terminal, "get /api/public/billing/coworkerContracts/5001", until: #""IsPaused": true"#)

            // --yes: sent without a question.
            try await shell.step(terminal, "contract resume 5001 --yes", until: "The contract has been resumed.")
            #expect(terminal.transcript.components(separatedBy: "Send it? [y/N]").count == 3, "asked twice, not for --yes")

            terminal.type("\u{04}")
            #expect(try await terminal.waitForExit() == 0)
        }
    }
}

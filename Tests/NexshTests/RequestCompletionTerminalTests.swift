import Foundation
import NexshTesting
import Testing

/// Raw requests completed with Tab in a real pseudo-terminal, on the built-in sandbox: a path
/// from the catalogue, and a placeholder filled with an id an earlier answer showed. What counts
/// is the line the completion wrote, which `history` shows as it ran.
@Suite struct RequestCompletionTerminalTests {
    let shell = InteractiveShellTests()

    @Test func tabCompletesACataloguePathAndAPlaceholderWithASeenId() async throws {
        try await withTemporaryDirectory { home in
            let terminal = try await shell.start(home: home)
            defer { terminal.stop() }
            try await shell.signIn(terminal)

            // One path in the catalogue starts so.
            try await shell.step(terminal, "get /api/public/de\t", until: "200 OK")
            // The teams the answer lists, then one of them in the path.
            try await shell.step(terminal, "get /api/public/teams/my isTeamAdmin=false", until: "Tech Innovators")
            try await shell.step(terminal, "get /api/public/teams/5\t", until: "Tech Innovators")

            terminal.type("history\r")
            try await terminal.waitFor("get /api/public/deliveries/my")
            try await terminal.waitFor("get /api/public/teams/55/profile")
            try await shell.prompt(terminal)
            terminal.type("exit\r")
            #expect(try await terminal.waitForExit() == 0)
        }
    }
}

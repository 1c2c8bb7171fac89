import Foundation
import NexudusCommands
import ShellCore
import Testing

/// `-v` and `set verbose on`: each exchange as sent and answered, secrets as placeholders,
/// before the command's own rendering.
@Suite struct VerboseTests {
    @Test func eachExchangeIsShownBeforeTheRenderingWithItsSecretsRedacted() async throws {
        try await NexudusCommandsTests().withShell { shell in
            let login = try await shell.run("login jane.doe@example.com --password correct-horse -v")
            #expect(!login.contains("correct-horse"), "\(login)")
            let token = try #require(login.range(of: "POST http://"))
            let profiles = try #require(login.range(of: "GET http://"))
            let rendering = try #require(login.range(of: "signed in as Jane Doe"))
            #expect(token.lowerBound < profiles.lowerBound && profiles.lowerBound < rendering.lowerBound)
            #expect(login.contains("/api/token\nAccept: application/json\n"), "\(login)")
            #expect(login.contains("password=%3Credacted%3Apassword%3E"), "\(login)")
            #expect(login.contains("\nHTTP/1.1 200 OK\nContent-Type: application/json"))
            let accessToken = try #require(shell.session.client.session?.accessToken)
            #expect(!login.contains(accessToken))
            #expect(login.contains("Authorization: <redacted:authorization>"))

            #expect(!(try await shell.run("business")).contains("GET http://"), "quiet without -v")
            try await shell.run("set verbose on")
            let walk = try await shell.run("events --all")
            #expect(walk.components(separatedBy: "\nGET http://").count - 1 + (walk.hasPrefix("GET http://") ? 1 : 0) == 3, "one view a page")
            try await shell.run("set verbose off")
            #expect(!(try await shell.run("business")).contains("GET http://"))
        }
    }
}

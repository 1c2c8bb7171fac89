import Foundation
import NexshAppTesting
import NexshTesting
import Sandbox
import Testing

/// Each sign-in error of issue 16 as a person sees it from `nexsh run`, against the built-in
/// sandbox on loopback; the must_reset_password description (which may be a reset token) in
/// neither the output nor the cassette.
@Suite struct SignInMessageTests {
    func nexsh(_ arguments: [String], in directory: URL) async throws -> ProcessResult {
        try await InProcessNexsh.run(arguments, environment: ["NO_COLOR": "1", "NEXSH_SERVER": ""], currentDirectory: directory)
    }

    func write(_ text: String, to name: String, in directory: URL) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    @Test func eachSignInErrorAsAPersonSeesItAndNoResetTokenAnywhere() async throws {
        let script = """
            login jane.doe@example.com --password nope
            login alex.kim@example.com --password tr0ub4dor-3
            login robin.vale@example.com --password expired-pass --json
            expect .error == must_reset_password
            login broken@example.com --password any-password

            """
        try await withTemporaryDirectory { directory in
            try write(script, to: "s.nexsh", in: directory)
            let result = try await nexsh(["run", "s.nexsh", "--keep-going", "--cassette", "s.har", "--mode", "record"], in: directory)
            #expect(result.status == 1)
            let output = result.standardOutput + result.standardError
            for line in [
                "s.nexsh:1:1: error: sign-in refused (invalid_grant): the email or password is wrong, the account is not registered at this location, or it is suspended: The user name or password is incorrect; check the password, and that 127.0.0.1 is the space the account belongs to\n",
                "s.nexsh:2:1: error: this account uses two-factor authentication: a valid TOTP code is required: A two-factor authentication code (totp) is required for this account; give the code from the authenticator app: login EMAIL --totp CODE\n",
                "s.nexsh:3:1: error: sign-in refused (must_reset_password): the password of this account must be reset before it can sign in; reset it in the portal (http://127.0.0.1:",
                "s.nexsh:5:1: error: sign-in failed: the server answered 500 Internal Server Error: An error has occurred; check the email address (the service fails this way for an account it does not know), or try again later\n",
            ] {
                #expect(output.contains(line), "\(line)\n---\n\(output)")
            }
            #expect(output.contains("\"error\": \"must_reset_password\""), "--json shows the error code")
            #expect(output.contains("1 passed"), "expect .error still sees the code")
            #expect(!output.contains(SandboxServer.fakeResetToken))
            let cassette = try String(contentsOf: directory.appendingPathComponent("s.har"), encoding: .utf8)
            #expect(cassette.contains("must_reset_password"))
            #expect(!cassette.contains(SandboxServer.fakeResetToken), "the reset token is redacted from the recording")
        }
    }

    @Test func aBareSpaceNameIsItsPortal() async throws {
        try await withTemporaryDirectory { directory in
            try write("server coolspace\nserver\n", to: "s.nexsh", in: directory)
            let result = try await nexsh(["run", "s.nexsh"], in: directory)
            #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
            #expect(result.standardOutput.hasPrefix("server: https://coolspace.spaces.nexudus.com (signed out)\nhttps://coolspace.spaces.nexudus.com\n"))
        }
    }

    /// `--auth-server` sends the token request elsewhere; where none answers, the message says
    /// so and names the other host to try: the portal.
    @Test func theTokenRequestGoesToTheAuthServerAndA404SaysWhereElseToTry() async throws {
        try await withSandbox { sandbox in
            try await withTemporaryDirectory { directory in
                try write("login jane.doe@example.com --password correct-horse\n", to: "s.nexsh", in: directory)
                let portal = sandbox.baseURL.absoluteString
                let result = try await nexsh(["run", "s.nexsh", "--server", portal, "--auth-server", portal + "/elsewhere"], in: directory)
                #expect(result.status == 1)
                #expect(result.standardError.contains(
                    "s.nexsh:1:1: error: sign-in failed: the server answered 404 Not Found: there is no token endpoint at this address; try without --auth-server: the token request then goes to the portal, \(portal)\n"
                ), "\(result.standardError)")
                let refused = try await nexsh(["run", "s.nexsh", "--auth-server", "http://example.com"], in: directory)
                #expect(refused.status == 3)
                #expect(refused.standardError.contains("--allow-http"), "\(refused.standardError)")
            }
        }
    }
}

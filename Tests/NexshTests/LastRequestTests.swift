import Foundation
import HTTPValues
import NexshTesting
import NexudusCommands
import Sandbox
import ShellCore
import Testing
import Transport

/// `last --request` and `last --curl`: the request as sent, secrets redacted, and as a curl
/// command that, run by /bin/sh with the token in its environment, gets the same answer.
@Suite struct LastRequestTests {
    struct Shell {
        let context: ShellContext
        let output: BufferedOutput
        let session: NexudusSession

        func run(_ line: String) async throws -> String {
            let before = output.text.count
            try await Dispatcher.execute(text: line, in: context)
            return String(output.text.dropFirst(before))
        }
    }

    func shell(_ baseURL: URL, _ transport: any HTTPTransport) -> Shell {
        let session = NexudusSession(baseURL: baseURL, live: transport)
        let output = BufferedOutput()
        let context = ShellContext(commands: NexudusCommands.table, services: [session], output: output)
        return Shell(context: context, output: output, session: session)
    }

    @Test func theRequestAsSentWithItsSecretsAsPlaceholders() async throws {
        let sandbox = InProcessSandbox()
        let shell = shell(sandbox.baseURL, sandbox.transport)
        try await shell.run("login \(SandboxAccounts.jane.email) --password \(SandboxAccounts.jane.password)")
        let token = try #require(shell.session.client.session?.accessToken)
        let shown = try await shell.run("last --request")
        #expect(shown.hasPrefix("GET \(sandbox.baseURL.absoluteString)/api/public/coworkers/profiles\n"), "\(shown)")
        #expect(shown.contains("\nAuthorization: <redacted:authorization>\n"))
        #expect(!shown.contains(token))

        // A sign-in form, as sent, its password a placeholder.
        _ = try? await shell.run("login \(SandboxAccounts.jane.email) --password wrong-horse")
        let form = try await shell.run("last --request")
        #expect(form.hasPrefix("POST \(sandbox.baseURL.absoluteString)/api/token\n"), "\(form)")
        #expect(form.hasSuffix("\n\ngrant_type=password&username=jane.doe%40example.com&password=%3Credacted%3Apassword%3E\n"), "\(form)")
        #expect(!form.contains("wrong-horse") && !form.contains(SandboxAccounts.jane.password))

        // A JSON body is pretty-printed.
        _ = try? await shell.run(#"post /api/public/teams/55/members --body '{"Email": "sam.roe@example.com"}'"#)
        #expect(try await shell.run("last --request").hasSuffix("\n\n{\n  \"Email\": \"sam.roe@example.com\"\n}\n"))
    }

    @Test func theCurlCommandRunAgainstTheSandboxGetsTheSameBody() async throws {
        try await withSandbox { sandbox in
            try await withLiveTransport { transport in
                let shell = shell(sandbox.baseURL, transport)
                try await shell.run("login \(SandboxAccounts.jane.email) --password \(SandboxAccounts.jane.password)")
                let token = try #require(shell.session.client.session?.accessToken)
                try await shell.run(#"get /api/public/coworkers/profiles "_shape=User.FullName,User.Email""#)
                let received = try #require(shell.context.lastExchange?.response.body)

                let command = try await shell.run("last --curl")
                #expect(command.hasPrefix("curl '\(sandbox.baseURL.absoluteString)/api/public/coworkers/profiles?_shape="), "\(command)")
                #expect(command.contains(#"-H "Authorization: Bearer $NEXSH_TOKEN""#))
                #expect(!command.contains(token))

                let ran = try await ChildProcess.run(
                    URL(fileURLWithPath: "/bin/sh"), ["-c", command.trimmingCharacters(in: .newlines) + " --silent --show-error"], environment: ["NEXSH_TOKEN": token]
                )
                #expect(ran.status == 0, "\(ran.standardError)")
                #expect(ran.standardOutputBytes == received)
            }
        }
    }

    @Test func requestAndCurlAreOneViewAtATime() async throws {
        let sandbox = InProcessSandbox()
        let shell = shell(sandbox.baseURL, sandbox.transport)
        await #expect(throws: ShellError.self) { try await shell.run("last --curl --json") }
        #expect(try await shell.run("last --request") == "(no response yet)\n")
    }
}

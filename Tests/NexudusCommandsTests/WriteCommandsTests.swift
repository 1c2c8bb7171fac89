import Foundation
import NexudusCommands
import ShellCore
import Testing

/// `team add-member`, `contract pause|resume`, `plans cancel` on the in-process sandbox: what they say they
/// send, what they print, and the state they leave. (A terminal's question is asked in a real
/// pseudo-terminal: InteractiveShellTests.)
@Suite struct WriteCommandsTests {
    @Test func pauseSaysWhatItSendsThenWhatHappenedAndTheContractShowsPaused() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let paused = try await shell.run("contract pause 5001")
            #expect(paused == "PUT /api/public/billing/coworkerContracts/v2/5001/pause\nThe contract has been paused.\n")
            #expect(shell.requests.last == "PUT /api/public/billing/coworkerContracts/v2/5001/pause")
            let shown = try await shell.run("get /api/public/billing/coworkerContracts/5001")
            #expect(shown.contains(#""IsPaused": true"#))
            #expect(try await shell.run("contract 5001").split(separator: "\n").contains { $0.contains("status") && $0.hasSuffix("paused") })
            #expect(try await shell.run("teams").contains("5001 Hot Desk Monthly, 250.00 GBP, next invoice 2025-02-01, paused"))

            let resumed = try await shell.run("contract resume 5001 --json")
            #expect(resumed.hasPrefix("PUT /api/public/billing/coworkerContracts/v2/5001/resume\n{"))
            #expect(resumed.contains(#""WasSuccessful": true"#))
            #expect(resumed.contains(#""Message": "The contract has been resumed.""#))
            #expect(try await shell.run("get /api/public/billing/coworkerContracts/5001").contains(#""IsPaused": false"#))
        }
    }

    @Test func aSecondPauseIsRefusedUnder200AndReportedAsAFailedRequest() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            try await shell.run("contract pause 5001")
            await #expect {
                try await shell.run("contract pause 5001")
            } throws: { error in
                guard case .requestFailed(let status, let message) = error as? ShellError else { return false }
                return status == 200 && message.contains("The contract is already paused.")
            }
            #expect(shell.context.lastExchange?.response.status == 200, "the refusal is the last response, for expect")
            // With --json the refusal's body comes first, as received.
            let before = shell.output.text.count
            await #expect(throws: ShellError.self) { try await shell.run("contract pause 5001 --json") }
            #expect(String(shell.output.text.dropFirst(before)).contains(#""WasSuccessful": false"#))
        }
    }

    @Test func addMemberPostsTheAddressesAndTheTeamListsThem() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let added = try await shell.run("team add-member 55 ada@example.com grace@example.com")
            #expect(added == """
                POST /api/public/teams/55/members  ["ada@example.com","grace@example.com"]
                2 member(s) added to Tech Innovators.

                """)
            let body = try #require(shell.transport.requests.last?.body)
            #expect(String(decoding: body, as: UTF8.self) == #"["ada@example.com","grace@example.com"]"#)
            #expect(shell.transport.requests.last?.headers["Content-Type"] == "application/json")
            let teams = try await shell.run("teams")
            #expect(teams.contains("Tech Innovators (team 55) · Downtown Coworking Hub · 4 members of 20"))
            #expect(teams.contains("ada@example.com") && teams.contains("grace@example.com"))
            #expect(try await shell.run("team 55").contains("4 of 20"))
            #expect(try await shell.run("get /api/public/teams/55/profile").contains(#""TeamMembersCount": 4"#))
        }
    }

    @Test func addingSomeoneTwiceIsAFailureWithTheServersWords() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            try await shell.run("team add-member 55 ada@example.com --yes")
            await #expect {
                try await shell.run("team add-member 55 ADA@example.com")
            } throws: { error in
                guard case .requestFailed(200, let message) = error as? ShellError else { return false }
                return message.contains("Already a member of Tech Innovators: ADA@example.com.")
            }
        }
    }

    @Test func aPersonWhoAnswersAnythingButYesSendsNothing() async throws {
        let prompter = ScriptedPrompter(lines: ["n", "yes"], secrets: [])
        try await NexudusCommandsTests().withSignedInShell(prompter: prompter) { shell in
            let sent = shell.requests.count
            let declined = try await shell.run("contract pause 5001")
            #expect(declined == "PUT /api/public/billing/coworkerContracts/v2/5001/pause\nnot sent: cancelled\n")
            #expect(shell.requests.count == sent)
            #expect(try await shell.run("contract pause 5001").hasSuffix("The contract has been paused.\n"))
            #expect(prompter.asked == ["Send it? [y/N] ", "Send it? [y/N] "])
            // --yes: no question.
            try await shell.run("contract resume 5001 --yes")
            #expect(prompter.asked.count == 2)
            #expect(shell.requests.last == "PUT /api/public/billing/coworkerContracts/v2/5001/resume")
        }
    }

    @Test func cancellingAPlanNamesItInTheBodyAndPlansShowsWhenItEnds() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let cancelled = try await shell.run("plans cancel 5001")
            #expect(cancelled == """
                POST /api/public/plans/cancel  {"CoworkerContractId":5001}
                The plan has been cancelled: it ends on 2025-02-01.

                """)
            #expect(try await shell.run("plans").contains("cancels 2025-02-01"))
            #expect(try await shell.run("get /api/public/billing/coworkerContracts/5001").contains(#""CancellationDate": "2025-02-01T00:00:00""#))
            await #expect {
                try await shell.run("plans cancel 5001 --json")
            } throws: { error in
                guard case .requestFailed(200, let message) = error as? ShellError else { return false }
                return message.contains("The plan is already cancelled.")
            }
            await #expect(throws: ShellError.self, "another account's contract") { try await shell.run("plans cancel 6001") }
            #expect(shell.context.lastExchange?.response.status == 404)
        }
    }

    @Test func badWordsAreUsageErrorsBeforeAnythingIsSent() async throws {
        let cases: [(line: String, message: String)] = [
            ("team add-member 55 not-an-address", "'not-an-address' is not an e-mail address: expected name@example.com"),
            ("team add-member 55 a@b", "'a@b' is not an e-mail address"),
            ("team add-member 55", "missing <email>"),
            ("team add-member", "missing <teamId>"),
            ("team add-member x a@example.com", "'x' is not a team id"),
            ("team pause 55", "'pause' is not a team id"),
            ("team 55 66", "unexpected argument '66'"),
            ("team 55 --yes", "--yes goes with a write"),
            ("contract pause", "missing <contractId>"),
            ("contract pause 0", "'0' is not a contract id"),
            ("contract stop 5001", "'stop' is not a contract id"),
            ("contract 5001 5002", "unexpected argument '5002'"),
            ("plans cancel", "missing <contractId>"),
            ("plans stop 5001", "unknown action 'stop' (the only one is cancel)"),
            ("plans --yes", "--yes goes with a write"),
            ("plans cancel 5001 --shape Id", "--shape and --all go with the list, not with cancel"),
            ("plans cancel 5001 --all", "--shape and --all go with the list, not with cancel"),
        ]
        try await NexudusCommandsTests().withSignedInShell { shell in
            let sent = shell.requests.count
            for item in cases {
                await #expect {
                    try await shell.run(item.line)
                } throws: { error in
                    guard case .usage(_, let message, _, _, _) = error as? ShellError else { return false }
                    return message.contains(item.message)
                }
            }
            #expect(shell.requests.count == sent)
        }
    }

    @Test func theActionsAndTeamIdsComplete() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            #expect(await Completer.complete("contract ", in: shell.context).map(\.value) == ["pause", "resume"])
            #expect(await Completer.complete("plans c", in: shell.context).map(\.value) == ["cancel"])
            #expect(await Completer.complete("team a", in: shell.context).map(\.value) == ["add-member"])
            #expect(await Completer.complete("team add-member ", in: shell.context).map(\.value) == ["55"], "profile 101's one team")
            #expect(await Completer.complete("team add-member 55 --y", in: shell.context).map(\.value) == ["--yes"])
        }
    }
}

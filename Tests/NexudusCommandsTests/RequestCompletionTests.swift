import Foundation
import NexshTesting
@testable import NexudusCommands
import ShellCore
import Testing

/// Raw requests completing query parameter names after `?`, and placeholders with the ids seen
/// in the session's answers. (In a real terminal: RequestCompletionTerminalTests.)
@Suite struct RequestCompletionTests {
    func complete(_ text: String, in context: ShellContext = ShellContext(commands: NexudusCommands.table)) async -> [String] {
        await Completer.complete(text, in: context).map(\.value)
    }

    @Test func queryParameterNamesCompleteAfterTheQuestionMark() async {
        #expect(await complete("get /api/public/events/my?") == [
            "showUpcoming=", "_shape=", "_page=", "_pageSize=", "_orderBy=", "_sortDirection=",
        ].map { "/api/public/events/my?" + $0 })
        #expect(await complete("get /api/public/events/my?showUpcoming=true&_p") == [
            "/api/public/events/my?showUpcoming=true&_page=", "/api/public/events/my?showUpcoming=true&_pageSize=",
        ])
        #expect(await complete("get /api/public/events/my?showUpcoming=") == [
            "/api/public/events/my?showUpcoming=true", "/api/public/events/my?showUpcoming=false",
        ])
        #expect(await complete("get /api/public/deliveries/my?s") == ["/api/public/deliveries/my?showPending=", "/api/public/deliveries/my?size="])
        #expect(await complete("get /api/public/nowhere?").isEmpty)
    }

    @Test func placeholdersCompleteWithTheIdsEarlierAnswersShowed() async throws {
        try await NexudusCommandsTests().withShell { shell in
            try await shell.run("login jane.doe@example.com --password correct-horse")
            // No team seen yet: only the paths.
            #expect(await complete("get /api/public/teams/", in: shell.context) == ["/api/public/teams/my", "/api/public/teams/published/"])

            _ = try await shell.run("get /api/public/teams/my isTeamAdmin=false")
            let teams = await Completer.complete("get /api/public/teams/", in: shell.context)
            #expect(teams.map(\.value) == ["/api/public/teams/my", "/api/public/teams/published/", "/api/public/teams/55/profile"])
            #expect(teams.last?.description == "Tech Innovators")
            let published = await complete("get /api/public/teams/published/", in: shell.context)
            // (`published` could be a team id too, so the catalogue also offers `…/published/profile`.)
            #expect(published.last == "/api/public/teams/published/55")
            #expect(await complete("post /api/public/teams/5", in: shell.context) == ["/api/public/teams/55/members"])
            // The profiles answer of the sign-in named profile 102's virtual office contract.
            let contracts = "/api/public/billing/coworkerContracts/"
            #expect(await complete("get \(contracts)", in: shell.context) == [contracts + "55"])

            // An invoice names its contract: the latest answer's ids come first.
            _ = try await shell.run("invoices")
            #expect(await complete("get \(contracts)", in: shell.context) == [contracts + "5001", contracts + "55"])
            // Two ways on from a contract: the id, then a slash.
            #expect(await complete("put /api/public/billing/coworkerContracts/v2/5", in: shell.context) == [
                "/api/public/billing/coworkerContracts/v2/5001/", "/api/public/billing/coworkerContracts/v2/55/",
            ])

            // The team profiles hold the members' contracts, with their plan's name.
            _ = try await shell.run("teams")
            let named = await Completer.complete("get \(contracts)5", in: shell.context)
            #expect(named.map(\.value) == [contracts + "5001", contracts + "55"])
            #expect(named.first?.description == "Hot Desk Monthly")
        }
    }

    @Test func theStoreKeepsTheNewestOfEachKindAndTheirNames() {
        let seen = SeenIds()
        seen.record((1...(SeenIds.limit + 10)).map { (.team, SeenId(id: $0, label: $0 == 1 ? "first" : nil)) })
        #expect(seen.ids(of: .team).count == SeenIds.limit)
        #expect(seen.ids(of: .team).first?.id == 1)
        // Seen again without a name: first again, and the name kept.
        seen.record([(.team, SeenId(id: 1, label: nil))])
        #expect(seen.ids(of: .team).first == SeenId(id: 1, label: "first"))
        #expect(seen.ids(of: .contract).isEmpty)
        #expect(IdKind(placeholder: "id", after: "/api/public/teams/published") == .team)
        #expect(IdKind(placeholder: "id", after: "/api/public/billing/coworkerContracts/v2") == .contract)
        #expect(IdKind(placeholder: "contractId", after: "/api/public/billing/coworkerContracts") == .contract)
    }
}

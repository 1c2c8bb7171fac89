import Foundation
import NexshTesting
@testable import NexudusCommands
import ShellCore
import Testing

/// `help` on endpoints, and on the commands that call one.
@Suite struct EndpointHelpTests {
    func run(_ line: String) async throws -> String {
        let output = BufferedOutput()
        try await Dispatcher.execute(text: line, in: ShellContext(commands: NexudusCommands.table, output: output))
        return output.text
    }

    @Test func helpExplainsAnEndpointByMethodAndPathWithIdsOrByPathAlone() async throws {
        // As `endpoints --detail` shows it: one rendering.
        let teamProfile = try await run("endpoints teams/{teamId}/profile --detail")
        #expect(teamProfile.hasPrefix("GET /api/public/teams/{teamId}/profile\n"))
        #expect(try await run("help GET /api/public/teams/55/profile") == teamProfile)
        // `get` is a command, but followed by a path it is the method.
        #expect(try await run("help get /api/public/teams/55/profile") == teamProfile)
        #expect(try await run("help /api/public/teams/55/profile") == teamProfile)

        let events = try await run("help /api/public/events/my")
        #expect(events == (try await run("endpoints events/my --detail")))
        #expect(events.contains("  paging:   _page, _pageSize\n  response: list envelope (Records, HasNextPage, …)\n"))
        #expect(events.contains("    showUpcoming    boolean  -        "))
        // A path that several methods share: each of them.
        let pause = try await run("help /api/public/billing/coworkerContracts/v2/5001/pause")
        #expect(pause.hasPrefix("PUT /api/public/billing/coworkerContracts/v2/{id}/pause\n"))
        // The method must have the path.
        await #expect(throws: ShellError.self) { try await run("help POST /api/public/bookings/my") }
    }

    @Test func aCommandThatCallsOneEndpointShowsItsParametersToo() async throws {
        let help = try await run("help bookings")
        let command = try #require(NexudusCommands.table.command(named: "bookings"))
        #expect(help == command.helpText + "\n\nendpoint:\n" + (try await run("endpoints bookings/my --detail")))
        #expect(try await run("bookings --help") == help)
        // The summary names the request the client sends, and the catalogue has it: for each.
        for name in ["profiles", "teams", "benefits", "business", "plans", "bookings", "profile", "invoices", "events", "visitors", "deliveries"] {
            let command = try #require(NexudusCommands.table.command(named: name) as? any CatalogueCommand, "\(name)")
            let entry = try #require(command.catalogueEntry, "\(name)")
            #expect(command.summary.contains(" (\(type(of: command).request.requestLine))."))
            #expect(try await run("help \(name)").contains("\n\nendpoint:\n\(entry.method) \(entry.path)\n"))
        }
        let profile = try #require(NexudusCommands.table.command(named: "profile") as? any CatalogueCommand)
        #expect(type(of: profile).request.requestLine == "GET /en/profile?_resource=Coworker")
        // A command with no endpoint of its own shows its help alone.
        #expect(!(try await run("help get")).contains("endpoint:"))
    }

    @Test func helpOnAWordThatIsNeitherACommandNorAPathSaysWhereToLook() async throws {
        func message(_ line: String) async -> String? {
            do {
                _ = try await run(line)
                return nil
            } catch let ShellError.usage(command: "help", message, _, _, _) {
                return message
            } catch {
                return "\(error)"
            }
        }
        #expect(await message("help billing") == "no command 'billing' (endpoints billing lists the 4 endpoints mentioning it)")
        #expect(await message("help bookingz") == "no command 'bookingz' — did you mean 'bookings'? (no endpoint mentions it either: endpoints lists them all)")
        #expect(await message("help /api/public/nowhere") == "no command '/api/public/nowhere' (no endpoint has that path either: endpoints lists them)")
        #expect(await message("help GET /api/public/nowhere") == "nothing to explain for 'GET /api/public/nowhere' (the catalogue has no such endpoint: endpoints lists them)")
    }
}

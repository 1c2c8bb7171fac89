import Foundation
import NexshTesting
import NexudusCommands
import ShellCore
import Testing

/// `endpoints`, and raw requests completed from the catalogue. Neither needs a session.
@Suite struct EndpointCatalogueCommandTests {
    func run(_ line: String, columns: Int? = nil) async throws -> String {
        let output = BufferedOutput()
        let context = ShellContext(commands: NexudusCommands.table, output: output, style: TextStyle(color: false, columns: columns))
        try await Dispatcher.execute(text: line, in: context)
        return output.text
    }

    func complete(_ text: String) async -> [String] {
        await Completer.complete(text, in: ShellContext(commands: NexudusCommands.table, output: BufferedOutput())).map(\.value)
    }

    @Test func endpointsListsTheCatalogueAndFiltersByAWord() async throws {
        let all = try await run("endpoints").split(separator: "\n")
        #expect(all.count == 21)
        #expect(all[0] == "METHOD  PATH                                                  SUMMARY")
        #expect(all[1] == "GET     /api/public/coworkers/profiles                        The account's profiles, the active one marked.")
        #expect(all.contains("PUT     /api/public/billing/coworkerContracts/v2/{id}/pause   Pause a contract."))

        #expect(try await run("endpoints BOOK") == """
            METHOD  PATH                     SUMMARY
            GET     /api/public/bookings/my  The customer's bookings.

            """)
        let contracts = try await run("endpoints contract").split(separator: "\n").map { String($0.prefix(8)) }
        // The team profiles mention contracts in their summary.
        #expect(contracts == ["METHOD  ", "GET     ", "GET     ", "PUT     ", "PUT     "])
        #expect(try await run("endpoints 'time zone'") == """
            METHOD  PATH                            SUMMARY
            GET     /api/public/businesses/current  The location: name, time zone, currency.

            """)
        #expect(try await run("endpoints nothing-like-this") == "no endpoint matches 'nothing-like-this'\n")
        // On a narrow terminal the table gives way, marked.
        let narrow = try await run("endpoints", columns: 60).split(separator: "\n")
        #expect(narrow.allSatisfy { $0.count <= 60 })
        #expect(narrow.contains { $0.hasSuffix("…") })
    }

    @Test func endpointsDetailShowsParametersPagingAndResponse() async throws {
        #expect(try await run("endpoints deliveries --detail") == """
            GET /api/public/deliveries/my
              The customer's deliveries.
              paging:   page, size
              response: list envelope (Records, HasNextPage, …)
              query:
                NAME         TYPE     DEFAULT  ABOUT
                showPending  boolean  -        Only deliveries not yet collected.
                _shape       string   -        Only these fields of the answer, comma-separated (Id,Name).
                page         integer  1        The page, from 1.
                size         integer  15       Records a page.

            """)
        let pause = try await run("endpoints pause --detail")
        #expect(pause.contains("PUT /api/public/billing/coworkerContracts/v2/{id}/pause\n"))
        #expect(pause.contains("  response: ActionConfirmation\n  query:    none\n"))
    }

    @Test func rawRequestsCompleteCataloguePathsAndQueryParameters() async {
        #expect(await complete("get /api/public/b") == [
            "/api/public/billing/coworkerContracts/", "/api/public/bookings/my", "/api/public/billing/invoices/my", "/api/public/businesses/current",
        ])
        #expect(await complete("put /api/public/billing/coworkerContracts/v2/5001/") == [
            "/api/public/billing/coworkerContracts/v2/5001/pause", "/api/public/billing/coworkerContracts/v2/5001/resume",
        ])
        #expect(await complete("get /api/public/bookings/m") == ["/api/public/bookings/my"])
        #expect(await complete("delete /api/public/b").isEmpty)
        #expect(await complete("get /api/public/events/my ") == ["showUpcoming=", "_shape=", "_page=", "_pageSize=", "_orderBy=", "_sortDirection="])
        #expect(await complete("get /api/public/events/my showUpcoming=true _p") == ["_page=", "_pageSize="])
        #expect(await complete("get /api/public/events/my show") == ["showUpcoming="])
        #expect(await complete("get /api/public/events/my showUpcoming=") == ["showUpcoming=true", "showUpcoming=false"])
        #expect(await complete("get --header X:1 /api/public/deliveries/my s") == ["showPending=", "size="])
        #expect(await complete("put /api/public/coworkers/profiles/current ") == ["coworkerId="])
        // A path the catalogue does not hold completes nothing further (and is still sent: see
        // NexudusCommandsTests' raw requests).
        #expect(await complete("get /api/public/unknown ").isEmpty)
    }
}

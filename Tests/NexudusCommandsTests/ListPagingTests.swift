import Foundation
import JSONValues
import NexudusCommands
import ShellCore
import Testing

/// `--page`, `--page-size`, `--all` and `--max-pages` on the list commands, each in its
/// endpoint's own convention: events take `_page`/`_pageSize` (25 a page, 60 events),
/// deliveries `page`/`size` (15 a page, 40 parcels).
@Suite struct ListPagingTests {
    private func ids(_ table: String) -> [Int] {
        table.split(separator: "\n").compactMap { Int($0.split(separator: " ").first ?? "") }
    }

    @Test func aPageIsAskedForInEachEndpointsOwnConvention() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let events = try await shell.run("events --page 2 --page-size 10")
            #expect(shell.requests.last == "GET /api/public/events/my?_page=2&_pageSize=10")
            #expect(ids(events) == Array(8011...8020))
            #expect(events.hasSuffix("page 2 of 6 · 60 events\n"))

            let deliveries = try await shell.run("deliveries --page 3")
            #expect(shell.requests.last == "GET /api/public/deliveries/my?page=3")
            #expect(ids(deliveries).count == 10)
            #expect(deliveries.hasSuffix("page 3 of 3 · 40 deliveries\n"))
        }
    }

    @Test func allFollowsHasNextPageAndPrintsOneTable() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let before = shell.requests.count
            let events = try await shell.run("events --all")
            #expect(Array(shell.requests.dropFirst(before)) == [
                "GET /api/public/events/my", "GET /api/public/events/my?_page=2", "GET /api/public/events/my?_page=3",
            ])
            #expect(ids(events) == Array(stride(from: 8001, through: 8060, by: 1)))
            #expect(!events.contains("page "), "one list, no page note")

            let sent = shell.requests.count
            let deliveries = try await shell.run("deliveries --all --page-size 20")
            #expect(Array(shell.requests.dropFirst(sent)) == ["GET /api/public/deliveries/my?size=20", "GET /api/public/deliveries/my?page=2&size=20"])
            #expect(ids(deliveries).count == 40)
            #expect(Set(ids(deliveries)).count == 40)
            // The last page stays the last response, for expect and capture.
            #expect(shell.context.lastExchange?.request.url.query == "page=2&size=20")
        }
    }

    @Test func allWithJSONPrintsOneArrayOfTheRecordsAsReceived() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let text = try await shell.run("events --all --json")
            guard case .array(let records) = try JSONValue.parse(text) else {
                Issue.record("not one array: \(text.prefix(200))")
                return
            }
            #expect(records.count == 60)
            #expect(records.first?["Id"] == .number(JSONNumber(8001)))
            #expect(records.last?["Id"] == .number(JSONNumber(8060)))

            // Paths of a shape start at the envelope; the walk asks for HasNextPage too.
            let shaped = try await shell.run("deliveries --all --shape Records.Id")
            #expect(shell.requests.last == "GET /api/public/deliveries/my?_shape=Records.Id,HasNextPage&page=3")
            guard case .array(let parcels) = try JSONValue.parse(shaped) else {
                Issue.record("not one array: \(shaped.prefix(200))")
                return
            }
            #expect(parcels.count == 40)
            #expect(parcels.allSatisfy { if case .object(let object) = $0 { object.keys == ["Id"] } else { false } })
        }
    }

    @Test func maxPagesStopsTheWalkAndSaysSo() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let before = shell.requests.count
            let events = try await shell.run("events --all --max-pages 2")
            #expect(shell.requests.count - before == 2)
            #expect(ids(events).count == 50)
            #expect(events.hasSuffix("stopped after 2 pages (--max-pages 2): 50 of 60 events shown\n"))
        }
    }

    @Test func aListTheServerSendsWholeTakesAllAndIsOneRequest() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let plain = try await shell.run("invoices")
            let before = shell.requests.count
            #expect(try await shell.run("invoices --all") == plain)
            #expect(Array(shell.requests.dropFirst(before)) == ["GET /api/public/billing/invoices/my"])
            await #expect(throws: ShellError.self) { try await shell.run("invoices --page 2") }
        }
    }

    @Test func pagingMistakesAreRefusedBeforeAnythingIsSent() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let sent = shell.requests.count
            let cases = [
                ("events --all --page 2", "--page and --all exclude each other"),
                ("events --max-pages 3", "--max-pages goes with --all"),
                ("events --page-size 101", "--page-size 101 is over the server's limit of 100 records a page"),
                ("deliveries --page-size 1001", "'1001' is not a page size: expected a whole number from 1 to 1000"),
                ("events --page 0", "'0' is not a page number"),
                ("events --all --max-pages 10001", "'10001' is not a number of pages"),
            ]
            for (line, expected) in cases {
                await #expect {
                    try await shell.run(line)
                } throws: { error in
                    guard case .usage(_, let message, _, _, _) = error as? ShellError else { return false }
                    return message.contains(expected)
                }
            }
            // A size in a variable is checked when the line runs, still before the request.
            try await shell.run("set size 500")
            await #expect(throws: ShellError.self) { try await shell.run("events --page-size ${size}") }
            #expect(shell.requests.count == sent)
            // The documented limit of `size` is none: 500 deliveries a page is asked for.
            _ = try await shell.run("deliveries --page-size ${size}")
            #expect(shell.requests.last == "GET /api/public/deliveries/my?size=500")
        }
    }
}

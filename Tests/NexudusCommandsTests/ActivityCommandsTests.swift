import Foundation
import JSONValues
import NexudusCommands
import ShellCore
import Testing

/// `invoices`, `events`, `visitors`, `deliveries` on the in-process sandbox, whose "today" is
/// 2025-01-20.
@Suite struct ActivityCommandsTests {
    @Test func invoicesListTheNewestFirstAndFilterByPayment() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let all = try await shell.run("invoices")
            #expect(all.hasPrefix("""
                  ID  NUMBER    ISSUED      DESCRIPTION           AMOUNT  STATUS
                4006  INV-4006  2025-01-01  Hot Desk Monthly  250.00 GBP  unpaid
                4007  CN-4007   2024-12-26  Hot Desk Monthly  -50.00 GBP  credit note
                4005  INV-4005  2024-12-02  Hot Desk Monthly  250.00 GBP  paid

                """))
            #expect(all.split(separator: "\n").count == 8)
            #expect(shell.requests.last == "GET /api/public/billing/invoices/my")

            let unpaid = try await shell.run("invoices --unpaid")
            #expect(unpaid.split(separator: "\n").dropFirst().map { String($0.prefix(4)) } == ["4006"])
            #expect(shell.requests.last == "GET /api/public/billing/invoices/my?paid=false")

            let creditNotes = try await shell.run("invoices --paid --credit-notes")
            #expect(creditNotes.split(separator: "\n").dropFirst().map { String($0.prefix(4)) } == ["4007"])
            #expect(shell.requests.last == "GET /api/public/billing/invoices/my?paid=true&creditNotes=true")
        }
    }

    @Test func paidAndUnpaidTogetherAreRefusedBeforeAnythingIsSent() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let sent = shell.requests.count
            await #expect {
                try await shell.run("invoices --paid --unpaid")
            } throws: { error in
                guard case .usage(command: "invoices", let message, _, _, _) = error as? ShellError else { return false }
                return message.contains("--paid and --unpaid exclude each other")
            }
            #expect(shell.requests.count == sent)
        }
    }

    @Test func theFiltersCompleteAsOptions() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            #expect(await Completer.complete("invoices --", in: shell.context).map(\.value) == ["--paid", "--unpaid", "--credit-notes", "--all", "--shape", "--json", "--output", "--verbose"])
            #expect(await Completer.complete("events --up", in: shell.context).map(\.value) == ["--upcoming"])
            #expect(await Completer.complete("deliveries --p", in: shell.context).map(\.value) == ["--pending", "--page", "--page-size"])
        }
    }

    @Test func eventsShowTheFirstPageAndUpcomingOnlyTheOnesStillToCome() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let all = try await shell.run("events")
            let rows = all.split(separator: "\n")
            #expect(rows.first == "  ID  EVENT                  WHEN                    WHERE        ATTENDEES")
            #expect(rows.dropFirst().first == "8001  Founders Breakfast #1  2024-11-01 18:00–20:00  Event Space          3")
            // 60 events at 25 a page: the first page, and a note that more follow.
            #expect(rows.count == 1 + 25 + 1)
            #expect(rows.last == "page 1 of 3 · 60 events")

            let upcoming = try await shell.run("events --upcoming")
            #expect(shell.requests.last == "GET /api/public/events/my?showUpcoming=true")
            let dates = upcoming.split(separator: "\n").dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true) }
            #expect(dates.count == 20)
            #expect(upcoming.contains("8041  Founders Breakfast #9   2025-01-20 18:00–20:00  Event Space          3\n"))
            for words in dates {
                let day = try #require(words.first { $0.hasPrefix("202") && $0.count == 10 })
                #expect(day >= "2025-01-20", "\(words)")
            }
        }
    }

    @Test func visitorsAndDeliveriesTables() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            #expect(try await shell.run("visitors --upcoming") == """
                  ID  VISITOR      EMAIL                    EXPECTED          CHECKED IN
                6003  Aiko Tanaka  aiko.tanaka@example.net  2025-01-22 11:00  no
                6004  Lena Novak   lena.novak@example.net   2025-01-25 09:00  no

                """)
            #expect(try await shell.run("visitors").split(separator: "\n").count == 5)

            let pending = try await shell.run("deliveries --pending")
            #expect(shell.requests.last == "GET /api/public/deliveries/my?showPending=true")
            #expect(pending.hasPrefix("""
                  ID  CARRIER     WHERE      RECEIVED          COLLECTED
                9540  DPD         Reception  2025-01-20 11:00  waiting

                """))
            #expect(pending.split(separator: "\n").count == 7)
            let all = try await shell.run("deliveries")
            #expect(all.contains("9534  FedEx       Reception  2025-01-14 11:00  2025-01-14 17:00\n"))
            #expect(all.hasSuffix("page 1 of 3 · 40 deliveries\n"))
            for line in (all + pending).split(separator: "\n") { #expect(line.count <= 80) }
        }
    }

    @Test func jsonPrintsTheBodyAsReceivedAndShapeAsksForFields() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let events = try JSONValue.parse(try await shell.run("events --upcoming --json"))
            #expect(events["TotalItems"]?.numberValue?.intValue == 20)
            #expect(events["Records"]?.arrayValue?.first?["Name"]?.stringValue == "Founders Breakfast #9")
            // As received: the server's own members, the formatted amount included.
            let invoices = try JSONValue.parse(try await shell.run("invoices --unpaid --json"))
            #expect(invoices.arrayValue?.first?["TotalAmountFormatted"] != nil)
            #expect(invoices.arrayValue?.first?["InvoiceNumber"]?.stringValue == "INV-4006")

            let shaped = try JSONValue.parse(try await shell.run("visitors --shape FullName"))
            #expect(shell.requests.last == "GET /api/public/visitors/my?_shape=FullName")
            #expect(shaped.arrayValue?.first?.objectValue?.keys == ["FullName"])
        }
    }
}

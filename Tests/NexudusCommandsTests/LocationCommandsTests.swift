import Foundation
import NexshTesting
import ShellCore
import Testing

/// `business`, `plans`, `bookings` and `profile`, typed into a session on the in-process sandbox.
@Suite struct LocationCommandsTests {
    @Test func businessShowsTheLocationItsTimeZoneAndCurrency() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            #expect(try await shell.run("business") == """
                Nexudus HQ (business 7)
                  web address: nexudushq
                  time zone:   Europe/London
                  currency:    GBP

                """)
            #expect(shell.requests.last == "GET /api/public/businesses/current")
            try await shell.run("expect .Currency.Code == GBP")
        }
    }

    @Test func plansAreATableOfTheActiveProfilesContracts() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let printed = try await shell.run("plans")
            #expect(printed == """
                  ID  PLAN                   PRICE  STARTED     NEXT INVOICE  STATUS
                5001  Hot Desk Monthly  250.00 GBP  2024-01-15  2025-02-01    active

                """)
            #expect(shell.requests.last == "GET /api/public/plans/my")
        }
    }

    @Test func bookingsAreATableOfDaysTimesAndResources() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            #expect(try await shell.run("bookings") == """
                  ID  DATE        TIME         RESOURCE        STATUS
                3001  2025-01-11  10:00–11:00  Meeting Room 1  booked
                3002  2025-01-18  14:00–15:00  Phone Booth     booked
                3003  2025-01-21  09:00–12:00  Meeting Room 2  booked
                3004  2025-01-23  15:00–16:00  Meeting Room 1  booked

                """)
            // Another profile of the account has bookings of its own.
            try await shell.run("switch 102")
            #expect(try await shell.run("bookings").contains("3005  2025-01-22  10:00–12:00  Meeting Room 2  booked\n"))
        }
    }

    @Test func profileShowsTheEditableFieldsThatHaveValues() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let printed = try await shell.run("profile")
            #expect(printed == """
                Jane Doe (profile 101)
                  email:        jane.doe@example.com
                  type:         individual
                  billing name: Jane Doe
                  city:         London
                  public:       no

                """)
            #expect(shell.requests.last == "GET /en/profile?_resource=Coworker")
        }
    }

    @Test func jsonPrintsTheBodyAsReceivedAndShapeAsksForFields() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            for command in ["business", "plans", "bookings", "profile"] {
                let printed = try await shell.run("\(command) --json")
                let body = try #require(shell.context.lastExchange?.response.body)
                let received = try JSONSerialization.jsonObject(with: body) as? NSObject
                #expect(try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? NSObject == received, "\(command)")
            }
            // A shaped answer has fields a table cannot show: it is printed as received.
            #expect(try await shell.run("bookings --shape Id,ResourceName") == """
                [
                  {
                    "Id": 3001,
                    "ResourceName": "Meeting Room 1"
                  },
                  {
                    "Id": 3002,
                    "ResourceName": "Phone Booth"
                  },
                  {
                    "Id": 3003,
                    "ResourceName": "Meeting Room 2"
                  },
                  {
                    "Id": 3004,
                    "ResourceName": "Meeting Room 1"
                  }
                ]

                """)
            #expect(shell.requests.last == "GET /api/public/bookings/my?_shape=Id,ResourceName")
            #expect(try await shell.run("business --shape TimeZone") == "{\n  \"TimeZone\": \"Europe/London\"\n}\n")
            #expect(try await shell.run("profile --shape Email") == "{\n  \"Email\": \"jane.doe@example.com\"\n}\n")
            #expect(shell.requests.last == "GET /en/profile?_resource=Coworker&_shape=Email")
            #expect(try await shell.run("plans --shape Name") == "[\n  {\n    \"Name\": \"Hot Desk Monthly\"\n  }\n]\n")
        }
    }

    @Test func withoutASessionEachIsRefusedAsNotSignedIn() async throws {
        try await NexudusCommandsTests().withShell { shell in
            let paths = [
                "business": "/api/public/businesses/current", "plans": "/api/public/plans/my",
                "bookings": "/api/public/bookings/my", "profile": "/en/profile?_resource=Coworker",
            ]
            for (command, path) in paths.sorted(by: { $0.key < $1.key }) {
                await #expect(throws: ShellError.requestFailed(status: 401, message: "not signed in: GET \(path) needs a bearer token (401); sign in first")) {
                    try await shell.run(command)
                }
                try await shell.run("expect status 401")
            }
        }
    }

    @Test func tablesFitEightyColumns() async throws {
        try await NexudusCommandsTests().withSignedInShell { shell in
            let narrow = ShellContext(commands: shell.context.commands, services: [shell.session], output: shell.output, style: TextStyle(color: false, columns: 80))
            let before = shell.output.text.count
            for command in ["business", "plans", "bookings", "profile"] {
                try await Dispatcher.execute(text: command, in: narrow)
            }
            let lines = shell.output.text.dropFirst(before).split(separator: "\n")
            #expect(lines.count > 10)
            #expect(lines.allSatisfy { $0.count <= 80 })
        }
    }
}

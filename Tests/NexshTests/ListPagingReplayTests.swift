import Foundation
import JSONValues
import NexshAppTesting
import NexshTesting
import Testing

/// `--all` walks the pages of a list one request each: recorded, each page is its own
/// exchange, and a replay prints the same merged list offline.
@Suite struct ListPagingReplayTests {
    @Test func aWalkOfThePagesIsRecordedPageByPageAndReplaysTheSame() async throws {
        try await withTemporaryDirectory { directory in
            let script = "login jane.doe@example.com --password correct-horse\nevents --all\ndeliveries --all --json\nexpect status 200\n"
            try Data(script.utf8).write(to: directory.appendingPathComponent("pages.nexsh"))
            let environment = ["NO_COLOR": "1", "NEXSH_SERVER": ""]
            let recorded = try await InProcessNexsh.run(
                ["run", "pages.nexsh", "--sandbox", "--cassette", "pages.har", "--mode", "record"], environment: environment, currentDirectory: directory
            )
            #expect(recorded.status == 0, "\(recorded.standardOutput)\(recorded.standardError)")

            let har = try JSONValue.parse(Data(contentsOf: directory.appendingPathComponent("pages.har")))
            guard case .array(let entries) = har["log"]?["entries"] else {
                Issue.record("no entries in the recording")
                return
            }
            let urls = entries.compactMap { entry -> String? in
                if case .string(let url) = entry["request"]?["url"] { URL(string: url).map { $0.path + ($0.query.map { "?" + $0 } ?? "") } } else { nil }
            }
            #expect(urls == [
                "/api/token", "/api/public/coworkers/profiles",
                "/api/public/events/my", "/api/public/events/my?_page=2", "/api/public/events/my?_page=3",
                "/api/public/deliveries/my", "/api/public/deliveries/my?page=2", "/api/public/deliveries/my?page=3",
            ])

            let replayed = try await InProcessNexsh.run(
                ["run", "pages.nexsh", "--cassette", "pages.har", "--mode", "replay"], environment: environment, currentDirectory: directory
            )
            #expect(replayed.status == 0, "\(replayed.standardOutput)\(replayed.standardError)")
            #expect(replayed.standardOutput == recorded.standardOutput)
            #expect(recorded.standardOutput.split(separator: "\n").count > 60 + 40)
        }
    }
}

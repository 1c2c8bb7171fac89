import Bundles
import Foundation
import HTTPCassette
import HTTPValues
import Testing

/// The pure half of `nexsh bundle shrink`: delta debugging against a predicate, what counts as
/// the same failure, and the header of a shrunk bundle. (NexshTests shrinks real bundles.)
@Suite struct BundleShrinkTests {
    @Test func deltaDebuggingEndsOneMinimalWithTheItemsTheFailureNeeds() async {
        // Fails when 3, 17 and 29 are all there, or when 8 is (a second cause).
        var budget = DeltaDebugging.Budget(limit: 500)
        var tests = 0
        let (kept, finished) = await DeltaDebugging.minimize(Array(0..<30), budget: &budget) { candidate in
            tests += 1
            return Set([3, 17, 29]).isSubset(of: candidate) || candidate.contains(8)
        }
        #expect(finished)
        #expect(kept == [8] || kept == [3, 17, 29])
        #expect(tests == budget.used && tests < 60, "\(tests) tests")
        // 1-minimal: each single removal loses the failure.
        var check = DeltaDebugging.Budget(limit: 100)
        let again = await DeltaDebugging.minimize(kept, budget: &check) { candidate in
            Set([3, 17, 29]).isSubset(of: candidate) || candidate.contains(8)
        }
        #expect(again.kept == kept)
    }

    @Test func aSpentBudgetStopsTheSearchAtTheSmallestFailingListFoundSoFar() async {
        var budget = DeltaDebugging.Budget(limit: 3)
        let (kept, finished) = await DeltaDebugging.minimize(Array(0..<30), budget: &budget) { $0.contains(20) }
        #expect(!finished)
        #expect(budget.used == 3 && budget.isExhausted)
        #expect(kept.contains(20) && kept.count < 30)
    }

    @Test func anEmptyListAndAListThatMustStayWhole() async {
        var budget = DeltaDebugging.Budget(limit: 10)
        #expect(await DeltaDebugging.minimize([Int](), budget: &budget) { _ in true } == ([], true))
        let whole = await DeltaDebugging.minimize([1, 2], budget: &budget) { $0 == [1, 2] }
        #expect(whole == ([1, 2], true))
    }

    @Test func aLineGoesWithTheEntriesItWasAnsweredFromAndUnrequestedEntriesGoToo() async throws {
        // Six identical requests, each line answered by its own entry; the failure needs lines
        // 0 and 5. An entry left behind by its line would answer line 5 in place of entry 5
        // (as a second `profiles` answers the same request with an older answer): no failure.
        let entries = try (0..<7).map { _ in
            HAR.Entry(request: try HTTPRequest(method: .get, url: "https://a.example.com/api/same"), response: HTTPResponse(status: 200))
        }
        let bundle = ReproductionBundle(scriptName: "s.nexsh", script: "a\nb\nc\nd\ne\nf\n", variables: [], nexshVersion: "1", server: "")
        let shrink = BundleShrink(bundle, log: HAR.Log(creator: Cassette.defaultCreator, entries: entries))
        let requested = Dictionary(uniqueKeysWithValues: (0..<6).map { ($0, [$0]) })
        var budget = DeltaDebugging.Budget(limit: 200)
        let (kept, finished) = await shrink.minimize(requested: requested, budget: &budget) { selection in
            let answered = selection.lines.allSatisfy { selection.entries.contains($0) }
            let orphans = selection.entries.filter { $0 < 5 && !selection.lines.contains($0) }
            return Set([0, 5]).isSubset(of: selection.lines) && answered && orphans.isEmpty
        }
        #expect(finished)
        #expect(kept == BundleShrink.Selection(lines: [0, 5], entries: [0, 5]))
    }

    @Test func theSameFailureIgnoresPlacesAndNumbersThatShiftButNotTheLineOrValues() {
        let before = FailureSignature(line: "switch ${me} ", message: "bug.har:30:1: error: no profile 42\n    switch ${me}\n    ^")
        let after = FailureSignature(line: "switch ${me}", message: "bug.har:3:1: error: no profile 42\n    switch 42\n    ^")
        #expect(before == after)
        #expect(before.description == "'switch ${me}': error: no profile 42")
        #expect(FailureSignature(line: "teams", message: "x.har:3:1: error: no profile 42") != after)
        #expect(FailureSignature(line: "switch ${me}", message: "x.har:3:1: error: no profile 43") != after)
        #expect(
            FailureSignature(line: nil, message: "no recorded answer for GET /a in c.har (mode replay, 12 entries); closest #4, line 7")
                == FailureSignature(line: nil, message: "no recorded answer for GET /a in c.har (mode replay, 1 entry); closest #1, line 2")
        )
        let expectation = FailureSignature(line: "expect .Id == 1", expected: "1", actual: "2", answering: "GET /api/a")
        #expect(expectation.description == "'expect .Id == 1': expected 1, got 2 in the answer to GET /api/a")
        #expect(expectation != FailureSignature(line: "expect .Id == 1", expected: "1", actual: "3", answering: "GET /api/a"))
        #expect(expectation != FailureSignature(line: "expect .Id == 1", expected: "1", actual: "2", answering: "GET /api/b"))
    }

    @Test func aShrunkBundleKeepsTheChosenLinesAndEntriesUnderAHeaderSayingWhatWent() throws {
        let entries = try (1...4).map { number in
            HAR.Entry(
                request: try HTTPRequest(method: .get, url: "https://a.example.com/api/\(number)"),
                response: HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Data("{}".utf8))
            )
        }
        let bundle = ReproductionBundle(
            scriptName: "s.nexsh", script: "one\ntwo\nthree\nfour\nfive\n", variables: [("who", "jane")], nexshVersion: "1", server: "https://a.example.com"
        )
        let shrink = BundleShrink(bundle, log: HAR.Log(creator: Cassette.defaultCreator, entries: entries))
        #expect(shrink.lines.count == 5 && shrink.everything.entries == [0, 1, 2, 3])
        let kept = BundleShrink.Selection(lines: [0, 3], entries: [2])
        let header = shrink.header(for: kept, finished: false, maximumRuns: 7)
        #expect(header == [
            "Shrunk by nexsh bundle shrink from 5 lines and 4 entries to 2 lines and 1 entry; removed:",
            "  lines of the original script: 2-3, 5",
            "  entries: 1-2, 4",
            "Stopped at --max-runs 7: a smaller bundle may still fail the same way.",
        ])
        let shrunk = try #require(try ReproductionBundle(log: shrink.cassette(kept, header: header).log, path: "m.har"))
        #expect(shrunk.script == header.map { "# \($0)\n" }.joined() + "one\nfour\n")
        #expect(shrunk.variables.map(\.name) == ["who"] && shrunk.server == bundle.server)
        #expect(shrink.cassette(kept).entries.map(\.request.url) == ["https://a.example.com/api/3"])
    }
}

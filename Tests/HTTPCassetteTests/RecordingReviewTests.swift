import Foundation
import HTTPCassette
import HTTPValues
import Testing

/// A re-recording set against the old one: pairs, repeats in order, new and gone exchanges, and
/// what the merge keeps.
@Suite struct RecordingReviewTests {
    func entry(_ path: String, _ body: String) throws -> HAR.Entry {
        HAR.Entry(
            request: try HTTPRequest(method: .get, url: "http://127.0.0.1:1/\(path)"),
            response: HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Data(body.utf8))
        )
    }

    func cassette(_ entries: [HAR.Entry]) -> Cassette {
        var cassette = Cassette()
        cassette.entries = entries
        return cassette
    }

    @Test func repeatsPairInOrderAndUnpairedExchangesAreNewOrGone() throws {
        let old = cassette([try entry("a", #"{"n": 1}"#), try entry("gone", "{}"), try entry("a", #"{"n": 2}"#), try entry("b", #"{"x": 1}"#)])
        let new = cassette([try entry("a", #"{"n": 1}"#), try entry("a", #"{"n": 3}"#), try entry("b", #"{"y": 1}"#), try entry("c", "{}")])
        let review = RecordingReview(old: old, new: new)
        #expect(review.changes.map(\.kind) == [.unchanged, .value, .schema, .new, .gone])
        #expect(review.changes.map(\.oldIndex) == [0, 2, 3, nil, 1])
        #expect(review.changes[4].description == "#2 GET /gone — gone: the script no longer asks for it")
        #expect(review.changes[1].description == "#3 GET /a — value drift: changed value .n: 2 → 3")

        // Everything rejected: the old recording, in its order, the gone exchange in its place.
        let kept = review.merged(accepting: [false, false, false, false, false])
        #expect(kept.cassette.encoded() == old.encoded())
        #expect(kept.linesRemoved == 0 && kept.linesAdded == 0)

        // Everything accepted: the new recording.
        let taken = review.merged(accepting: [true, true, true, true, true])
        #expect(taken.cassette.encoded() == new.encoded())
        #expect(taken.linesRemoved > 0 && taken.linesAdded > 0)
    }

    @Test func aFileNexshWroteIsInItsWrittenLayoutAndAReformattedOneIsNot() throws {
        let old = cassette([try entry("a", #"{"n": 1}"#)])
        #expect(old.isInWrittenLayout(old.encoded()))
        #expect(!old.isInWrittenLayout(Data(old.log.document.serialized().utf8)))
    }
}

import Diagnostics
import Foundation
@testable import HTTPCassette
import HTTPValues
import NexudusAPI
import ShellCore
import Testing

/// The errors the shell reports share one shape (message, hint, exit category) and one way of
/// being written; the shell keeps them typed up to that point.
@Suite struct ReportedErrorTests {
    let exchange = HTTPExchange(
        request: HTTPRequest(method: .get, url: URL(string: "http://127.0.0.1:1/api/public/coworkers/profiles")!),
        response: HTTPResponse(status: 401, headers: [], body: Data())
    )

    @Test func aHintFollowsItsMessageOnTheSameLine() {
        let error = NexudusError.notSignedIn(exchange)
        #expect(error.message == "not signed in: GET /api/public/coworkers/profiles needs a bearer token (401)")
        #expect(error.hint == "sign in first")
        #expect(error.exitCategory == .failure)
        #expect(error.description == "not signed in: GET /api/public/coworkers/profiles needs a bearer token (401); sign in first")
        #expect(NexudusError.noRefreshToken.description == "there is no refresh token to renew the session with; sign in again")
        #expect(TransportError.connectionRefused(origin: "http://127.0.0.1:9").hint == nil)
    }

    @Test func aCassetteThatCannotBeUsedMeansExitStatusTwo() {
        let locked = CassetteError.locked(path: "/x/c.har", holder: 42)
        #expect(locked.exitCategory == .unreadableInput)
        #expect(locked.description == "another nexsh (process 42) is recording into /x/c.har; wait for it to finish, or record into another file")
        let shell = ShellError(CassetteError.fileNotFound(path: "/x/c.har"))
        #expect(shell == .reported(ShellError.Report(CassetteError.fileNotFound(path: "/x/c.har"))))
        #expect(shell.exitCategory == .unreadableInput)
        #expect(shell.rendered() == "error: cassette /x/c.har does not exist")
        #expect(ShellError(TransportError.connectionRefused(origin: "http://127.0.0.1:9")).exitCategory == .failure)
    }

    @Test func aReplayMissAdvisesOnALineOfItsOwn() {
        let miss = ReplayMiss(
            request: "GET /x", cassettePath: "c.har", mode: .replay, entryCount: 0, closest: [], alreadyUsedMatches: [],
            advice: .recordModes
        )
        #expect(miss.message == "no recorded answer for GET /x in c.har (mode replay, 0 entries)")
        #expect(miss.description == "no recorded answer for GET /x in c.har (mode replay, 0 entries)\n  to record it: \(ReplayAdvice.recordModes.toRecord)")
    }

    @Test func whatIsNotReportableIsStillSaidAndCancellationIsOneWord() {
        struct Odd: Error, CustomStringConvertible { var description: String { "odd" } }
        #expect(ShellError(Odd()) == .failed("odd"))
        #expect(ShellError(CancellationError()) == .failed("cancelled"))
        #expect(ShellError(ShellError.exit(code: 3)) == .exit(code: 3))
    }
}

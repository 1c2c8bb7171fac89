import ArgumentParser
import Foundation
import HTTPValues
import NexshTesting
import ShellCore
import Synchronization
import Testing
import Transport
@testable import NexshApp

/// The live HTTP client is opened by the first request that reaches the network, never for a
/// session whose cassette answers everything. Run in-process, with an opener that counts.
@Suite struct LiveNetworkTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let script = repository.appendingPathComponent("Scripts/signin-and-profiles.nexsh").path
    let cassette = repository.appendingPathComponent("Cassettes/signin-and-profiles.har")

    /// Makes real live transports, and counts them.
    final class Openings: Sendable {
        private let made = Mutex(0)
        var count: Int { made.withLock { $0 } }

        var opener: LiveNetwork.Opener {
            { configuration in
                self.made.withLock { $0 += 1 }
                return LiveTransport(configuration: configuration)
            }
        }
    }

    func plan(_ arguments: [String], openings: Openings) throws -> ScriptPlan {
        var plan = try ScriptPlan(try RunCommand.parse(arguments).runConfiguration())
        plan.runner.openNetwork = openings.opener
        return plan
    }

    @Test func aReplayRunOpensNoClientAndARecordingRunOpensOne() async throws {
        let replaying = Openings()
        let replay = try plan([script, "--cassette", cassette.path], openings: replaying)
        #expect(await replay.execute() == 0)
        #expect(replaying.count == 0, "nexsh run --cassette (mode replay) never starts an HTTP client")

        try await withTemporaryDirectory { directory in
            let recording = Openings()
            let file = directory.appendingPathComponent("again.har").path
            let record = try plan([script, "--cassette", file, "--mode", "record"], openings: recording)
            #expect(await record.execute() == 0)
            #expect(recording.count == 1, "one client, opened by the first request, serves the whole run")
            // `once` with the file now there replays it: no client either.
            let once = Openings()
            let replayOnce = try plan([script, "--cassette", file, "--mode", "once"], openings: once)
            #expect(await replayOnce.execute() == 0)
            #expect(once.count == 0)
        }
    }

    @Test func aShellStartedWithReplayOpensNoClientUntilARequestReachesTheNetwork() async throws {
        var options = InteractiveShell.Options(connection: ConnectionSettings())
        options.cassette = (cassette, .replay)
        let openings = Openings()
        let output = BufferedOutput()
        let status = await InteractiveShell(options: options).withSession(output: output, open: openings.opener) { started in
            do {
                #expect(started.context.isReplaying)
                try await Dispatcher.execute(text: "login jane.doe@example.com --password-env NEXSH_UNSET", in: started.context)
                try await Dispatcher.execute(text: "profiles", in: started.context)
                #expect(openings.count == 0, "nexsh shell --replay never starts an HTTP client while the cassette answers")

                try await Dispatcher.execute(text: "cassette eject", in: started.context)
                #expect(!started.context.isReplaying, "the shell asks the session, which has no cassette now")
                // The recording's server is long gone: the request fails, but it opened the client.
                await #expect(throws: ShellError.self) { try await Dispatcher.execute(text: "profiles", in: started.context) }
                #expect(openings.count == 1)
                return 0
            } catch {
                Issue.record(error)
                return 1
            }
        }
        #expect(status == 0)
        #expect(output.text.contains("replaying \(cassette.path)"), "\(output.text)")
    }
}

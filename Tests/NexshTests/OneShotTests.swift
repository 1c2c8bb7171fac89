import Foundation
import JSONValues
import NexshAppTesting
import NexshTesting
import Sandbox
import Testing

/// `nexsh -c 'LINE'`: one line of the language (several with `; ` or newlines), the answer on
/// standard output, everything else on standard error, and a status that says how it went.
@Suite struct OneShotTests {
    let environment = ["NO_COLOR": "1", "NEXSH_SERVER": ""]
    static let login = "login jane.doe@example.com --password correct-horse"

    func nexsh(_ arguments: [String], in directory: URL, environment extra: [String: String] = [:]) async throws -> ProcessResult {
        try await InProcessNexsh.run(arguments, environment: environment.merging(extra) { $1 }, currentDirectory: directory)
    }

    @Test func theAnswerAloneIsOnStandardOutput() async throws {
        try await withTemporaryDirectory { directory in
            let result = try await nexsh(["-c", "\(Self.login) > /dev/null"], in: directory)
            // `>` is no redirection here: the line is the language, and login takes no such word.
            #expect(result.status == 3, "\(result.standardError)")

            let json = try await nexsh(["-c", "\(Self.login)\nprofiles --json"], in: directory)
            #expect(json.status == 0, "\(json.standardError)")
            let lines = json.standardOutput.split(separator: "\n", maxSplits: 1)
            #expect(lines.first?.hasPrefix("signed in as Jane Doe") == true)
            let body = try JSONValue.parse(String(lines.last ?? ""))
            #expect(body["Profiles"]?.arrayValue?.first?["Id"]?.numberValue?.intValue == 101)
            #expect(json.standardError == "", "no summary for a one-shot: \(json.standardError)")

            let semicolons = try await nexsh(["-c", "\(Self.login); echo one; echo two"], in: directory)
            #expect(semicolons.status == 0)
            #expect(semicolons.standardOutput.hasSuffix("\none\ntwo\n"))
        }
    }

    @Test func theStatusSaysHowItWent() async throws {
        try await withTemporaryDirectory { directory in
            let failedRequest = try await nexsh(["-c", "profiles --json"], in: directory)
            #expect(failedRequest.status == 1)
            // The error body as received on standard output, the error on standard error.
            #expect((try? JSONValue.parse(failedRequest.standardOutput)) != nil, "\(failedRequest.standardOutput)")
            #expect(failedRequest.standardError.hasPrefix("-c:1:1: error: "), "\(failedRequest.standardError)")

            let failedExpectation = try await nexsh(["-c", "\(Self.login); expect .User.Id == 43"], in: directory)
            #expect(failedExpectation.status == 1)
            #expect(failedExpectation.standardError.contains("-c:1:"), "\(failedExpectation.standardError)")
            #expect(failedExpectation.standardError.contains("expectation failed"))

            let unreadable = try await nexsh(["-c", "echo 'open"], in: directory)
            #expect(unreadable.status == 2)
            #expect(unreadable.standardError.hasPrefix("-c:1:6: error: unterminated single quote"), "\(unreadable.standardError)")
            #expect(unreadable.standardOutput == "")

            let misused = try await nexsh(["-c", "profils"], in: directory)
            #expect(misused.status == 3)
            #expect(misused.standardError.contains("unknown command 'profils'"))
            let badOption = try await nexsh(["-c", "events --page 0"], in: directory)
            #expect(badOption.status == 3)

            let stopped = try await nexsh(["-c", "echo before; exit 4; echo after"], in: directory)
            #expect(stopped.status == 4)
            #expect(stopped.standardOutput == "before\n")
        }
    }

    /// With a session saved for the server (`login --save`), a one-shot asks for nothing.
    @Test func aSavedSessionMakesOneShotsWorkWithNoPrompt() async throws {
        try await withTemporaryDirectory { state in
            try await withSandbox { sandbox in
                let server = sandbox.baseURL.absoluteString
                let environment = ["XDG_STATE_HOME": state.path, "HOME": state.path]
                let saved = try await nexsh(["-c", "\(Self.login) --save", "--server", server], in: state, environment: environment)
                #expect(saved.status == 0, "\(saved.standardError)")
                let answer = try await nexsh(["-c", "profiles --json", "--server", server], in: state, environment: environment)
                #expect(answer.status == 0, "\(answer.standardError)")
                let body = try JSONValue.parse(answer.standardOutput)
                #expect(body["Profiles"]?.arrayValue?.first?["Id"]?.numberValue?.intValue == 101)
                #expect(answer.standardError.contains("resumed the saved session of jane.doe@example.com"))
            }
        }
    }

    @Test func theRunSummaryGoesWhereItIsAsked() async throws {
        try await withTemporaryDirectory { directory in
            try Data("echo data\nexpect status 200\n".utf8).write(to: directory.appendingPathComponent("s.nexsh"))
            let wrong = try await nexsh(["run", "s.nexsh", "--summary", "both"], in: directory)
            #expect(wrong.status == 3)
            #expect(wrong.standardError.contains("--summary must be stderr or stdout, not 'both'"))
        }
    }
}

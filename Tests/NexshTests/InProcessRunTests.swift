import Foundation
@testable import NexshApp
import NexshAppTesting
import NexshTesting
import Testing

/// Runs in the test process share it with each other: each must see only its own working
/// folder, environment, standard input and output, as separate processes would.
@Suite struct InProcessRunTests {
    @Test func runsAtOnceKeepTheirOwnFolderEnvironmentInputAndOutput() async throws {
        try await withTemporaryDirectory { first in
            try await withTemporaryDirectory { second in
                try Data("echo first folder ${env.WHO}\n".utf8).write(to: first.appendingPathComponent("s.nexsh"))
                try Data("echo second folder ${env.WHO}\nexpect status 200\n".utf8).write(to: second.appendingPathComponent("s.nexsh"))
                async let one = InProcessNexsh.run(["run", "s.nexsh"], environment: ["WHO": "one", "NO_COLOR": "1"], currentDirectory: first)
                async let two = InProcessNexsh.run(["run", "s.nexsh"], environment: ["WHO": "two", "NO_COLOR": "1"], currentDirectory: second)
                async let piped = InProcessNexsh.run([], environment: ["WHO": "three", "NO_COLOR": "1"], standardInput: Data("echo piped ${env.WHO}\n".utf8))
                let (a, b, c) = try await (one, two, piped)
                #expect(a.status == 0)
                #expect(a.standardOutput == "first folder one\n")
                #expect(b.status == 1, "\(b.standardOutput)\(b.standardError)")
                #expect(b.standardOutput.hasPrefix("second folder two\n"))
                #expect(b.standardError.hasSuffix("✘ s.nexsh: failed at line 2\n0 passed, 1 failed\n"))
                #expect(c.status == 0)
                #expect(c.standardOutput == "piped three\n")
                #expect(a.standardError == "✔ s.nexsh: 0 expectations passed\n0 passed, 0 failed\n")
                #expect(c.standardError == "✔ <stdin>: 0 expectations passed\n0 passed, 0 failed\n")
            }
        }
    }

    /// What ArgumentParser prints itself goes where the binary prints it: help to standard
    /// output, a usage error to standard error with status 3.
    @Test func helpAndUsageErrorsGoToTheirStreams() async throws {
        let help = try await InProcessNexsh.run(["run", "--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.hasPrefix("OVERVIEW: "))
        #expect(help.standardError == "")
        let usage = try await InProcessNexsh.run(["run", "--mode", "fast", "x.nexsh"])
        #expect(usage.status == 3)
        #expect(usage.standardOutput == "")
        #expect(usage.standardError.hasPrefix("Error: "), "\(usage.standardError)")
    }

    /// `run` lines are parsed as `run`'s own command line, without the root's; what that path
    /// leaves to the whole parse (help, a mistake) reads as it did, naming `nexsh run`.
    @Test func aRunLineParsedOnItsOwnReadsAsTheWholeParse() async throws {
        let help = try await InProcessNexsh.run(["run", "--help"])
        #expect(help.standardOutput.contains("USAGE: nexsh run "), "\(help.standardOutput)")
        let mistake = try await InProcessNexsh.run(["run", "--jobs", "0", "x.nexsh"])
        #expect(mistake.status == 3)
        #expect(mistake.standardError.contains("nexsh run"), "\(mistake.standardError)")
        // A plain line takes the quick path: the root's own parse is not needed for it.
        #expect(QuickParse.run(["run", "x.nexsh", "--jobs", "2"])?.jobs == 2)
        #expect(QuickParse.run(["run", "x.nexsh", "--help"]) == nil)
        #expect(QuickParse.run(["run", "--jobs", "0", "x.nexsh"]) == nil)
        #expect(QuickParse.run(["shell"]) == nil)
    }

    /// `nexsh run SCRIPT…` without options is read without ArgumentParser, into the run the parse
    /// would describe for the same words, every default included.
    @Test func anOptionFreeRunIsTheRunTheParseDescribes() throws {
        func described(_ value: Any) -> String {
            var text = ""
            dump(value, to: &text)
            return text
        }
        #expect(ConnectionSettings() == (try ConnectionOptions.parse([])).settings)
        for words in [["run", "a.nexsh"], ["run", "a.nexsh", "tests/", "b c.nexsh", "bundle.har"]] {
            let quick = try #require(QuickParse.optionFreeRun(words))
            let parsed = try RunCommand.parse(Array(words.dropFirst())).runConfiguration()
            #expect(described(quick) == described(parsed))
            #expect(quick.scripts == Array(words.dropFirst()))
        }
        // Anything else is parsed: options, help, standard input, an empty word.
        for words in [["run"], ["run", "a.nexsh", "--jobs", "2"], ["run", "-"], ["run", "help"], ["run", "a.nexsh", ""], ["shell", "a"], ["run", "-h"]] {
            #expect(QuickParse.optionFreeRun(words) == nil, "\(words)")
        }
    }
}

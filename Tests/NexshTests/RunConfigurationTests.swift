import ArgumentParser
import Foundation
import HTTPCassette
@testable import NexshApp
import NexshTesting
import Testing

/// The run configuration, in process: each typed value of `nexsh run`'s command line read from
/// good and bad words (with the usage errors people see), the configuration each command line
/// comes to, and shards that split the scripts.
@Suite struct RunConfigurationTests {
    /// The usage error `nexsh run` (or another command) prints for `arguments`; nil when they parse.
    func refusal<Command: ParsableCommand>(_ arguments: [String], of command: Command.Type = RunCommand.self) -> String? {
        do {
            _ = try Command.parse(arguments)
            return nil
        } catch {
            return Command.message(for: error)
        }
    }

    @Test func recordModesAreTheirNamesAndOthersAreRefused() {
        for mode in RecordMode.allCases {
            #expect(RecordMode(argument: mode.rawValue) == mode)
            #expect(refusal(["s.nexsh", "--mode", mode.rawValue, "--cassette", "c.har"]) == nil)
        }
        for word in ["bogus", "", "Replay", "replay "] {
            #expect(RecordMode(argument: word) == nil)
            #expect(refusal(["s.nexsh", "--mode", word]) == "--mode must be replay, record, once, new, passthrough or verify, not '\(word)'")
        }
        #expect(refusal(["s.nexsh", "--mode", "record"]) == "--mode record needs --cassette")
        #expect(refusal(["s.nexsh", "--mode", "passthrough"]) == nil)
        #expect(refusal(["bug.har", "--mode", "verify"]) == nil, "a bundle is its own cassette")
    }

    @Test func shardsAreIOfN() {
        for (word, index, count) in [("1/1", 1, 1), ("2/4", 2, 4), ("4/4", 4, 4), ("10/12", 10, 12)] {
            #expect(Shard(argument: word) == Shard(index: index, count: count), "\(word)")
            #expect(refusal(["s.nexsh", "--shard", word]) == nil)
        }
        #expect(Shard(argument: "-1/2") == nil, "(on the command line, a word that starts with - is an option)")
        for word in ["5/4", "0/4", "a/b", "1/0", "1/2/3", "1", "", "/"] {
            #expect(Shard(argument: word) == nil, "\(word)")
            #expect(refusal(["s.nexsh", "--shard", word]) == "--shard must be I/N with 1 ≤ I ≤ N, like 2/4, not '\(word)'")
        }
    }

    @Test func variablesAreANameThenEverythingAfterTheFirstEquals() {
        for (word, name, value) in [("a=b", "a", "b"), ("who=a=b", "who", "a=b"), ("empty=", "empty", ""), ("x_1=two words", "x_1", "two words")] {
            let assignment = VariableAssignment(argument: word)
            #expect(assignment?.name == name && assignment?.value == value, "\(word)")
        }
        for word in ["1x=2", "x", "=v", "env.X=1", "a b=c", ""] {
            #expect(VariableAssignment(argument: word) == nil, "\(word)")
            #expect(refusal(["s.nexsh", "--var", word]) == "--var must be name=value, not '\(word)'")
            #expect(refusal(["out.har", "--script", "s.nexsh", "--var", word], of: BundleCreateCommand.self) == "--var must be name=value, not '\(word)'")
        }
        let given = ["a=1", "b=2", "a=3"].compactMap(VariableAssignment.init(argument:))
        #expect(VariableAssignment.dictionary(given) == ["a": "3", "b": "2"], "a name given again takes the later value")
    }

    @Test func reportsAreAFormatAndAFile() {
        for (word, format, file) in [("html:r.html", ReportFormat.html, "r.html"), ("junit:out/r.xml", .junit, "out/r.xml"), ("tap:a:b.tap", .tap, "a:b.tap")] {
            #expect(ReportSpec(argument: word) == ReportSpec(format: format, file: file), "\(word)")
        }
        for word in ["pdf:x", "html:", "html", ":x", "", "JUNIT:r.xml"] {
            #expect(ReportSpec(argument: word) == nil, "\(word)")
            #expect(refusal(["s.nexsh", "--report", word]) == "--report must be html:FILE, junit:FILE or tap:FILE, not '\(word)'")
        }
    }

    /// Issue 16: a bare space name is a server too (`foo`), so the refusal names both forms.
    @Test func serversAreURLsWithAHostOrSpaceNames() {
        for word in ["", "https://", "/path", "ftp://example.com", "cool-", "cool space"] {
            let expected = "--server: '\(word)' is neither an http:// or https:// URL nor a space name (letters, digits and hyphens, such as coolspace)"
            #expect(refusal(["s.nexsh", "--server", word]) == expected)
            #expect(refusal(["out.har", "--script", "s.nexsh", "--server", word], of: BundleCreateCommand.self) == expected)
        }
        #expect(refusal(["s.nexsh", "--server", "https://example.spaces.nexudus.com"]) == nil)
        #expect(refusal(["s.nexsh", "--server", "foo"]) == nil)
        #expect(refusal(["s.nexsh", "--auth-server", "nope nope"])
            == "The value 'nope nope' is invalid for '--auth-server <URL>': expected an http:// or https:// URL")
    }

    /// Whatever order the words come in, the checks come in one order: mode, shard, variables,
    /// reports, server.
    @Test func theFirstCheckThatFailsIsReportedWhateverTheOrderOfTheWords() {
        #expect(refusal(["s.nexsh", "--server", "x", "--report", "x", "--var", "1", "--shard", "0/1", "--mode", "bogus"])?.hasPrefix("--mode must be") == true)
        #expect(refusal(["s.nexsh", "--server", "x", "--report", "x", "--var", "1", "--shard", "0/1"])?.hasPrefix("--shard must be") == true)
        #expect(refusal(["s.nexsh", "--server", "x", "--report", "x", "--var", "1"])?.hasPrefix("--var must be") == true)
        #expect(refusal(["s.nexsh", "--server", "x", "--report", "x"])?.hasPrefix("--report must be") == true)
    }

    @Test func aCommandLineComesToOneConfiguration() throws {
        let command = try RunCommand.parse([
            "a.nexsh", "folder", "--server", "https://example.com", "--cassette", "tapes", "--mode", "new", "--var", "a=1", "--var", "b=x=y",
            "--report", "junit:r.xml", "--report", "html:r.html", "--keep-going", "--jobs", "4", "--shard", "2/3", "--allow-repeats", "--strict",
            "--retries", "2", "--sandbox-port", "9000", "--sandbox-token-ttl", "60", "--sandbox-revision", "revised",
        ])
        let configuration = try command.runConfiguration()
        #expect(configuration.scripts == ["a.nexsh", "folder"])
        #expect(configuration.server == URL(string: "https://example.com"))
        #expect(!configuration.usesSandbox)
        #expect(configuration.cassette == "tapes")
        #expect(configuration.mode == .new && configuration.scriptMode == .new)
        #expect(configuration.variables.map(\.name) == ["a", "b"] && configuration.variables.map(\.value) == ["1", "x=y"])
        #expect(configuration.reports == [ReportSpec(format: .junit, file: "r.xml"), ReportSpec(format: .html, file: "r.html")])
        #expect(configuration.keepGoing && configuration.allowRepeats && configuration.strict)
        #expect(configuration.jobs == 4)
        #expect(configuration.shard == Shard(index: 2, count: 3))
        #expect(configuration.connection.retries == 2)
        #expect(configuration.sandbox.port == 9000 && configuration.sandbox.tokenLifetime == 60 && configuration.sandbox.revision == .revised)
        #expect(configuration.origin == .runCommand)

        let plain = try RunCommand.parse(["s.nexsh"]).runConfiguration()
        #expect(plain.mode == nil && plain.scriptMode == .passthrough && plain.shard == nil && plain.jobs == 1 && plain.reports.isEmpty)
        var replaying = plain
        replaying.cassette = "c.har"
        #expect(replaying.scriptMode == .replay, "a cassette with no mode replays")
    }

    @Test func theTargetIsTheServerNamedThenNEXSH_SERVERThenTheSandbox() throws {
        var configuration = try RunCommand.parse(["s.nexsh", "--sandbox-port", "9000"]).runConfiguration()
        let environment = ["NEXSH_SERVER": "https://env.example.com"]
        guard case .sandbox(let settings) = try configuration.target(environment: [:]) else { Issue.record("not the sandbox"); return }
        #expect(settings.port == 9000)
        guard case .server(let fromEnvironment) = try configuration.target(environment: environment) else { Issue.record("not $NEXSH_SERVER"); return }
        #expect(fromEnvironment.absoluteString == "https://env.example.com")
        guard case .sandbox = try configuration.target(environment: ["NEXSH_SERVER": ""]) else { Issue.record("an empty NEXSH_SERVER is unset"); return }
        // A value that names no server is said, not quietly replaced by the sandbox.
        #expect(throws: ValidationError.self, "NEXSH_SERVER='foo bar'") { try configuration.target(environment: ["NEXSH_SERVER": "foo bar"]) }
        guard case .server(let space) = try configuration.target(environment: ["NEXSH_SERVER": "coolspace"]) else { Issue.record("a space name"); return }
        #expect(space.absoluteString == "https://coolspace.spaces.nexudus.com")
        configuration.usesSandbox = true
        guard case .sandbox = try configuration.target(environment: environment) else { Issue.record("--sandbox wins over NEXSH_SERVER"); return }
        configuration.server = URL(string: "https://named.example.com")
        guard case .server(let named) = try configuration.target(environment: environment) else { Issue.record("not the server named"); return }
        #expect(named.absoluteString == "https://named.example.com")
        configuration.server = URL(string: "http://example.com")
        #expect(throws: ValidationError.self, "plain http:// to another host needs --allow-http") { try configuration.target(environment: [:]) }
    }

    /// Over lists of every length up to 20, the N shards of a list take each item exactly once,
    /// in the list's order, and an item's shard depends only on its place.
    @Test func theShardsOfAListTakeEachItemExactlyOnce() throws {
        for length in 0...20 {
            let items = Array(0..<length)
            for count in 1...7 {
                let slices = (1...count).map { Shard(index: $0, count: count)!.slice(items) }
                #expect(slices.flatMap { $0 }.sorted() == items, "\(count) shards of \(length)")
                for slice in slices { #expect(slice == slice.sorted(), "in the list's order") }
                #expect(slices == (1...count).map { Shard(index: $0, count: count)!.slice(items) }, "the same slices every time")
                for (offset, slice) in slices.enumerated() {
                    #expect(slice.allSatisfy { $0 % count == offset }, "item i goes to shard i mod N")
                }
            }
        }
    }

    /// A folder's scripts are found sorted (whatever order the folder lists them in), so that
    /// `--shard 1/N` … `N/N` on any machine run every script exactly once between them.
    @Test func theShardsOfAFolderRunEveryScriptExactlyOnce() async throws {
        try await withTemporaryDirectory { directory in
            let names = ["zeta", "alpha", "mid", "beta", "omega", "gamma", "delta"].map { $0 + ".nexsh" }
            for name in names { try Data("echo \(name)\n".utf8).write(to: directory.appendingPathComponent(name)) }
            try Data("not a script".utf8).write(to: directory.appendingPathComponent("notes.txt"))
            let folder = directory.path
            let all = ScriptDiscovery.scriptFiles([folder])
            #expect(all == names.sorted().map { folder + "/" + $0 })
            for count in 1...4 {
                var found: [String] = []
                for index in 1...count {
                    var configuration = try RunCommand.parse([folder, "--shard", "\(index)/\(count)"]).runConfiguration()
                    configuration.usesSandbox = true
                    let discovery = try ScriptDiscovery(configuration)
                    #expect(discovery.unreadable.isEmpty)
                    found += discovery.jobs.map(\.script.file)
                }
                #expect(found.sorted() == all, "\(count) shards")
            }
        }
    }
}

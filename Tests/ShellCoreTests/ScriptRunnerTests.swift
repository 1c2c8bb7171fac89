import Foundation
import HTTPValues
import NexshTesting
@testable import ShellCore
import Testing

/// A command standing in for a request: `respond <status> [json body] [--header Name:Value]`.
struct RespondCommand: ShellCommand {
    let name = "respond"
    let summary = "Pretend a request got this answer."
    static let status = Positional<String>("status", help: "The status.")
    static let body = OptionalPositional<String>("body", help: "JSON.")
    static let header = RepeatedOption<String>("header", value: "name:value", help: "A header.")
    static let signature = CommandSignature(status, body, header)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let status = Int(try invocation[Self.status])!
        var headers: HTTPHeaders = [("Content-Type", "application/json")]
        for header in try invocation[Self.header] {
            let parts = header.split(separator: ":", maxSplits: 1).map(String.init)
            headers.add(name: parts[0], value: parts[1].trimmingCharacters(in: .whitespaces))
        }
        let response = HTTPResponse(status: status, headers: headers, body: Data((try invocation[Self.body] ?? "").utf8))
        context.received(response, for: HTTPRequest(method: .get, url: URL(string: "http://localhost/thing")!))
        if status >= 400 { throw ShellError.requestFailed(status: status, message: "GET /thing → \(response.statusLine)") }
    }
}

func makeContext(variables: [String: String] = [:], environment: [String: String] = [:]) throws -> (ShellContext, BufferedOutput) {
    var table = CommandTable()
    for command in BuiltinCommands.all + [RespondCommand()] { try table.register(command) }
    let output = BufferedOutput()
    return (ShellContext(commands: table, variables: Variables(variables, environment: environment), output: output), output)
}

func run(_ text: String, keepGoing: Bool = false, variables: [String: String] = [:]) async throws -> (ScriptOutcome, String) {
    let (context, output) = try makeContext(variables: variables)
    let script = try Script(text: text, file: "t.nexsh", commands: context.commands)
    let outcome = await ScriptRunner.run(script, in: context, keepGoing: keepGoing)
    return (outcome, output.text)
}

@Suite struct ScriptRunnerTests {
    let profiles = #"{"User":{"Id":42,"FullName":"Jane Doe"},"Profiles":[{"Id":101,"FullName":"Jane Doe","Active":true},{"Id":102,"FullName":"Acme Design Co.","Active":true}]}"#

    @Test func everyOperatorHoldsWhereItShould() async throws {
        let script = """
            respond 200 '\(profiles)' --header "X-Total: 2"
            expect status 200
            expect status == 200
            expect status != 500
            expect .User.Id == 42
            expect .User.FullName == "Jane Doe"
            expect .User.FullName == Jane Doe
            expect .User.FullName != "Sam"
            expect .Profiles[1].Id >= 102
            expect .Profiles[0].Id < 102
            expect count(.Profiles) == 2
            expect count(.Profiles[*]) > 1
            expect .Profiles[*].Id contains 102
            expect .Profiles[*].FullName contains "Acme Design Co."
            expect .User.FullName contains Doe
            expect .User contains FullName
            expect .User.FullName matches /^Jane/
            expect .Profiles[0].Active == true
            expect .User.Email missing
            expect .User.Id exists
            expect header X-Total 2
            expect header x-total == 2
            expect header Content-Type contains json
            expect body contains Acme
            """
        let (outcome, output) = try await run(script)
        #expect(output == "")
        #expect(outcome.succeeded)
        #expect(outcome.passedExpectations == 23)
        #expect(outcome.failedExpectations == 0)
    }

    @Test func aFailedExpectationShowsExpectedActualAndTheLine() async throws {
        let (outcome, output) = try await run("respond 200 '\(profiles)'\nexpect .Profiles[0].FullName == \"Jane Smith\"\necho never")
        #expect(!outcome.succeeded)
        #expect(outcome.failedExpectations == 1)
        #expect(output == """
            t.nexsh:2:1: expectation failed: expect .Profiles[0].FullName == "Jane Smith"
                expected: "Jane Smith"
                actual:   "Jane Doe"

            """)
        #expect(outcome.linesRun == 2, "the script stops at the first failure")
    }

    @Test func expectationsAreTypedAndSayTheTypesWhenTheyDiffer() async throws {
        let body = #"{"Id":101,"Name":"101","X":null,"Flag":false,"List":[101],"Object":{}}"#
        let holding = [
            "expect .Id == 101", #"expect .Name == "101""#, "expect .X == null", "expect .Flag == false", "expect .List == [101]",
            #"expect .Id != "101""#, "expect .Name != 101", "expect .List contains 101", "expect .Id is number", "expect .Name is string",
            "expect .X is null", "expect .Flag is boolean", "expect .List is array", "expect .Object is object", "expect status is number",
            "expect header X-Total == 2", #"expect header X-Total == "2""#, "expect header X-Total is string", "expect body is string",
        ]
        let (passed, silent) = try await run("respond 200 '\(body)' --header \"X-Total: 2\"\n" + holding.joined(separator: "\n"))
        #expect(silent == "")
        #expect(passed.passedExpectations == holding.count)

        let failing: [(line: String, expected: String, actual: String)] = [
            (#"expect .Id == "101""#, #"the string "101""#, "the number 101"),
            ("expect .Name == 101", "the number 101", #"the string "101""#),
            (#"expect .X == "null""#, #"the string "null""#, "null"),
            (#"expect .Flag == "false""#, #"the string "false""#, "the boolean false"),
            (#"expect .List contains "101""#, #"contains "101""#, "[101]"),
            ("expect .Id is string", "a string", "the number 101"),
            ("expect .X is object", "an object", "null"),
            ("expect .Missing is null", "null", "nothing at .Missing"),
            ("expect .Name < 200", "< 200", #"the string "101""#),
        ]
        let (outcome, output) = try await run("respond 200 '\(body)'\n" + failing.map(\.line).joined(separator: "\n"), keepGoing: true)
        #expect(outcome.failedExpectations == failing.count)
        for (index, item) in failing.enumerated() {
            #expect(output.contains("t.nexsh:\(index + 2):1: expectation failed: \(item.line)\n    expected: \(item.expected)\n    actual:   \(item.actual)\n"), "\(item.line)")
        }
    }

    @Test func valuesThatCanNeverHoldAreFoundWhenTheScriptIsRead() throws {
        let (context, _) = try makeContext()
        let cases: [(line: String, message: String)] = [
            ("expect .Id is integer", "expect: 'integer' is not a type: string, number, boolean, null, array or object"),
            ("expect .Id is", "expect: missing the type (string, number, boolean, null, array or object)"),
            (#"expect status "404""#, #"expect: '"404"' is quoted, so it is text; a status is a number: write 404"#),
            ("expect .Id < abc", "expect: 'abc' is not a number; < compares numbers"),
            (#"expect .Id >= "5""#, #"expect: '"5"' is quoted, so it is text; >= compares numbers: write 5"#),
            (#"expect count(.List) == "1""#, #"expect: '"1"' is quoted, so it is text; count(.List) is a number: write 1"#),
            ("expect count(.List) != one", "expect: 'one' is not a number; count(.List) is a number"),
        ]
        for item in cases {
            do {
                _ = try Script(text: item.line, file: "t.nexsh", commands: context.commands)
                Issue.record("\(item.line) should not read")
            } catch {
                #expect(error.rendered().hasPrefix("t.nexsh:1:"), "\(item.line)")
                #expect(error.rendered().contains(": error: \(item.message)\n"), "\(error.rendered())")
            }
        }
    }

    @Test func aValueFromAVariableIsCheckedWhenTheLineRuns() async throws {
        let (outcome, output) = try await run("respond 200 '{\"Id\":1}'\nset type integer\nexpect .Id is ${type}")
        #expect(!outcome.succeeded)
        #expect(output.hasPrefix("t.nexsh:3:15: error: expect: 'integer' is not a type: string, number, boolean, null, array or object\n"))
    }

    @Test func keepGoingRunsEveryLine() async throws {
        let (outcome, output) = try await run("respond 200 '{\"a\":1}'\nexpect .a == 2\nexpect .b exists\nexpect .a == 1\necho done", keepGoing: true)
        #expect(outcome.linesRun == 5)
        #expect(outcome.passedExpectations == 1)
        #expect(outcome.failedExpectations == 2)
        #expect(output.hasSuffix("done\n"))
        #expect(output.contains("    expected: .b to exist\n    actual:   nothing at .b\n"))
    }

    @Test func anHTTPErrorFailsUnlessTheNextLineExpectsItsStatus() async throws {
        let (expected, shown) = try await run("respond 404 '{\"Message\":\"nope\"}'\nexpect status 404\nexpect .Message == nope")
        #expect(expected.succeeded)
        #expect(shown == "(expected) GET /thing → 404 Not Found\n")
        #expect(expected.passedExpectations == 2)

        let (unexpected, output) = try await run("respond 404\nexpect status 200")
        #expect(!unexpected.succeeded)
        #expect(output == "t.nexsh:1:1: error: GET /thing → 404 Not Found; line 2 expected status 200, not 404\n    respond 404\n    ^\n")
        let (unchecked, plain) = try await run("respond 404\necho next")
        #expect(!unchecked.succeeded)
        #expect(plain == "t.nexsh:1:1: error: GET /thing → 404 Not Found\n    respond 404\n    ^\n", "no expectation follows: nothing to add")

        let (viaVariable, _) = try await run("respond 503\nexpect status ${code}", variables: ["code": "503"])
        #expect(viaVariable.succeeded)
    }

    @Test func captureAndVariablesFeedLaterLines() async throws {
        let script = """
            set who "Jane Doe"
            respond 200 '\(profiles)'
            capture id .Profiles[1].Id
            capture total count(.Profiles)
            capture status status
            echo ${who} has ${total} profiles, the second is ${id} (${status})
            expect .Profiles[1].Id == ${id}
            unset who
            vars
            """
        let (outcome, output) = try await run(script)
        #expect(outcome.succeeded)
        #expect(output == "Jane Doe has 2 profiles, the second is 102 (200)\nid = 102\nstatus = 200\ntotal = 2\n")
    }

    @Test func problemsAreFoundBeforeAnythingRuns() async throws {
        let (context, output) = try makeContext()
        let cases: [(String, String)] = [
            ("echo start\nprofils", "t.nexsh:2:1: error: unknown command 'profils' (help lists the commands)\n    profils\n    ^"),
            ("echo start\n  hepl me", "t.nexsh:2:3: error: unknown command 'hepl' — did you mean 'help'?\n      hepl me\n      ^"),
            ("last --hedaers", "t.nexsh:1:6: error: last: unknown option --hedaers (did you mean --headers?)\n    last --hedaers\n         ^\n    usage: last [--headers] [--request] [--curl] [--json]"),
            ("capture 9x .a", "t.nexsh:1:9: error: capture: '9x' is not a variable name (letters, digits, _ and -)\n    capture 9x .a\n            ^\n    usage: capture <name> <query>"),
            ("expect .a.", "t.nexsh:1:10: error: expect: bad JSON path '.a.': a path cannot end with '.'\n    expect .a.\n             ^\n    usage: \(Expectation.usage)"),
            ("expect .a ~= 1", "t.nexsh:1:11: error: expect: '~=' is not an operator (==, !=, <, <=, >, >=, contains, matches, is, exists, missing)\n    expect .a ~= 1\n              ^\n    usage: \(Expectation.usage)"),
            ("expect .a ==", "t.nexsh:1:13: error: expect: missing the value to compare with\n    expect .a ==\n                ^\n    usage: \(Expectation.usage)"),
            ("respond", "t.nexsh:1:1: error: respond: missing <status>\n    respond\n    ^\n    usage: respond <status> [<body>] [--header <name:value>]..."),
            ("sleep 1 2", "t.nexsh:1:9: error: sleep: unexpected argument '2'\n    sleep 1 2\n            ^\n    usage: sleep <milliseconds>"),
        ]
        for (text, rendered) in cases {
            #expect(throws: ShellError.self, "\(text)") { try Script(text: text, file: "t.nexsh", commands: context.commands) }
            do {
                _ = try Script(text: text, file: "t.nexsh", commands: context.commands)
            } catch {
                #expect(error.rendered() == rendered, "\(text)")
            }
        }
        #expect(output.text == "", "nothing ran")
    }

    @Test func everyMistakeIsFoundInOneReadingAndATypoIsReportedOnce() throws {
        let (context, _) = try makeContext()
        let text = "sett who jane\necho ${who} ${nobody}\necho \"open\nexpect .a ==\necho ${nobody}"
        do {
            _ = try Script(text: text, file: "t.nexsh", commands: context.commands, knownVariables: [])
            Issue.record("the script should not read")
        } catch {
            guard case .mistakes(let mistakes, let more) = error else {
                Issue.record("several mistakes, not \(error)")
                return
            }
            #expect(mistakes.map { $0.location.map(\.description) } == ["t.nexsh:1:1", "t.nexsh:2:13", "t.nexsh:3:6", "t.nexsh:4:13", "t.nexsh:5:6"],
                    "in the order of the text; ${who} counts as set by the line with the typo")
            #expect(more == 0)
            #expect(error.isParseError)
            #expect(error.rendered() == mistakes.map { $0.rendered() }.joined(separator: "\n"))
        }
    }

    @Test func undefinedVariablesFailWhenTheLineRuns() async throws {
        let (outcome, output) = try await run("echo before\necho ${missing}\necho after")
        #expect(!outcome.succeeded)
        #expect(output == "before\nt.nexsh:2:6: error: undefined variable 'missing': set it with 'set missing …' or --var missing=…\n    echo ${missing}\n         ^\n")
    }

    @Test func sourceRunsAnotherFileAndExitStops() async throws {
        try await withTemporaryDirectory { directory in
            try Data("set from-child yes\necho in child\n".utf8).write(to: directory.appendingPathComponent("child.nexsh"))
            try Data("source child.nexsh\nsource child.nexsh\n".utf8).write(to: directory.appendingPathComponent("twice.nexsh"))
            try Data("source loop.nexsh\n".utf8).write(to: directory.appendingPathComponent("loop.nexsh"))
            let main = directory.appendingPathComponent("main.nexsh")
            try Data("source twice.nexsh\necho ${from-child}\nexit 3\necho unreachable\n".utf8).write(to: main)
            let (context, output) = try makeContext()
            let outcome = await ScriptRunner.run(try Script(contentsOfFile: main.path, commands: context.commands), in: context)
            #expect(output.text == "in child\nin child\nyes\n")
            #expect(outcome.exitCode == 3)
            #expect(!outcome.succeeded)

            let loop = directory.appendingPathComponent("loop.nexsh")
            let (loopContext, loopOutput) = try makeContext()
            let looped = await ScriptRunner.run(try Script(contentsOfFile: loop.path, commands: loopContext.commands), in: loopContext)
            #expect(!looped.succeeded)
            #expect(loopOutput.text.contains("source: scripts nested more than 16 deep (does \(directory.path)/loop.nexsh source itself?)"))
        }
    }

    @Test func helpListsAndExplains() async throws {
        let (context, output) = try makeContext()
        try await Dispatcher.execute(text: "help", in: context)
        #expect(output.text.contains("  expect   Check the last response"))
        try await Dispatcher.execute(text: "help sleep", in: context)
        #expect(output.text.contains("usage: sleep <milliseconds>\n\nWait some milliseconds"))
        try await Dispatcher.execute(text: "sleep --help", in: context)
        // A name written in the line is checked when the line is read; one from a variable when it runs.
        await #expect(throws: ShellError.usage(
            command: "help", message: "no command 'slep' — did you mean 'sleep'?", SourceLocation(file: "<input>", line: 1, column: 6),
            sourceLine: "help slep", usage: "help [<topic>] [<path>]"
        )) {
            try await Dispatcher.execute(text: "help slep", in: context)
        }
        try context.setVariable("name", "slep")
        await #expect(throws: ShellError.failed("help: no command 'slep' — did you mean 'sleep'?")) {
            try await Dispatcher.execute(text: "help ${name}", in: context)
        }
    }

    @Test func lastShowsTheResponseSafely() async throws {
        let (context, output) = try makeContext()
        // A raw escape character makes the body invalid JSON: it is shown as text, escaped.
        try await Dispatcher.execute(text: "respond 200 '{\"b\": \"\u{1B}[31mred\"}' --header 'X-Evil: \u{1B}]0;title'", in: context)
        try await Dispatcher.execute(text: "last --headers", in: context)
        // In valid JSON the escape is written \u001b, and stays so.
        try await Dispatcher.execute(text: #"respond 200 '{"b": "\u001b[31mred", "a": 1}'"#, in: context)
        try await Dispatcher.execute(text: "last", in: context)
        #expect(output.text == """
            HTTP/1.1 200 OK
            Content-Type: application/json
            X-Evil: \\u{1B}]0;title

            {"b": "\\u{1B}[31mred"}
            200 OK
            {
              "b": "\\u001b[31mred",
              "a": 1
            }

            """)
    }

    @Test func completionOffersCommandsFlagsVariablesAndFiles() async throws {
        let (context, _) = try makeContext(variables: ["profile": "102", "plan": "x"])
        #expect(await Completer.complete("ex", in: context).map(\.value) == ["exit", "expect"])
        #expect(await Completer.complete("last --", in: context).map(\.value) == ["--headers", "--request", "--curl", "--json"])
        #expect(await Completer.complete("last --headers --", in: context).map(\.value) == ["--request", "--curl", "--json"])
        #expect(await Completer.complete("echo ${pro", in: context).map(\.value) == ["${profile}"])
        #expect(await Completer.complete("help sl", in: context).map(\.value) == ["sleep"])
        #expect(await Completer.complete("unset p", in: context).map(\.value) == ["plan", "profile"])
        try await withTemporaryDirectory { directory in
            try Data().write(to: directory.appendingPathComponent("a.nexsh"))
            try Data().write(to: directory.appendingPathComponent("b.txt"))
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub"), withIntermediateDirectories: false)
            let found = await Completer.complete("source \(directory.path)/", in: context)
            #expect(found == [Completion("\(directory.path)/a.nexsh"), Completion("\(directory.path)/sub/", appendsSpace: false)])
        }
    }

    /// A name with a space is offered as the line must hold it: escaped in a bare word, closed
    /// inside the quote the word opened; and what the escapes mean is what is matched.
    @Test func completedNamesAreWrittenAsTheWordIsQuoted() async throws {
        let (context, _) = try makeContext()
        try await withTemporaryDirectory { directory in
            try Data().write(to: directory.appendingPathComponent("my file.nexsh"))
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("my dir"), withIntermediateDirectories: false)
            let folder = directory.path
            #expect(await Completer.complete("source \(folder)/my", in: context).map(\.value) == [
                "\(folder)/my\\ dir/", "\(folder)/my\\ file.nexsh",
            ])
            #expect(await Completer.complete("source \(folder)/my\\ f", in: context).map(\.value) == ["\(folder)/my\\ file.nexsh"])
            #expect(await Completer.complete("source \(folder)/my\\", in: context).map(\.value) == [
                "\(folder)/my\\ dir/", "\(folder)/my\\ file.nexsh",
            ])
            #expect(await Completer.complete("source \"\(folder)/my f", in: context) == [Completion("\"\(folder)/my file.nexsh\"")])
            #expect(await Completer.complete("source '\(folder)/my d", in: context) == [Completion("'\(folder)/my dir/", appendsSpace: false)])
            #expect(await Completer.complete("source \(folder)/nothing", in: context).isEmpty)
        }
    }

    @Test func duplicateCommandNamesAreRefused() throws {
        var table = CommandTable()
        for command in BuiltinCommands.all { try table.register(command) }
        #expect(throws: CommandTable.DuplicateName.self) { try table.register(ExitCommand()) }
        #expect(Set(table.names).count == table.names.count)
    }
}

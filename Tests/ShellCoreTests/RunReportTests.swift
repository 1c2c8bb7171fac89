import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import ShellCore
import Testing

/// The CI reports of a run (JUnit XML, TAP), rendered from the outcomes of real script runs.
@Suite struct RunReportTests {
    /// The outcome of running `text` as the script `file`, with `respond` standing in for requests.
    func outcome(of text: String, file: String, keepGoing: Bool = false) async throws -> ScriptOutcome {
        let (context, _) = try makeContext()
        let script = try Script(text: text, file: file, commands: context.commands)
        return await ScriptRunner.run(script, in: context, keepGoing: keepGoing)
    }

    /// A passing script, one whose expectation fails, one whose request fails outside any
    /// expectation, one that could not be read, and one with no expectation at all.
    func outcomes() async throws -> [ScriptOutcome] {
        let passing = try await outcome(of: "respond 200 '{\"a\":1}'\nexpect .a == 1\nexpect status 200", file: "pass.nexsh")
        let failing = try await outcome(of: "respond 200 '{\"a\":1}'\nexpect .a == 2\nexpect .a == 1", file: "fail.nexsh", keepGoing: true)
        let erring = try await outcome(of: "respond 503\necho after", file: "error.nexsh", keepGoing: true)
        var unreadable = ScriptOutcome(file: "open.nexsh")
        let commands = try makeContext().0.commands
        unreadable.parseError = #expect(throws: ShellError.self) { try Script(text: "echo 'open", file: "open.nexsh", commands: commands) }
        let silent = try await outcome(of: "echo hello", file: "silent.nexsh")
        return [passing, failing, erring, unreadable, silent]
    }

    @Test func junitHasASuitePerScriptAndACasePerExpectationOrFailure() async throws {
        let report = RunReport.junit(try await outcomes())
        #expect(report == """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="nexsh" tests="7" failures="1" errors="2">
              <testsuite name="pass.nexsh" tests="2" failures="0" errors="0">
                <testcase classname="pass.nexsh" name="line 2: expect .a == 1"/>
                <testcase classname="pass.nexsh" name="line 3: expect status 200"/>
              </testsuite>
              <testsuite name="fail.nexsh" tests="2" failures="1" errors="0">
                <testcase classname="fail.nexsh" name="line 2: expect .a == 2">
                  <failure message="expected 2, got 1">expected: 2&#10;actual:   1</failure>
                </testcase>
                <testcase classname="fail.nexsh" name="line 3: expect .a == 1"/>
              </testsuite>
              <testsuite name="error.nexsh" tests="1" failures="0" errors="1">
                <testcase classname="error.nexsh" name="line 1: command failed">
                  <error message="error.nexsh:1:1: error: GET /thing → 503 Service Unavailable">error.nexsh:1:1: error: GET /thing → 503 Service Unavailable&#10;    respond 503&#10;    ^</error>
                </testcase>
              </testsuite>
              <testsuite name="open.nexsh" tests="1" failures="0" errors="1">
                <testcase classname="open.nexsh" name="read the script">
                  <error message="open.nexsh:1:6: error: unterminated single quote">open.nexsh:1:6: error: unterminated single quote&#10;    echo 'open&#10;         ^</error>
                </testcase>
              </testsuite>
              <testsuite name="silent.nexsh" tests="1" failures="0" errors="0">
                <testcase classname="silent.nexsh" name="runs"/>
              </testsuite>
            </testsuites>

            """)
    }

    @Test func tapHasALinePerExpectationOrFailureAndAYAMLBlockPerFailure() async throws {
        let report = RunReport.tap(try await outcomes())
        #expect(report == """
            TAP version 13
            1..7
            ok 1 - pass.nexsh line 2: expect .a == 1
            ok 2 - pass.nexsh line 3: expect status 200
            not ok 3 - fail.nexsh line 2: expect .a == 2
              ---
              message: 'expected 2, got 1'
              severity: fail
              detail: |
                expected: 2
                actual:   1
              ...
            ok 4 - fail.nexsh line 3: expect .a == 1
            not ok 5 - error.nexsh line 1: command failed
              ---
              message: 'error.nexsh:1:1: error: GET /thing → 503 Service Unavailable'
              severity: error
              detail: |
                error.nexsh:1:1: error: GET /thing → 503 Service Unavailable
                    respond 503
                    ^
              ...
            not ok 6 - open.nexsh read the script
              ---
              message: 'open.nexsh:1:6: error: unterminated single quote'
              severity: error
              detail: |
                open.nexsh:1:6: error: unterminated single quote
                    echo 'open
                         ^
              ...
            ok 7 - silent.nexsh runs

            """)
    }

    @Test func anEmptyRunIsAnEmptyReport() {
        #expect(RunReport.junit([]) == """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="nexsh" tests="0" failures="0" errors="0">
            </testsuites>

            """)
        #expect(RunReport.tap([]) == "TAP version 13\n1..0\n")
    }

    @Test func xmlEscapesMarkupShowsControlsAndDropsWhatXMLForbids() {
        let text = "a<b>&\"c\"\n\t\u{1B}[31m\u{202E}\r\u{FFFE}z"
        #expect(RunReport.xml(text) == #"a&lt;b&gt;&amp;&quot;c&quot;&#10;&#9;\u{1B}[31m\u{202E}\rz"#)
        #expect(RunReport.xml(text, keepingNewlines: true) == "a&lt;b&gt;&amp;&quot;c&quot;\n\t\\u{1B}[31m\\u{202E}\\rz")
    }

    /// What a script and a server put into a report is data: the report stays well-formed
    /// XML, says it as text, and holds no character that could drive a terminal.
    @Test func hostileNamesAndValuesStayTextInTheJUnitReport() async throws {
        let file = "we<ird> & \"odd\"\u{1B}[2J.nexsh"
        let failing = try await outcome(of: #"respond 200 '{"a":"<b>\u001b[2J & \"q\""}'"# + "\nexpect .a == \"</failure>\"", file: file)
        let report = RunReport.junit([failing])
        #expect(!report.contains("\u{1B}"))
        let document = try XMLDocument(data: Data(report.utf8))
        let suite = try #require(try document.nodes(forXPath: "/testsuites/testsuite").first as? XMLElement)
        #expect(suite.attribute(forName: "name")?.stringValue == #"we<ird> & "odd"\u{1B}[2J.nexsh"#)
        let failure = try #require(try document.nodes(forXPath: "//failure").first as? XMLElement)
        #expect(failure.attribute(forName: "message")?.stringValue == #"expected "</failure>", got "<b>\u001b[2J & \"q\"""#)
        #expect(failure.stringValue == "expected: \"</failure>\"\nactual:   \"<b>\\u001b[2J & \\\"q\\\"\"")
    }

    @Test func tapEscapesTheCommentMarkAndQuotesOfItsYAML() async throws {
        let failing = try await outcome(of: "respond 200 '{\"a\":\"it#s\"}'\nexpect .a == \"it's\"", file: "quote#.nexsh")
        let report = RunReport.tap([failing])
        #expect(report.contains(##"not ok 1 - quote\#.nexsh line 2: expect .a == "it's""##))
        #expect(report.contains(#"  message: 'expected "it''s", got "it#s"'"#))
    }
}

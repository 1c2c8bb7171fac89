/// Reports of a run for CI: JUnit XML and TAP, one test case per expectation (and one per
/// failure that was not an expectation). Nothing time-dependent is written, so reports of
/// replays are identical from run to run.
public enum RunReport {
    struct Case {
        let script: String
        let name: String
        /// `(kind, message, detail)` for a failure.
        let failure: (kind: String, message: String, detail: String)?
    }

    static func cases(of outcome: ScriptOutcome) -> [Case] {
        if let error = outcome.parseError {
            let text = error.rendered()
            return [Case(script: outcome.file, name: "read the script", failure: ("error", firstLine(text), text))]
        }
        var cases = outcome.expectations.map { record in
            Case(
                script: outcome.file,
                name: "line \(record.location.line): \(collapse(record.text))",
                failure: record.failure.map { ("failure", "expected \($0.expected), got \($0.actual)", "expected: \($0.expected)\nactual:   \($0.actual)") }
            )
        }
        for failure in outcome.failures where !failure.isExpectation {
            let name = failure.location.map { "line \($0.line)" } ?? "run"
            cases.append(Case(script: outcome.file, name: "\(name): command failed", failure: ("error", firstLine(failure.message), failure.message)))
        }
        if cases.isEmpty { cases.append(Case(script: outcome.file, name: "runs", failure: nil)) }
        return cases
    }

    /// JUnit XML: a test suite per script.
    public static func junit(_ outcomes: [ScriptOutcome]) -> String {
        let all = outcomes.map(cases)
        let total = all.joined().count
        let failures = all.joined().filter { $0.failure?.kind == "failure" }.count
        let errors = all.joined().filter { $0.failure?.kind == "error" }.count
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<testsuites name="nexsh" tests="\#(total)" failures="\#(failures)" errors="\#(errors)">"#,
        ]
        for (outcome, cases) in zip(outcomes, all) {
            let suiteFailures = cases.filter { $0.failure?.kind == "failure" }.count
            let suiteErrors = cases.filter { $0.failure?.kind == "error" }.count
            lines.append(#"  <testsuite name="\#(xml(outcome.file))" tests="\#(cases.count)" failures="\#(suiteFailures)" errors="\#(suiteErrors)">"#)
            for testCase in cases {
                let opening = #"    <testcase classname="\#(xml(testCase.script))" name="\#(xml(testCase.name))""#
                if let failure = testCase.failure {
                    lines.append(opening + ">")
                    lines.append(#"      <\#(failure.kind) message="\#(xml(failure.message))">\#(xml(failure.detail))</\#(failure.kind)>"#)
                    lines.append("    </testcase>")
                } else {
                    lines.append(opening + "/>")
                }
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// TAP version 13, failures with a YAML block.
    public static func tap(_ outcomes: [ScriptOutcome]) -> String {
        let all = outcomes.flatMap(cases)
        var lines = ["TAP version 13", "1..\(all.count)"]
        for (index, testCase) in all.enumerated() {
            let description = Terminal.safe("\(testCase.script) \(testCase.name)").replacingOccurrences(of: "#", with: "\\#")
            guard let failure = testCase.failure else {
                lines.append("ok \(index + 1) - \(description)")
                continue
            }
            lines.append("not ok \(index + 1) - \(description)")
            lines.append("  ---")
            lines.append("  message: \(yaml(failure.message))")
            lines.append("  severity: \(failure.kind == "failure" ? "fail" : "error")")
            lines.append("  detail: |")
            for line in Terminal.safe(failure.detail, keepingNewlines: true).split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append("    \(line)")
            }
            lines.append("  ...")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n").first ?? "")
    }

    private static func collapse(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// Text for an XML attribute or element: control and bidirectional characters shown
    /// escaped (``Terminal/safe(_:keepingNewlines:)``), markup escaped, and characters XML 1.0
    /// forbids dropped. Element text may keep its line breaks; an attribute's must be escaped.
    public static func xml(_ text: String, keepingNewlines: Bool = false) -> String {
        var output = ""
        for scalar in Terminal.safe(text, keepingNewlines: true).unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "\n" where keepingNewlines, "\t" where keepingNewlines: output.unicodeScalars.append(scalar)
            case "\n": output += "&#10;"
            case "\t": output += "&#9;"
            case _ where scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value):
                continue
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// A YAML single-quoted scalar.
    private static func yaml(_ text: String) -> String {
        "'" + Terminal.safe(text, keepingNewlines: true).replacingOccurrences(of: "'", with: "''").replacingOccurrences(of: "\n", with: " ") + "'"
    }
}

import Foundation
import HTTPCassette
import HTTPValues
import JSONValues
import NexudusCommands
import ShellCore

/// `nexsh run --report html:FILE`: one self-contained page (inline CSS, no script, no external
/// asset) that opens offline. A summary first; then each script's lines with the requests they
/// sent (redacted as a cassette holds them), JSON bodies as collapsible trees, failed
/// expectations with expected and actual side by side, and drift findings.
///
/// The page is well-formed XML as well as HTML, so that tests can read it with any XML parser.
enum HTMLReport {
    static func render(_ results: [JobResult], duration: Duration) -> String {
        var page = Page()
        let failed = results.filter { !$0.outcome.succeeded }.count
        let expectations = results.reduce((0, 0)) { ($0.0 + $1.outcome.passedExpectations, $0.1 + $1.outcome.failedExpectations) }
        let drifted = results.flatMap(\.exchanges).compactMap(\.drift).filter(\.isDrift).count

        page.open("header", class: failed == 0 ? "summary pass" : "summary fail")
        page.element("h1", failed == 0 ? "✔ nexsh run passed" : "✘ nexsh run failed")
        page.open("dl", class: "counts")
        for (term, value) in [
            ("scripts", "\(results.count)"), ("passed", "\(results.count - failed)"), ("failed", "\(failed)"),
            ("expectations", "\(expectations.0) held, \(expectations.1) failed"),
            ("duration", Self.format(duration)),
        ] + (results.contains { $0.mode == .verify } ? [("drift", "\(drifted) \(drifted == 1 ? "request" : "requests")")] : []) {
            page.open("div")
            page.element("dt", term)
            page.element("dd", value)
            page.close("div")
        }
        page.close("dl")
        page.open("nav")
        page.open("ul")
        for (index, result) in results.enumerated() {
            page.open("li")
            page.element("a", (result.outcome.succeeded ? "✔ " : "✘ ") + result.outcome.file, attributes: ["href": "#script-\(index + 1)", "class": result.outcome.succeeded ? "pass" : "fail"])
            page.close("li")
        }
        page.close("ul")
        page.close("nav")
        page.close("header")

        for (index, result) in results.enumerated() {
            script(result, number: index + 1, into: &page)
        }
        coverage(SuiteCoverage(results), into: &page)
        page.element("footer", "nexsh \(NexshVersion.current) · secrets are shown redacted, as the cassette holds them")
        return page.document(title: "nexsh run: \(results.count - failed) of \(results.count) scripts passed")
    }

    private static func script(_ result: JobResult, number: Int, into page: inout Page) {
        let outcome = result.outcome
        page.open("section", class: outcome.succeeded ? "script pass" : "script fail", attributes: ["id": "script-\(number)"])
        page.element("h2", (outcome.succeeded ? "✔ " : "✘ ") + outcome.file)
        var facts = ["\(outcome.passedExpectations) of \(outcome.passedExpectations + outcome.failedExpectations) expectations held", format(outcome.duration)]
        if let cassette = result.cassette { facts.append("cassette \(cassette) (mode \(result.mode.rawValue))") }
        page.element("p", facts.joined(separator: " · "), class: "facts")
        if let error = outcome.parseError {
            page.element("pre", error.rendered(), class: "error")
        }
        let located = Set(outcome.steps.map(\.location))
        for failure in outcome.failures where failure.location.map({ !located.contains($0) }) ?? true {
            page.element("pre", failure.message, class: "error")
        }
        page.open("ol", class: "steps")
        for step in outcome.steps {
            let expectation = outcome.expectations.first { $0.location == step.location }
            let failed = step.failure != nil || outcome.failures.contains { $0.location == step.location }
            page.open("li", class: failed ? "step failed" : "step")
            page.open("div", class: "line")
            page.element("span", "\(step.location.line)", class: "number")
            page.element("code", step.text.trimmingCharacters(in: .whitespaces))
            if expectation != nil { page.element("span", failed ? "failed" : "held", class: failed ? "badge fail" : "badge pass") }
            page.close("div")
            for index in step.exchanges where index < result.exchanges.count {
                exchange(result.exchanges[index], into: &page)
            }
            if let failure = expectation?.failure {
                page.open("table", class: "comparison")
                page.open("tr")
                page.element("th", "expected")
                page.element("th", "actual")
                page.close("tr")
                page.open("tr")
                page.open("td")
                page.element("pre", failure.expected)
                page.close("td")
                page.open("td")
                page.element("pre", failure.actual)
                page.close("td")
                page.close("tr")
                page.close("table")
            } else if let message = step.failure ?? outcome.failures.first(where: { $0.location == step.location })?.message {
                page.element("pre", message, class: "error")
            }
            page.close("li")
        }
        page.close("ol")
        page.close("section")
    }

    private static func exchange(_ item: ExchangeLog.Item, into page: inout Page) {
        let request = item.entry.request
        let response = item.entry.response
        let drifted = item.drift?.isDrift ?? false
        page.open("details", class: drifted ? "exchange drift" : "exchange", attributes: response.status >= 400 || drifted ? ["open": "open"] : [:])
        page.open("summary")
        page.element("span", request.method, class: "method")
        page.element("span", request.target, class: "target")
        page.element("span", "\(response.status) \(response.statusText)", class: "status s\(response.status / 100)xx")
        if let drift = item.drift {
            page.element("span", drift.verdict.rawValue, class: drift.isDrift ? "badge fail" : "badge pass")
        }
        page.close("summary")
        if let drift = item.drift, !drift.findings.isEmpty || drift.entryNumber == nil {
            page.open("ul", class: "findings")
            if drift.entryNumber == nil { page.element("li", "the recording has no answer for this request") }
            for finding in drift.findings { page.element("li", finding.description) }
            page.close("ul")
        }
        page.open("div", class: "sides")
        side("request", url: request.url, headers: request.headers.map { ($0.name, $0.value) },
             body: request.postData.flatMap { $0.extensions["_encoding"]?.stringValue == "base64" ? nil : $0.text },
             mimeType: request.postData?.mimeType ?? "", into: &page)
        side("response", url: nil, headers: response.headers.map { ($0.name, $0.value) },
             body: response.content.encoding == nil ? response.content.text : "(\(response.content.size) bytes of binary data)",
             mimeType: response.content.mimeType, into: &page)
        page.close("div")
        page.close("details")
    }

    private static func side(_ title: String, url: String?, headers: [(String, String)], body: String?, mimeType: String, into page: inout Page) {
        page.open("div", class: "side")
        page.element("h3", title)
        if let url { page.element("p", url, class: "url") }
        if !headers.isEmpty {
            page.open("details", class: "headers")
            page.element("summary", "\(headers.count) headers")
            page.open("table")
            for (name, value) in headers {
                page.open("tr")
                page.element("th", name)
                page.element("td", value)
                page.close("tr")
            }
            page.close("table")
            page.close("details")
        }
        if let body, !body.isEmpty {
            if let first = body.first(where: { !$0.isWhitespace }), first == "{" || first == "[",
                let json = try? JSONValue.parse(Array(body.utf8))
            {
                page.open("div", class: "json")
                tree(json, key: nil, depth: 0, into: &page)
                page.close("div")
            } else {
                let shown = body.count > 20_000 ? String(body.prefix(20_000)) + "\n… (\(body.count) characters in all)" : body
                page.element("pre", shown, class: "body")
            }
        }
        page.close("div")
    }

    /// A JSON value as nested `details`: objects and arrays fold; the first levels start open.
    private static func tree(_ value: JSONValue, key: String?, depth: Int, into page: inout Page) {
        let label = key.map { JSONValue.quoted($0) + ": " } ?? ""
        switch value {
        case .object(let object) where !object.isEmpty:
            page.open("details", class: "node", attributes: depth < 3 ? ["open": "open"] : [:])
            page.element("summary", label + "{ \(object.count) \(object.count == 1 ? "member" : "members") }")
            for member in object.members { tree(member.value, key: member.key, depth: depth + 1, into: &page) }
            page.close("details")
        case .array(let elements) where !elements.isEmpty:
            page.open("details", class: "node", attributes: depth < 3 ? ["open": "open"] : [:])
            page.element("summary", label + "[ \(elements.count) \(elements.count == 1 ? "element" : "elements") ]")
            for element in elements { tree(element, key: nil, depth: depth + 1, into: &page) }
            page.close("details")
        default:
            page.open("div", class: "leaf")
            if !label.isEmpty { page.element("span", label, class: "key") }
            page.element("span", value.serialized(), class: "v-\(value.kindName)")
            page.close("div")
        }
    }

    static func format(_ duration: Duration) -> String {
        let milliseconds = duration.milliseconds
        return milliseconds < 1000 ? String(format: "%.0f ms", milliseconds) : String(format: "%.2f s", milliseconds / 1000)
    }

    /// Builds markup with every text escaped; characters XML forbids are dropped.
    struct Page {
        private var body = ""
        private var depth = 0

        mutating func open(_ tag: String, class name: String? = nil, attributes: [String: String] = [:]) {
            body += "<\(tag)\(Self.attributes(name, attributes))>"
            depth += 1
        }

        mutating func close(_ tag: String) {
            body += "</\(tag)>\n"
            depth -= 1
        }

        mutating func element(_ tag: String, _ text: String, class name: String? = nil, attributes: [String: String] = [:]) {
            body += "<\(tag)\(Self.attributes(name, attributes))>\(RunReport.xml(text, keepingNewlines: true))</\(tag)>\n"
        }

        private static func attributes(_ name: String?, _ others: [String: String]) -> String {
            var all = others
            if let name { all["class"] = name }
            return all.keys.sorted().map { " \($0)=\"\(RunReport.xml(all[$0]!))\"" }.joined()
        }

        func document(title: String) -> String {
            """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(RunReport.xml(title))</title>
            <style>\(HTMLReport.css)</style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
        }
    }

    static let css = """

        :root { color-scheme: light dark; --pass: #1a7f37; --fail: #cf222e; --muted: #6e7781; --line: #d0d7de; --code: #f6f8fa; }
        @media (prefers-color-scheme: dark) { :root { --pass: #3fb950; --fail: #f85149; --muted: #8b949e; --line: #30363d; --code: #161b22; } }
        body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1200px; padding: 1.5rem; }
        h1 { margin: 0 0 .75rem; } h2 { margin: 2rem 0 .25rem; font-size: 1.2rem; } h3 { margin: .25rem 0; font-size: .9rem; color: var(--muted); }
        .summary.pass h1, .script.pass h2, a.pass { color: var(--pass); } .summary.fail h1, .script.fail h2, a.fail { color: var(--fail); }
        .counts { display: flex; flex-wrap: wrap; gap: .5rem 2rem; margin: 0 0 1rem; } .counts dt { color: var(--muted); font-size: .8rem; } .counts dd { margin: 0; font-weight: 600; }
        nav ul { padding-left: 1.2rem; margin: 0; } .facts { color: var(--muted); margin: 0 0 .5rem; }
        code, pre, .json, .target, .method { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; }
        .steps { list-style: none; padding: 0; } .step { border-left: 3px solid var(--line); padding: .2rem 0 .2rem .75rem; margin: .4rem 0; }
        .step.failed { border-left-color: var(--fail); } .line .number { color: var(--muted); display: inline-block; min-width: 2.5rem; }
        .badge { border-radius: 1rem; padding: 0 .5rem; margin-left: .5rem; font-size: .75rem; color: #fff; } .badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); }
        .exchange { border: 1px solid var(--line); border-radius: 6px; margin: .4rem 0 .4rem 2.5rem; padding: .3rem .6rem; } .exchange.drift { border-color: var(--fail); }
        .exchange > summary { cursor: pointer; } .method { font-weight: 700; margin-right: .5rem; } .status { margin-left: .75rem; font-weight: 600; }
        .s2xx { color: var(--pass); } .s3xx { color: #9a6700; } .s4xx, .s5xx { color: var(--fail); }
        .sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 1rem; margin-top: .5rem; } .side { min-width: 0; }
        .url { word-break: break-all; margin: 0 0 .3rem; font-size: .85rem; }
        .headers table { border-collapse: collapse; font-size: .8rem; } .headers th { text-align: left; padding-right: 1rem; font-weight: 500; color: var(--muted); } .headers td { word-break: break-all; }
        pre { background: var(--code); padding: .5rem; border-radius: 4px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; margin: .3rem 0; }
        pre.error { border-left: 3px solid var(--fail); }
        .json { background: var(--code); padding: .5rem; border-radius: 4px; overflow-x: auto; }
        .json details.node > :not(summary) { margin-left: 1.2rem; } .json summary { cursor: pointer; color: var(--muted); }
        .key { color: #8250df; } .v-string { color: #0a3069; } .v-number { color: #0550ae; } .v-bool, .v-null { color: #cf222e; }
        @media (prefers-color-scheme: dark) { .key { color: #d2a8ff; } .v-string { color: #a5d6ff; } .v-number { color: #79c0ff; } .v-bool, .v-null { color: #ff7b72; } }
        .comparison { width: 100%; border-collapse: collapse; table-layout: fixed; margin: .3rem 0; } .comparison th { text-align: left; color: var(--muted); font-weight: 500; }
        .comparison td { vertical-align: top; padding-right: .5rem; } .comparison td:first-child pre { border-left: 3px solid var(--pass); } .comparison td:last-child pre { border-left: 3px solid var(--fail); }
        .coverage-table { border-collapse: collapse; } .coverage-table th, .coverage-table td { text-align: left; vertical-align: top; padding: .2rem 1rem .2rem 0; }
        .fields ul { list-style: none; padding-left: 1rem; margin: .2rem 0; font-family: ui-monospace, monospace; font-size: .8rem; } .fields .asserted { color: var(--pass); }
        .findings { color: var(--fail); margin: .3rem 0; } footer { margin-top: 3rem; color: var(--muted); font-size: .8rem; }

        """
}

import ShellCore

/// The HTML report's coverage section: the table `nexsh run --coverage` prints, and for each
/// endpoint its fields, asserted or not. Every report has it, since the report keeps the
/// exchanges it is worked out from. Paths and field names come from the server: the page
/// escapes them as all its text.
extension HTMLReport {
    static func coverage(_ coverage: SuiteCoverage, into page: inout Page) {
        page.open("section", class: "coverage", attributes: ["id": "coverage"])
        page.element("h2", "Coverage")
        page.element("p", "\(coverage.catalogueRequested) of \(coverage.catalogueSize) catalogue endpoints requested · "
            + "\(coverage.fieldsAsserted) of \(coverage.fieldsHeld) response fields asserted by an expect or capture"
            + CoverageReport.percent(coverage.ratio), class: "facts")
        page.open("table", class: "coverage-table")
        page.open("tr")
        for heading in ["endpoint", "requests", "statuses", "status asserted", "fields asserted"] { page.element("th", heading) }
        page.close("tr")
        for endpoint in coverage.endpoints {
            page.open("tr")
            page.open("td")
            page.element("code", endpoint.name + (endpoint.inCatalogue ? "" : " (not in the catalogue)"))
            fields(endpoint, into: &page)
            page.close("td")
            page.element("td", "\(endpoint.requests)")
            page.element("td", endpoint.statuses.keys.sorted().map { "\($0)×\(endpoint.statuses[$0]!)" }.joined(separator: " "))
            page.element("td", endpoint.statusAsserted ? "yes" : "no")
            page.element("td", "\(endpoint.fieldsAsserted.count) of \(endpoint.fieldsHeld.count)" + CoverageReport.percent(endpoint.ratio))
            page.close("tr")
        }
        page.close("table")
        if !coverage.notRequested.isEmpty {
            page.element("p", "Not requested: " + coverage.notRequested.map { "\($0.method) \($0.path)" }.joined(separator: ", "), class: "facts")
        }
        page.close("section")
    }

    /// The endpoint's fields, folded: each marked asserted or not.
    private static func fields(_ endpoint: SuiteCoverage.Endpoint, into page: inout Page) {
        guard !endpoint.fieldsHeld.isEmpty else { return }
        let asserted = endpoint.fieldsAsserted
        page.open("details", class: "fields")
        page.element("summary", "\(endpoint.fieldsHeld.count) fields")
        page.open("ul")
        for field in endpoint.fieldsHeld.sorted() {
            page.element("li", (asserted.contains(field) ? "✔ " : "· ") + field, class: asserted.contains(field) ? "asserted" : "unasserted")
        }
        page.close("ul")
        page.close("details")
    }
}

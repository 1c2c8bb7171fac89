import Foundation
import JSONValues
import SecureFiles
import ShellCore

/// `nexsh run --coverage FILE`: the ``SuiteCoverage`` of the run as a JSON file, and a short
/// table on the summary's stream.
///
/// The file (format `nexsh-coverage`, version 1):
///
///     { "format": "nexsh-coverage", "version": 1,
///       "totals": { "catalogueEndpoints": 20, "catalogueRequested": 11, "endpointsRequested": 12,
///                   "requests": 57, "fieldsHeld": 240, "fieldsAsserted": 31, "ratio": 0.1292 },
///       "endpoints": [ { "method": "GET", "template": "/api/public/coworkers/profiles",
///                        "inCatalogue": true, "requests": 9, "statuses": { "200": 8, "401": 1 },
///                        "statusAsserted": true, "headersAsserted": ["www-authenticate"],
///                        "fieldsHeld": [".", ".Profiles", …], "fieldsAsserted": [".Profiles[*].Id", …],
///                        "fieldsReadNotHeld": [".User.Email"], "ratio": 0.15 }, … ],
///       "notRequested": [ { "method": "GET", "template": "/api/public/visitors/my" }, … ] }
///
/// Lists are sorted, so a replayed suite writes the same file every time. Names from the server
/// (paths outside the catalogue, fields, headers) are written through `Terminal.safe`, as the
/// other reports write the server's text. A ratio is asserted
/// of held, to four places (null when nothing was held). Each shard of a run writes its own
/// file; the totals of several are the sums of their counts over the union of their sets.
enum CoverageReport {
    static func json(_ coverage: SuiteCoverage) -> String {
        let totals: JSONObject = [
            "catalogueEndpoints": number(coverage.catalogueSize), "catalogueRequested": number(coverage.catalogueRequested),
            "endpointsRequested": number(coverage.endpoints.count), "requests": number(coverage.requests),
            "fieldsHeld": number(coverage.fieldsHeld), "fieldsAsserted": number(coverage.fieldsAsserted), "ratio": ratio(coverage.ratio),
        ]
        let endpoints = coverage.endpoints.map { endpoint -> JSONValue in
            let statuses = JSONObject(endpoint.statuses.keys.sorted().map { (String($0), number(endpoint.statuses[$0]!)) })
            return .object([
                "method": .string(endpoint.method), "template": .string(Terminal.safe(endpoint.template)), "inCatalogue": .bool(endpoint.inCatalogue),
                "requests": number(endpoint.requests), "statuses": .object(statuses), "statusAsserted": .bool(endpoint.statusAsserted),
                "headersAsserted": strings(endpoint.headersAsserted), "fieldsHeld": strings(endpoint.fieldsHeld),
                "fieldsAsserted": strings(endpoint.fieldsAsserted), "fieldsReadNotHeld": strings(endpoint.fieldsRead.subtracting(endpoint.fieldsHeld)),
                "ratio": ratio(endpoint.ratio),
            ])
        }
        let notRequested = coverage.notRequested.map { spec -> JSONValue in
            .object(["method": .string(spec.method.rawValue), "template": .string(spec.path)])
        }
        let document: JSONObject = [
            "format": "nexsh-coverage", "version": 1, "totals": .object(totals), "endpoints": .array(endpoints), "notRequested": .array(notRequested),
        ]
        return JSONValue.object(document).serialized(.pretty) + "\n"
    }

    /// The table printed at the end of the run: one line per endpoint requested. Paths not in
    /// the catalogue came from requests, so they are shown made safe.
    static func table(_ coverage: SuiteCoverage, file: String, style: TextStyle) -> [String] {
        var lines = [style.bold("coverage") + " (\(Terminal.safe(file))): \(coverage.catalogueRequested) of \(coverage.catalogueSize) catalogue endpoints requested, "
            + "\(coverage.fieldsAsserted) of \(coverage.fieldsHeld) response fields asserted\(percent(coverage.ratio))"]
        let rows = coverage.endpoints.map { endpoint in
            (
                Terminal.safe(endpoint.name) + (endpoint.inCatalogue ? "" : " *"), "\(endpoint.requests)",
                endpoint.statuses.keys.sorted().map { "\($0)×\(endpoint.statuses[$0]!)" }.joined(separator: " "),
                "\(endpoint.fieldsAsserted.count) of \(endpoint.fieldsHeld.count)\(percent(endpoint.ratio))"
            )
        }
        let header = ("endpoint", "requests", "statuses", "fields asserted")
        let widths = ([header] + rows).reduce((0, 0, 0)) { widths, row in
            (max(widths.0, row.0.count), max(widths.1, row.1.count), max(widths.2, row.2.count))
        }
        for (index, row) in ([header] + rows).enumerated() {
            let line = "  " + row.0.padding(toLength: widths.0, withPad: " ", startingAt: 0) + "  "
                + String(repeating: " ", count: widths.1 - row.1.count) + row.1 + "  "
                + row.2.padding(toLength: widths.2, withPad: " ", startingAt: 0) + "  " + row.3
            lines.append(index == 0 ? style.dim(line) : line)
        }
        if coverage.endpoints.contains(where: { !$0.inCatalogue }) { lines.append(style.dim("  * not in the catalogue")) }
        return lines
    }

    /// Writes the file atomically, never through a planted link, readable by its owner only
    /// (an existing file keeps its mode); a file that cannot be written is said on standard
    /// error (the run's status stays what its scripts made it).
    static func write(_ coverage: SuiteCoverage, to file: String) {
        let path = TypedPath.fileURL(file).path
        do throws(SecureFileError) {
            try AtomicFile.write(Data(json(coverage).utf8), to: path, permissions: .private)
        } catch {
            Console.error("nexsh run: cannot write the coverage file \(Terminal.safe(path)): \(Terminal.safe(error.reason))")
        }
    }

    private static func number(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }

    private static func ratio(_ value: Double?) -> JSONValue {
        value.map { .number(JSONNumber(($0 * 10_000).rounded() / 10_000)) } ?? .null
    }

    /// Header and field names, made safe as the other reports' text is: a file someone may `cat`.
    private static func strings(_ values: Set<String>) -> JSONValue { .array(values.sorted().map { .string(Terminal.safe($0)) }) }

    /// ` (13%)`, or nothing for no ratio.
    static func percent(_ value: Double?) -> String {
        value.map { " (\(Int(($0 * 100).rounded()))%)" } ?? ""
    }
}

import Foundation
import HTTPCassette
import HTTPValues
import JSONValues
import Yams

/// Turns cassettes written by the VCR family into HAR: Ruby VCR and vcrpy (YAML or JSON),
/// go-vcr (YAML, version 2), Betamax (JSON). HAR files from other tools pass through. Every
/// imported exchange goes through the same conversion and redaction as a recorded one.
public enum CassetteImporter {
    public enum Format: String, Sendable {
        case har = "HAR"
        case vcrpy
        case rubyVCR = "VCR (Ruby)"
        case goVCR = "go-vcr"
        case betamax = "Betamax"
    }

    public struct Result: Sendable {
        public let format: Format
        public let cassette: Cassette
    }

    public static func importFile(at url: URL, redaction: RedactionRules = .standard) throws(CassetteError) -> Result {
        try importData(try Cassette.contents(of: url), path: url.path, redaction: redaction)
    }

    public static func importData(_ data: Data, path: String, redaction: RedactionRules = .standard) throws(CassetteError) -> Result {
        let tree = try Tree.parse(data, path: path)
        var format: Format
        var entries: [HAR.Entry]
        var log = HAR.Log(creator: Cassette.defaultCreator)
        if tree["log"] != nil {
            let cassette = try Cassette.parse(data, path: path)
            (format, entries, log) = (.har, cassette.entries, cassette.log)
        } else if let interactions = tree["http_interactions"]?.list {
            let recordedWith = tree["recorded_with"]?.text ?? ""
            format = recordedWith.lowercased().hasPrefix("betamax") ? .betamax : .rubyVCR
            entries = try interactions.enumerated().map { index, interaction throws(CassetteError) in
                try vcrEntry(interaction, number: index, path: path)
            }
        } else if let interactions = tree["interactions"]?.list {
            let isGoVCR = interactions.first?["request"]?["url"] != nil || tree["version"]?.text == "2"
            format = isGoVCR ? .goVCR : .vcrpy
            entries = try interactions.enumerated().map { index, interaction throws(CassetteError) in
                try isGoVCR ? goVCREntry(interaction, number: index, path: path) : vcrEntry(interaction, number: index, path: path)
            }
        } else {
            throw .importFailed(path: path, reason: "it is neither HAR nor a VCR-family cassette (no 'log', 'interactions' or 'http_interactions')")
        }
        var redactor = Redactor(rules: redaction)
        log.entries = entries.map { redactor.redact($0) }
        if format != .har {
            log.extensions["_importedFrom"] = ["format": .string(format.rawValue), "file": .string((path as NSString).lastPathComponent)]
        }
        return Result(format: format, cassette: Cassette(log: log))
    }

    // MARK: - Ruby VCR, vcrpy and Betamax share a shape

    private static func vcrEntry(_ interaction: Tree, number: Int, path: String) throws(CassetteError) -> HAR.Entry {
        let place = "interaction \(number + 1)"
        guard let request = interaction["request"], let response = interaction["response"] else {
            throw .importFailed(path: path, reason: "\(place) has no request or response")
        }
        guard let uri = request["uri"]?.text ?? request["url"]?.text, let url = URL(string: uri) else {
            throw .importFailed(path: path, reason: "\(place): the request has no valid 'uri'")
        }
        let status = response["status"]
        guard let code = status?["code"]?.int ?? status?.int else {
            throw .importFailed(path: path, reason: "\(place): the response has no status code")
        }
        let startedAt = interaction["recorded_at"]?.text.flatMap(parseDate) ?? Date(timeIntervalSince1970: 0)
        return HAR.Entry(
            request: HTTPRequest(
                method: HTTPMethod(rawValue: request["method"]?.text ?? "GET"), url: url,
                headers: headers(request["headers"]), body: body(request["body"])
            ),
            response: HTTPResponse(
                status: code, reason: status?["message"]?.text ?? "",
                httpVersion: response["http_version"]?.text.map { $0.hasPrefix("HTTP/") ? $0 : "HTTP/\($0)" } ?? "HTTP/1.1",
                headers: headers(response["headers"]), body: body(response["body"]),
                timings: HTTPTimings(startedAt: startedAt, wait: .zero, receive: .zero)
            )
        )
    }

    /// go-vcr version 2: `url`, `code`, `status: "200 OK"`, `proto`, `duration`.
    private static func goVCREntry(_ interaction: Tree, number: Int, path: String) throws(CassetteError) -> HAR.Entry {
        let place = "interaction \(number + 1)"
        guard let request = interaction["request"], let response = interaction["response"] else {
            throw .importFailed(path: path, reason: "\(place) has no request or response")
        }
        guard let text = request["url"]?.text, let url = URL(string: text) else {
            throw .importFailed(path: path, reason: "\(place): the request has no valid 'url'")
        }
        guard let code = response["code"]?.int else {
            throw .importFailed(path: path, reason: "\(place): the response has no 'code'")
        }
        let statusText = response["status"]?.text ?? ""
        let reason = statusText.hasPrefix("\(code) ") ? String(statusText.dropFirst("\(code) ".count)) : statusText
        return HAR.Entry(
            request: HTTPRequest(
                method: HTTPMethod(rawValue: request["method"]?.text ?? "GET"), url: url,
                headers: headers(request["headers"]), body: body(request["body"])
            ),
            response: HTTPResponse(
                status: code, reason: reason, httpVersion: response["proto"]?.text ?? "HTTP/1.1",
                headers: headers(response["headers"]), body: body(response["body"]),
                timings: HTTPTimings(
                    startedAt: Date(timeIntervalSince1970: 0), wait: response["duration"].flatMap(goDuration) ?? .zero, receive: .zero
                )
            )
        )
    }

    // MARK: - Pieces

    /// `{Name: [v1, v2]}` or `{Name: v}`, in file order.
    private static func headers(_ tree: Tree?) -> HTTPHeaders {
        guard case .map(let members)? = tree else { return [] }
        return HTTPHeaders(members.flatMap { name, value -> [(String, String)] in
            switch value {
            case .list(let values): values.compactMap(\.text).map { (name, $0) }
            default: value.text.map { [(name, $0)] } ?? []
            }
        })
    }

    /// A body as the VCR family writes it: a string, `!!binary`, `{string: …}`,
    /// `{base64_string: …}`, or null.
    private static func body(_ tree: Tree?) -> Data {
        switch tree {
        case nil, .null?: return Data()
        case .binary(let data)?: return data
        case .map?:
            if let base64 = tree?["base64_string"]?.text, !base64.isEmpty {
                return Data(base64Encoded: base64, options: .ignoreUnknownCharacters) ?? Data()
            }
            return body(tree?["string"])
        default:
            return Data((tree?.text ?? "").utf8)
        }
    }

    /// ISO 8601 (Betamax, with or without a zone) or RFC 1123 (Ruby VCR).
    private static func parseDate(_ text: String) -> Date? {
        for format in [Date.ISO8601FormatStyle(), Date.ISO8601FormatStyle(includingFractionalSeconds: true)] {
            if let date = try? format.parse(text) { return date }
            if let date = try? format.parse(text + "Z") { return date }
        }
        let rfc1123 = DateFormatter()
        rfc1123.locale = Locale(identifier: "en_US_POSIX")
        rfc1123.timeZone = TimeZone(identifier: "GMT")
        rfc1123.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return rfc1123.date(from: text)
    }

    /// `2.086618375s`, `150ms`, or nanoseconds; nil for what is not a duration from zero to a
    /// day (the duration of one recorded exchange).
    private static func goDuration(_ tree: Tree) -> Duration? {
        let longest = 86_400e9
        if let nanoseconds = tree.int { return (0...Int(longest)).contains(nanoseconds) ? .nanoseconds(nanoseconds) : nil }
        guard let text = tree.text else { return nil }
        let units: [(String, Double)] = [("ms", 1e-3), ("µs", 1e-6), ("us", 1e-6), ("ns", 1e-9), ("s", 1), ("m", 60)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            // Checked before the conversion to an integer: NaN, inf and 1e308 fail here.
            if let value = Double(text.dropLast(suffix.count)), (0...longest).contains(value * scale * 1e9) {
                return .nanoseconds(Int64(value * scale * 1e9))
            }
        }
        return nil
    }
}

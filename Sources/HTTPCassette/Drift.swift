import Foundation
import HTTPValues
import JSONValues

/// How a live answer differs from the answer recorded for the same request: what
/// `nexsh run --mode verify` reports for each request.
///
/// Compared: the status, the media type and the body (JSON member by member, element by
/// element; other text as a whole). Headers other than the media type are left out: dates,
/// request ids and cache headers change on every answer. Recorded values a redaction replaced
/// match anything, and so does anything under a volatile path of the cassette.
public struct DriftReport: Sendable, Equatable {
    public enum Verdict: String, Sendable {
        case unchanged
        /// Members appeared, disappeared or changed type.
        case schemaDrift = "schema drift"
        /// The same shape with other values (or another status).
        case valueDrift = "value drift"
        /// The recording has no answer for this request.
        case notRecorded = "not recorded"
    }

    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: String, Sendable {
            case status
            case mediaType = "media type"
            case newField = "new field"
            case missingField = "missing field"
            case changedType = "changed type"
            case changedValue = "changed value"
            case newElement = "new element"
            case missingElement = "missing element"
        }

        public let kind: Kind
        /// `.Profiles[0].FullName`; empty for the status and the media type.
        public let path: String
        public let recorded: String?
        public let live: String?

        public var isSchema: Bool { [.newField, .missingField, .changedType, .mediaType].contains(kind) }

        /// `changed value .Profiles[0].FullName: "Jane Doe" → "Janet Doe"`.
        public var description: String {
            let place = path.isEmpty ? "" : " \(path)"
            switch kind {
            case .newField, .newElement: return "\(kind.rawValue)\(place): \(live ?? "")"
            case .missingField, .missingElement: return "\(kind.rawValue)\(place) (was \(recorded ?? ""))"
            default: return "\(kind.rawValue)\(place): \(recorded ?? "") → \(live ?? "")"
            }
        }
    }

    /// `GET /api/public/coworkers/profiles`.
    public let request: String
    /// The recorded entry compared with (1-based), nil when none answers the request.
    public let entryNumber: Int?
    public let findings: [Finding]

    public init(request: String, entryNumber: Int?, findings: [Finding]) {
        self.request = request
        self.entryNumber = entryNumber
        self.findings = findings
    }

    public var verdict: Verdict {
        if entryNumber == nil { return .notRecorded }
        if findings.isEmpty { return .unchanged }
        return findings.contains(where: \.isSchema) ? .schemaDrift : .valueDrift
    }

    public var isDrift: Bool { verdict != .unchanged }

    /// `schema drift: new field .Profiles[*].Theme (2×): "light"; changed value .X: 1 → 2`: schema
    /// findings first, the same finding in several array elements once, at most `limit` shown.
    public func summary(limit: Int = 4) -> String {
        guard !findings.isEmpty else { return verdict.rawValue }
        var groups: [(finding: Finding, general: String, count: Int)] = []
        var positions: [String: Int] = [:]
        for finding in findings.filter(\.isSchema) + findings.filter({ !$0.isSchema }) {
            let general = finding.path.replacingOccurrences(of: #"\[\d+\]"#, with: "[*]", options: .regularExpression)
            let key = "\(finding.kind.rawValue) \(general)"
            if let position = positions[key] {
                groups[position].count += 1
            } else {
                positions[key] = groups.count
                groups.append((finding, general, 1))
            }
        }
        let shown = groups.prefix(limit).map { group in
            guard group.count > 1 else { return group.finding.description }
            let finding = group.finding
            return Finding(kind: finding.kind, path: "\(group.general) (\(group.count)×)", recorded: finding.recorded, live: finding.live).description
        }.joined(separator: "; ")
        let more = groups.count > limit ? "; and \(groups.count - limit) more" : ""
        return "\(verdict.rawValue): \(shown)\(more)"
    }

    /// Compares a live answer with the recorded one, of entry `number`.
    public static func compare(
        recorded: HAR.Response, number: Int, live: HTTPResponse, request: String, volatile: VolatilePaths
    ) -> DriftReport {
        var findings: [Finding] = []
        if recorded.status != live.status {
            findings.append(Finding(kind: .status, path: "", recorded: "\(recorded.status)", live: "\(live.status)"))
        }
        let recordedType = mediaType(recorded.content.mimeType)
        let liveType = live.mediaType ?? ""
        if recordedType != liveType {
            findings.append(Finding(kind: .mediaType, path: "", recorded: recordedType.isEmpty ? "none" : recordedType, live: liveType.isEmpty ? "none" : liveType))
        }
        let recordedBody = (try? recorded.bodyData()) ?? Data()
        if let old = try? JSONValue.parse(recordedBody), let new = try? JSONValue.parse(live.body) {
            findings += jsonFindings(old, new, volatile: volatile)
        } else if recordedBody != live.body, !volatile.coversWholeBody {
            findings.append(Finding(kind: .changedValue, path: "body", recorded: excerpt(recordedBody), live: excerpt(live.body)))
        }
        return DriftReport(request: request, entryNumber: number, findings: findings)
    }

    static func jsonFindings(_ recorded: JSONValue, _ live: JSONValue, volatile: VolatilePaths) -> [Finding] {
        let differences = recorded.differences(from: live) { old, new in
            if case .string(let text) = old, RedactionRules.isPlaceholder(text) { return true }
            return old == new
        }
        return differences.compactMap { difference -> Finding? in
            guard !volatile.covers(difference.path) else { return nil }
            let isElement = difference.path.hasSuffix("]") && !difference.path.hasSuffix("\"]")
            switch (difference.left, difference.right) {
            case (.none, let new?):
                return Finding(kind: isElement ? .newElement : .newField, path: difference.path, recorded: nil, live: brief(new))
            case (let old?, .none):
                return Finding(kind: isElement ? .missingElement : .missingField, path: difference.path, recorded: brief(old), live: nil)
            case (let old?, let new?):
                // null stands for "no value" in either direction; a value becoming null is a value change.
                let sameKind = old.kindName == new.kindName || old == .null || new == .null
                return Finding(kind: sameKind ? .changedValue : .changedType, path: difference.path,
                               recorded: sameKind ? brief(old) : old.kindName, live: sameKind ? brief(new) : new.kindName)
            case (.none, .none):
                return nil
            }
        }
    }

    private static func mediaType(_ contentType: String) -> String {
        String(contentType.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// A value as one short line of JSON.
    static func brief(_ value: JSONValue) -> String {
        let text = value.serialized()
        return text.count > 60 ? String(text.prefix(57)) + "…" : text
    }

    private static func excerpt(_ data: Data) -> String {
        brief(.string(String(decoding: data.prefix(200), as: UTF8.self)))
    }
}

/// JSON paths whose values change from answer to answer (ids, dates, tokens): drift checks
/// leave them out. `[*]` matches any element or member, and a path covers everything under it.
/// Kept in the cassette's `log._volatile`, so that re-recording keeps them.
public struct VolatilePaths: Sendable, Equatable {
    public private(set) var paths: [JSONPath]

    public init(_ paths: [JSONPath] = []) {
        self.paths = []
        add(paths)
    }

    public static let logField = "_volatile"

    /// The paths a cassette's log carries.
    public init(log: HAR.Log) {
        let texts = log.extensions[Self.logField]?.arrayValue?.compactMap(\.stringValue) ?? []
        self.init(texts.compactMap { try? JSONPath($0) })
    }

    public var isEmpty: Bool { paths.isEmpty }

    /// Adds paths not there yet; returns whether anything changed.
    @discardableResult
    public mutating func add(_ new: [JSONPath]) -> Bool {
        let before = paths.count
        // Spelled one way (`.Id`, not `Id` or `$.Id`), so that the file reads the same whoever wrote it.
        for path in new where !paths.contains(where: { $0.segments == path.segments }) { paths.append(JSONPath(segments: path.segments)) }
        return paths.count != before
    }

    public mutating func remove(_ old: [JSONPath]) {
        paths.removeAll { path in old.contains { $0.segments == path.segments } }
    }

    /// The value for `log._volatile`.
    public var json: JSONValue { .array(paths.map { .string($0.text) }) }

    var coversWholeBody: Bool { paths.contains { $0.segments.isEmpty } }

    /// True when `pathText` (a concrete path such as `.Profiles[3].UpdatedOn`) lies at or under
    /// one of the paths.
    public func covers(_ pathText: String) -> Bool {
        guard !paths.isEmpty, let concrete = try? JSONPath(pathText == "." ? "" : pathText) else { return false }
        return paths.contains { rule in
            rule.segments.count <= concrete.segments.count
                && zip(rule.segments, concrete.segments).allSatisfy { pattern, segment in
                    pattern == .wildcard || pattern == segment
                }
        }
    }
}

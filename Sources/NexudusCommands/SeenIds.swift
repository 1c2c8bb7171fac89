import Foundation
import HTTPCassette
import JSONValues
import Synchronization

/// What an id names, as far as completing a path's `{placeholder}` needs to know.
enum IdKind: Sendable, Hashable, CaseIterable {
    case team
    case contract

    /// Path segments that name a collection of this kind (`/api/public/teams/…`). A plan of
    /// `plans/my` has its contract's id.
    private var collections: Set<String> {
        switch self {
        case .team: ["teams"]
        case .contract: ["coworkerContracts", "plans"]
        }
    }

    /// Members whose object, or array of objects, is one of this kind (a team profile's `Team`,
    /// a team member's `Contracts`).
    fileprivate var containers: Set<String> {
        switch self {
        case .team: ["Team", "Teams"]
        case .contract: ["Contracts", "CoworkerContracts"]
        }
    }

    /// Fields that hold an id of this kind wherever they are (an invoice's `CoworkerContractId`,
    /// a profile's `VirtualOfficeContractId`).
    fileprivate var fields: Set<String> {
        switch self {
        case .team: []
        case .contract: ["CoworkerContractId", "VirtualOfficeContractId"]
        }
    }

    /// A placeholder's kind: its name when it says (`teamId`, `contractId`), otherwise the
    /// collection nearest before it (`{id}` in `/api/public/teams/published/{id}`).
    init?(placeholder: String, after templatePrefix: String) {
        if let named = Self.allCases.first(where: { placeholder.lowercased() == "\($0)id" }) {
            self = named
        } else if let kind = IdKind(path: templatePrefix) {
            self = kind
        } else {
            return nil
        }
    }

    /// The kind of the records a path answers: that of its last segment naming a collection.
    init?(path: String) {
        for segment in path.split(separator: "/").reversed() {
            if let kind = Self.allCases.first(where: { $0.collections.contains(String(segment)) }) {
                self = kind
                return
            }
        }
        return nil
    }
}

/// An id seen in an answer, with the name that came with it, if any.
struct SeenId: Sendable, Equatable {
    let id: Int
    let label: String?
}

/// The ids the session's answers have shown, by kind, for completing a path's `{placeholder}`
/// (`get /api/public/teams/<Tab>` offers the teams seen), as `switch` offers the known profiles.
///
/// It watches every exchange the session's cassette slot completes (live, recorded or replayed),
/// so raw requests count as much as typed commands, and reads ids out of the JSON body by field
/// name rather than by decoding each model, which keeps the whole rule in one small table
/// (``IdKind``):
/// - the answer's own records (the object, the list envelope's `Records`, or a bare array) are
///   of the kind of the path's collection (`teams/my` lists teams, `coworkerContracts/5001` is one);
/// - an object under `Team`, or in an array under `Teams`, is a team; one in `Contracts` a contract;
/// - `CoworkerContractId` and `VirtualOfficeContractId` anywhere name a contract.
///
/// Bounded: the newest ``limit`` of each kind, the most recently seen first.
final class SeenIds: CassetteObserver {
    static let limit = 50
    /// Bodies larger than this are not read for ids: completion is a convenience, not worth a
    /// long parse.
    static let maximumBodySize = 4 << 20
    private let ids = Mutex(Lists())

    /// The ids of each kind, newest first. Not a dictionary keyed by kind: its type is made
    /// when the program runs, and freeing one cost every session (watched or not) 20 µs.
    private struct Lists {
        var teams: [SeenId] = []
        var contracts: [SeenId] = []

        subscript(kind: IdKind) -> [SeenId] {
            get {
                switch kind {
                case .team: teams
                case .contract: contracts
                }
            }
            set {
                switch kind {
                case .team: teams = newValue
                case .contract: contracts = newValue
                }
            }
        }
    }

    func ids(of kind: IdKind) -> [SeenId] { ids.withLock { $0[kind] } }

    func observe(_ event: CassetteEvent) {
        let response = event.response
        guard response.isSuccess, response.mediaType?.contains("json") == true, response.body.count <= Self.maximumBodySize,
              let body = try? JSONValue.parse(response.body) else { return }
        record(Self.found(in: body, path: event.request.url.path))
    }

    func record(_ found: [(IdKind, SeenId)]) {
        ids.withLock { ids in
            for (kind, seen) in found.reversed() {
                var list = ids[kind]
                let earlier = list.firstIndex { $0.id == seen.id }.map { list.remove(at: $0) }
                list.insert(SeenId(id: seen.id, label: seen.label ?? earlier?.label), at: 0)
                ids[kind] = Array(list.prefix(Self.limit))
            }
        }
    }

    /// The ids in `body`, the answer to a request for `path`, in the order they appear.
    static func found(in body: JSONValue, path: String) -> [(IdKind, SeenId)] {
        var found: [(IdKind, SeenId)] = []
        if let kind = IdKind(path: path) {
            found += records(of: body).compactMap { seen(in: $0).map { (kind, $0) } }
        }
        walk(body, under: nil, into: &found)
        return found
    }

    private static func records(of body: JSONValue) -> [JSONObject] {
        switch body {
        case .array(let elements): elements.compactMap(\.objectValue)
        case .object(let object): object["Records"]?.arrayValue.map { $0.compactMap(\.objectValue) } ?? [object]
        default: []
        }
    }

    /// An array's elements are taken as under the array's own member name.
    private static func walk(_ value: JSONValue, under member: String?, into found: inout [(IdKind, SeenId)]) {
        switch value {
        case .object(let object):
            if let member, let kind = IdKind.allCases.first(where: { $0.containers.contains(member) }), let seen = seen(in: object) {
                found.append((kind, seen))
            }
            for (name, field) in object {
                if let kind = IdKind.allCases.first(where: { $0.fields.contains(name) }), let id = positive(field) {
                    found.append((kind, SeenId(id: id, label: nil)))
                }
                walk(field, under: name, into: &found)
            }
        case .array(let elements):
            for element in elements { walk(element, under: member, into: &found) }
        default:
            break
        }
    }

    private static func seen(in object: JSONObject) -> SeenId? {
        guard let id = object["Id"].flatMap(positive) else { return nil }
        return SeenId(id: id, label: (object["Name"] ?? object["TariffName"])?.stringValue)
    }

    private static func positive(_ value: JSONValue) -> Int? {
        guard let id = value.numberValue?.intValue, id > 0 else { return nil }
        return id
    }
}

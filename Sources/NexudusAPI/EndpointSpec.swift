import Foundation
import HTTPValues

/// One documented endpoint: how it is called and what it answers.
public struct EndpointSpec: Sendable, Equatable, Decodable {
    public let method: HTTPMethod
    /// The path, with `{placeholders}` for ids (`/api/public/teams/{teamId}/profile`).
    public let path: String
    public internal(set) var query: [Parameter]
    public let paging: Paging
    public let response: ResponseShape
    public let summary: String

    /// A query parameter: its name, value type, the default the server assumes, and whether it
    /// must be sent.
    public struct Parameter: Sendable, Equatable, Decodable {
        public let name: String
        public let type: ValueType
        public let `default`: String?
        public let required: Bool
        public let summary: String

        public enum ValueType: String, Sendable, Decodable { case string, integer, boolean }

        public init(name: String, type: ValueType, default: String? = nil, required: Bool = false, summary: String) {
            self.name = name
            self.type = type
            self.default = `default`
            self.required = required
            self.summary = summary
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                name: try container.decode(String.self, forKey: .name), type: try container.decode(ValueType.self, forKey: .type),
                default: try container.decodeIfPresent(String.self, forKey: .default),
                required: try container.decodeIfPresent(Bool.self, forKey: .required) ?? false,
                summary: try container.decode(String.self, forKey: .summary)
            )
        }

        private enum CodingKeys: String, CodingKey { case name, type, `default`, required, summary }
    }

    /// How a list asks for its pages: the documentation names two conventions.
    public enum Paging: String, Sendable, Decodable {
        case none
        /// `_page` (1-based), `_pageSize` (25 by default, at most 100), `_orderBy`, `_sortDirection`.
        case underscore
        /// `page` (1-based) and `size` (15 by default).
        case plain

        /// The paging parameters, for help and completion.
        public var parameters: [Parameter] {
            switch self {
            case .none: []
            case .underscore: [
                Parameter(name: "_page", type: .integer, default: "1", summary: "The page, from 1."),
                Parameter(name: "_pageSize", type: .integer, default: "25", summary: "Records a page (at most 100)."),
                Parameter(name: "_orderBy", type: .string, summary: "The field to sort by."),
                Parameter(name: "_sortDirection", type: .string, summary: "asc or desc."),
            ]
            case .plain: [
                Parameter(name: "page", type: .integer, default: "1", summary: "The page, from 1."),
                Parameter(name: "size", type: .integer, default: "15", summary: "Records a page."),
            ]
            }
        }
    }

    /// What the body of a success is.
    public enum ResponseShape: String, Sendable, Decodable {
        case object
        /// The ApiListResult envelope: `Records`, `HasNextPage`, `TotalItems`, …
        case list
        /// A bare JSON array.
        case array
        /// `{WasSuccessful, Value, Status, Message, Errors}`.
        case confirmation

        public var description: String {
            switch self {
            case .object: "object"
            case .list: "list envelope (Records, HasNextPage, …)"
            case .array: "bare array"
            case .confirmation: "ActionConfirmation"
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        method = try container.decode(HTTPMethod.self, forKey: .method)
        path = try container.decode(String.self, forKey: .path)
        // An entry without parameters leaves `query` out.
        query = try container.decodeIfPresent([Parameter].self, forKey: .query) ?? []
        paging = try container.decode(Paging.self, forKey: .paging)
        response = try container.decode(ResponseShape.self, forKey: .response)
        summary = try container.decode(String.self, forKey: .summary)
    }

    private enum CodingKeys: String, CodingKey { case method, path, query, paging, response, summary }

    /// Every parameter: the entry's own, then its paging convention's.
    public var allParameters: [Parameter] { query + paging.parameters }

    /// The placeholders of the path, in order (`teamId` for `/api/public/teams/{teamId}/profile`).
    public var placeholders: [String] {
        Self.segments(of: path).filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }

    /// A placeholder is a whole segment, `{` and `}` around a name of letters and digits; braces
    /// appear nowhere else, and the path starts with `/` and has no query.
    func checkPath() throws {
        guard path.hasPrefix("/"), !path.contains("?") else { throw CatalogueError("\(path): a path starts with / and has no query") }
        for segment in Self.segments(of: path) where segment.contains("{") || segment.contains("}") {
            let name = segment.dropFirst().dropLast()
            guard segment.hasPrefix("{"), segment.hasSuffix("}"), !name.isEmpty,
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw CatalogueError("\(path): '\(segment)' is not a placeholder ({name} as a whole segment)")
            }
        }
    }

    func matches(_ segments: [String]) -> Bool {
        let template = Self.segments(of: path)
        return template.count == segments.count && zip(template, segments).allSatisfy { Self.accepts($0, $1) }
    }

    /// A template's segment takes a typed one: the same text, or any value for a placeholder.
    static func accepts(_ template: String, _ typed: String) -> Bool {
        template.hasPrefix("{") ? !typed.isEmpty : template == typed
    }

    static func segments(of path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
    }
}

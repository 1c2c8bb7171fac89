import Foundation
import HTTPValues
import JSONValues

/// Which page of a list to ask for. A field left nil is left out of the query, so the server
/// applies its own default (page 1, its page size).
public struct PageRequest: Sendable, Equatable {
    public var number: Int?
    public var size: Int?

    public init(number: Int? = nil, size: Int? = nil) {
        self.number = number
        self.size = size
    }
}

extension EndpointSpec.Paging {
    /// The query that asks for `request` in this convention: nothing for a list that is not paged.
    public func query(for request: PageRequest) -> [(String, String)] {
        guard let names = parameterNames else { return [] }
        return (request.number.map { [(names.page, String($0))] } ?? []) + (request.size.map { [(names.size, String($0))] } ?? [])
    }

    /// The names of the page number and page size parameters; nil for a list that is not paged.
    public var parameterNames: (page: String, size: String)? {
        switch self {
        case .none: nil
        case .underscore: ("_page", "_pageSize")
        case .plain: ("page", "size")
        }
    }

    /// The page size the server gives when asked for none.
    public var defaultPageSize: String? {
        parameters.first { $0.name == parameterNames?.size }?.default
    }

    /// The largest page the server gives: documented as 100 for `_pageSize`. `size` has no
    /// documented limit, so ``largestPageSize`` bounds it.
    public var maximumPageSize: Int {
        self == .underscore ? 100 : Self.largestPageSize
    }

    /// The most records nexsh asks for in one page, so that one answer stays small.
    public static let largestPageSize = 1000
}

extension Endpoint {
    /// The paging convention of this request's catalogue entry; `.none` for a path the
    /// catalogue does not list.
    public var paging: EndpointSpec.Paging {
        EndpointCatalogue.builtIn.endpoint(method, path: path)?.paging ?? .none
    }

    /// This request, asking for one page in its endpoint's own convention.
    public func page(_ request: PageRequest) -> Endpoint {
        var paged = self
        paged.query += paging.query(for: request)
        return paged
    }
}

/// The records of every page of a list, in order, and the answers they came in.
public struct AllPages<Record: Sendable & Hashable & Codable>: Sendable {
    public private(set) var records: [Record] = []
    /// Each page's answer, in order: each is its own exchange.
    public private(set) var responses: [HTTPResponse] = []
    /// The server's count of all the records, as the last page gave it.
    public private(set) var totalItems: Int?
    /// False when `maxPages` ended the walk before the server's last page.
    public private(set) var isComplete = true

    public var pageCount: Int { responses.count }

    /// The records as the server sent them (the `Records` of each envelope, or each bare
    /// array's elements), one array: what `--json` prints for a walk of the pages.
    public func recordsAsReceived() -> JSONValue {
        .array(responses.flatMap { response -> [JSONValue] in
            switch try? JSONValue.parse(response.body) {
            case .array(let records): records
            case .object(let envelope): envelope["Records"].flatMap { if case .array(let records) = $0 { records } else { nil } } ?? []
            default: []
            }
        })
    }

    mutating func add(_ page: APIResponse<ListResult<Record>>) {
        records += page.value.records ?? []
        responses.append(page.response)
        totalItems = page.value.totalItems ?? totalItems
    }

    mutating func stopEarly() { isComplete = false }
}

extension NexudusClient {
    /// One page of a list: the first, as the server gives it, unless `page` says otherwise.
    public func list<Record>(_ endpoint: Endpoint, of type: Record.Type, page: PageRequest = PageRequest()) async throws
        -> APIResponse<ListResult<Record>>
    {
        try await call(endpoint.page(page), as: ListResult<Record>.self)
    }

    /// Every page of a list from the first, following `HasNextPage` with the next page number,
    /// one request a page and at most `maxPages` of them. `received` sees each page as it
    /// comes, to keep it as the last answer and to show progress. A list that is not paged is
    /// one request. An empty page ends the walk even if the server says more follow, so that
    /// a server that always says so costs one request, not `maxPages`.
    public func allPages<Record>(
        _ endpoint: Endpoint, of type: Record.Type, pageSize: Int? = nil, maxPages: Int,
        received: (_ page: APIResponse<ListResult<Record>>, _ number: Int) -> Void = { _, _ in }
    ) async throws -> AllPages<Record> {
        var pages = AllPages<Record>()
        var number = 1
        while true {
            try Task.checkCancellation()
            // The first page is asked for as a plain request is, so a walk of a short list and
            // a look at it send the same request.
            let request = PageRequest(number: number == 1 ? nil : number, size: pageSize)
            let page = try await list(endpoint, of: type, page: request)
            pages.add(page)
            received(page, number)
            guard endpoint.paging != .none, page.value.hasNextPage == true, !(page.value.records ?? []).isEmpty else { break }
            guard number < maxPages else {
                pages.stopEarly()
                break
            }
            number += 1
        }
        return pages
    }
}

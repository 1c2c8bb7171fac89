import Hummingbird

/// The paging (and, where documented, ordering) of a list endpoint, read from its query. The
/// portal speaks two conventions: `_page`/`_pageSize`/`_orderBy`/`_sortDirection` (teams, events)
/// and `page`/`size` (deliveries). Pages are 1-based; a page size is clamped to 1…100, and a
/// value that is not a number falls back to the default, as the ASP.NET binder does.
struct ListPaging: Sendable {
    enum Convention: Sendable {
        case underscored
        case plain

        var pageName: String { self == .underscored ? "_page" : "page" }
        var sizeName: String { self == .underscored ? "_pageSize" : "size" }
    }

    static let maximumPageSize = 100

    var page: Int
    var pageSize: Int
    var orderField: String
    var descending: Bool
    private let defaultOrder: String

    init(_ query: Parameters, convention: Convention, defaultPageSize: Int, defaultOrder: String, defaultDescending: Bool = false) {
        page = query[Substring(convention.pageName)].flatMap { Int($0) }.map { max(1, $0) } ?? 1
        pageSize = query[Substring(convention.sizeName)].flatMap { Int($0) }.map { min(Self.maximumPageSize, max(1, $0)) } ?? defaultPageSize
        orderField = convention == .underscored ? query["_orderBy"].map(String.init) ?? defaultOrder : defaultOrder
        let direction = convention == .underscored ? query["_sortDirection"]?.lowercased() : nil
        descending = direction.map { $0 == "desc" } ?? defaultDescending
        self.defaultOrder = defaultOrder
    }

    /// The envelope of one page of `records`, ordered by `orderField` when the records have such
    /// a member (matched without regard to case); otherwise by `defaultOrder`.
    func envelope(_ records: [JSON]) -> JSON {
        let key = Self.memberName(orderField, in: records) ?? defaultOrder
        let ordered = records.enumerated().sorted { left, right in
            let (a, b) = (left.element[key], right.element[key])
            if let a, let b, a != b, let ascending = Self.precedes(a, b) {
                return ascending != descending
            }
            return left.offset < right.offset
        }.map(\.element)
        return Fixtures.listEnvelope(
            ordered, page: page, pageSize: pageSize, orderField: key, sortDirection: descending ? "DESC" : "ASC"
        )
    }

    private static func memberName(_ name: String, in records: [JSON]) -> String? {
        guard case .object(let members) = records.first else { return nil }
        return members.first { $0.0.lowercased() == name.lowercased() }?.0
    }

    /// nil for values that have no order (objects, arrays, mixed kinds).
    private static func precedes(_ a: JSON, _ b: JSON) -> Bool? {
        switch (a, b) {
        case (.int(let x), .int(let y)): x < y
        case (.double(let x), .double(let y)): x < y
        case (.string(let x), .string(let y)): x < y
        case (.bool(let x), .bool(let y)): !x && y
        default: nil
        }
    }
}

import HTTPValues

/// The requests of the member's activity lists. A filter left out is left out of the query
/// too, so the server applies its own default (both kinds, everything).
extension Endpoint {
    /// `paid`: only paid (true) or unpaid (false) invoices, both when nil; `creditNotes`: only
    /// credit notes when true.
    public static func invoices(paid: Bool? = nil, creditNotes: Bool = false, shape: [String]? = nil) -> Endpoint {
        var query: [(String, String)] = []
        if let paid { query.append(("paid", String(paid))) }
        if creditNotes { query.append(("creditNotes", "true")) }
        return Endpoint(method: .get, path: "/api/public/billing/invoices/my", query: query + shapeQuery(shape))
    }

    public static func events(upcoming: Bool = false, shape: [String]? = nil) -> Endpoint {
        Endpoint(method: .get, path: "/api/public/events/my", query: flag("showUpcoming", upcoming) + shapeQuery(shape))
    }

    public static func visitors(upcoming: Bool = false, shape: [String]? = nil) -> Endpoint {
        Endpoint(method: .get, path: "/api/public/visitors/my", query: flag("showUpcoming", upcoming) + shapeQuery(shape))
    }

    public static func deliveries(pending: Bool = false, shape: [String]? = nil) -> Endpoint {
        Endpoint(method: .get, path: "/api/public/deliveries/my", query: flag("showPending", pending) + shapeQuery(shape))
    }

    private static func flag(_ name: String, _ on: Bool) -> [(String, String)] {
        on ? [(name, "true")] : []
    }
}

/// The member's activity lists, each the active profile's: one call each, through
/// ``NexudusClient/call(_:as:)``. The first page only, as the server gives it.
extension NexudusClient {
    public func invoices(paid: Bool? = nil, creditNotes: Bool = false, shape: [String]? = nil) async throws -> APIResponse<[Invoice]> {
        try await call(.invoices(paid: paid, creditNotes: creditNotes, shape: shape), as: [Invoice].self)
    }

    public func events(upcoming: Bool = false, shape: [String]? = nil) async throws -> APIResponse<ListResult<Event>> {
        try await call(.events(upcoming: upcoming, shape: shape), as: ListResult<Event>.self)
    }

    public func visitors(upcoming: Bool = false, shape: [String]? = nil) async throws -> APIResponse<[Visitor]> {
        try await call(.visitors(upcoming: upcoming, shape: shape), as: [Visitor].self)
    }

    public func deliveries(pending: Bool = false, shape: [String]? = nil) async throws -> APIResponse<ListResult<Delivery>> {
        try await call(.deliveries(pending: pending, shape: shape), as: ListResult<Delivery>.self)
    }
}

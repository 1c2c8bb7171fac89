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

/// The requests for the location and the member's own standing in it.
extension Endpoint {
    public static func currentBusiness(shape: [String]? = nil) -> Endpoint {
        Endpoint(method: .get, path: "/api/public/businesses/current", query: shapeQuery(shape))
    }

    public static func myBookings(shape: [String]? = nil) -> Endpoint {
        Endpoint(method: .get, path: "/api/public/bookings/my", query: shapeQuery(shape))
    }

    public static func myPlans(shape: [String]? = nil) -> Endpoint {
        Endpoint(method: .get, path: "/api/public/plans/my", query: shapeQuery(shape))
    }

    /// A portal view route: `_resource` names what it edits, and Coworker is the profile.
    public static func editableProfile(shape: [String]? = nil) -> Endpoint {
        Endpoint(method: .get, path: "/en/profile", query: [("_resource", "Coworker")] + shapeQuery(shape))
    }
}

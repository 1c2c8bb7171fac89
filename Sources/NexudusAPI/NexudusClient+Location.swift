/// The location and the member's own standing in it: one call each, through
/// ``NexudusClient/call(_:as:)`` as the other member endpoints.
extension NexudusClient {
    public func currentBusiness(shape: [String]? = nil) async throws -> APIResponse<Business> {
        try await call(.currentBusiness(shape: shape), as: Business.self)
    }

    /// A bare array, as the portal sends it: the list is short and not paged.
    public func myBookings(shape: [String]? = nil) async throws -> APIResponse<[Booking]> {
        try await call(.myBookings(shape: shape), as: [Booking].self)
    }

    public func myPlans(shape: [String]? = nil) async throws -> APIResponse<[Plan]> {
        try await call(.myPlans(shape: shape), as: [Plan].self)
    }

    public func editableProfile(shape: [String]? = nil) async throws -> APIResponse<EditableProfile> {
        try await call(.editableProfile(shape: shape), as: EditableProfile.self)
    }
}

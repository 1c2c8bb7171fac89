/// The location and the member's own standing in it: one call each, through
/// ``NexudusClient/call(_:as:)`` as the other member endpoints.
extension NexudusClient {
    public func currentBusiness(shape: [String]? = nil) async throws -> APIResponse<Business> {
        try await call(.currentBusiness(shape: shape), as: Business.self)
    }

    public func editableProfile(shape: [String]? = nil) async throws -> APIResponse<EditableProfile> {
        try await call(.editableProfile(shape: shape), as: EditableProfile.self)
    }
}

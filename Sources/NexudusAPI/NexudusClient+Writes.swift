import HTTPValues

/// Writes whose answer is an ActionConfirmation.
extension NexudusClient {
    /// Sends `endpoint` and reads its ActionConfirmation. A refusal is an error whatever the HTTP
    /// status: `WasSuccessful: false` under 200 (``NexudusError/actionFailed(message:_:)``) as
    /// much as a 4xx.
    public func act(_ endpoint: Endpoint) async throws -> APIResponse<ActionConfirmation> {
        try confirmation(from: try await perform(endpoint))
    }
}

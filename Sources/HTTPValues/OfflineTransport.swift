/// Stands in for the network where nothing may be sent: while scripts are only being read,
/// and in fuzzing.
public struct OfflineTransport: HTTPTransport {
    public init() {}

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw TransportError.other(request: request.labelWithServer, detail: "no network while reading scripts")
    }
}

/// One request and the response it got: what a command leaves for `expect` and `--json`, what
/// an API error names, and what a cassette stores as an entry.
public struct HTTPExchange: Sendable, Hashable {
    public var request: HTTPRequest
    public var response: HTTPResponse

    public init(request: HTTPRequest, response: HTTPResponse) {
        self.request = request
        self.response = response
    }

    /// The request's label (``HTTPRequest/label``).
    public var label: String { request.label }
}

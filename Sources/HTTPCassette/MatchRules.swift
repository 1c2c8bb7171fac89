import JSONValues

/// Which parts of a request must agree with a recorded one for the recording to answer it.
///
/// Always compared: the method, the path, the query (parameters in any order) and the body
/// (JSON compared by value, form fields by name). A redacted value on either side matches
/// anything, and a recording that holds secrets raw is compared after the same redaction as the
/// live request. The host is ignored by default, so that a cassette recorded against one server
/// (a sandbox on a random port, say) replays for another.
public struct MatchRules: Sendable, Equatable {
    /// Also compare scheme, host and port.
    public var matchHost: Bool
    /// Headers whose values must agree, compared by name without regard to case.
    public var headers: [String]
    /// Query parameters left out of the comparison (timestamps, cache busters).
    public var ignoredQueryParameters: [String]
    /// Parts of JSON request bodies left out of the comparison.
    public var ignoredBodyPaths: [JSONPath]
    /// Compare bodies at all.
    public var matchBody: Bool

    public init(
        matchHost: Bool = false, headers: [String] = [], ignoredQueryParameters: [String] = [],
        ignoredBodyPaths: [JSONPath] = [], matchBody: Bool = true
    ) {
        self.matchHost = matchHost
        self.headers = headers
        self.ignoredQueryParameters = ignoredQueryParameters
        self.ignoredBodyPaths = ignoredBodyPaths
        self.matchBody = matchBody
    }

    public static let standard = MatchRules()
}

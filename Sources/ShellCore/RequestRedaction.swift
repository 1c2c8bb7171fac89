import HTTPValues

/// What takes the secrets out of a request before it is shown or exported: the Nexudus
/// session, by the project's one redaction definition (the redaction rules of HTTPCassette and
/// the secrets the session holds). ShellCore knows no rules itself; a shell that has requests
/// to show provides one among its services.
public protocol RequestRedacting: Sendable {
    /// The request with every secret replaced by its placeholder (`<redacted:authorization>`).
    func redacted(_ request: HTTPRequest) throws -> HTTPRequest
}

extension ShellContext {
    /// `request` with its secrets replaced by their placeholders. Fails when this shell has
    /// nothing to redact with: a request is never shown as it is.
    public func redactedForShowing(_ request: HTTPRequest) throws(ShellError) -> HTTPRequest {
        guard let redaction = optionalService((any RequestRedacting).self) else {
            throw ShellError.failed("this shell cannot take the secrets out of a request, so it does not show one")
        }
        do {
            return try redaction.redacted(request)
        } catch {
            throw ShellError(error)
        }
    }
}

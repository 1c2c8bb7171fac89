import Diagnostics
import Foundation
import HTTPValues

/// A typed answer together with the exchange it came from.
public struct APIResponse<Value: Sendable>: Sendable {
    public var value: Value
    public var exchange: HTTPExchange

    public var response: HTTPResponse { exchange.response }
    public var request: HTTPRequest { exchange.request }
}

/// What went wrong with a Nexudus call, in terms a person acts on. Transport failures (no
/// connection, timeouts) are thrown as `TransportError` and never wrapped.
public enum NexudusError: ReportableError {
    /// 401 without a session.
    case notSignedIn(HTTPExchange)
    /// 401 with a session, after the one automatic refresh failed or did not help.
    case sessionExpired(reason: String, HTTPExchange)
    /// `invalid_grant` on the password grant.
    case invalidCredentials(description: String?, HTTPExchange)
    /// `two_factor_auth_check`: the account needs a TOTP code, or the code was wrong.
    case twoFactorRequired(description: String?, HTTPExchange)
    /// Any other OAuth error of the token endpoint (`unsupported_grant_type`, `must_reset_password`, …).
    case tokenRejected(error: String, description: String?, HTTPExchange)
    /// 404 on switch: the profile is not one of this account's. `available` comes from the
    /// last profiles answer (no extra request is made to build this message).
    case profileNotInAccount(coworkerId: Int, available: [CoworkerProfile], HTTPExchange)
    /// `WasSuccessful: false` in an `ActionConfirmation`, whatever the HTTP status.
    case actionFailed(message: String?, HTTPExchange)
    /// Any other 4xx or 5xx answer.
    case failedStatus(message: String?, HTTPExchange)
    /// A body that should be JSON and is not.
    case notJSON(contentType: String?, preview: String, HTTPExchange)
    /// JSON that does not have the documented shape.
    case undecodable(type: String, detail: String, HTTPExchange)
    /// Refused before any request: a profile id must be a positive whole number.
    case invalidCoworkerID(String)
    /// A refresh was asked for, but the session holds no refresh token.
    case noRefreshToken

    /// The exchange behind the error, when a request was made.
    public var exchange: HTTPExchange? {
        switch self {
        case .notSignedIn(let exchange), .sessionExpired(_, let exchange), .invalidCredentials(_, let exchange),
            .twoFactorRequired(_, let exchange), .tokenRejected(_, _, let exchange),
            .profileNotInAccount(_, _, let exchange), .actionFailed(_, let exchange),
            .failedStatus(_, let exchange), .notJSON(_, _, let exchange), .undecodable(_, _, let exchange):
            exchange
        case .invalidCoworkerID, .noRefreshToken:
            nil
        }
    }

    public var message: String {
        switch self {
        case .notSignedIn(let exchange):
            return "not signed in: \(exchange.label) needs a bearer token (401)"
        case .sessionExpired(let reason, let exchange):
            return "the session is no longer valid: \(exchange.label) was refused (401) and \(reason)"
        case .invalidCredentials(let description, _):
            return "wrong email or password" + Self.detail(description)
        case .twoFactorRequired(let description, _):
            return "this account uses two-factor authentication: a valid TOTP code is required" + Self.detail(description)
        case .tokenRejected(let error, let description, _):
            return "sign-in refused (\(error))" + Self.detail(description)
        case .profileNotInAccount(let coworkerId, let available, _):
            let list = available.isEmpty ? "" : "; its profiles are " + available.map(\.summary).joined(separator: ", ")
            return "profile \(coworkerId) does not belong to this account (404)\(list)"
        case .actionFailed(let message, let exchange):
            return "\(exchange.label) failed: \(message ?? "the server reported WasSuccessful: false without a message") (\(exchange.response.status))"
        case .failedStatus(let message, let exchange):
            return "\(exchange.label) → \(exchange.response.statusLine)" + Self.detail(message)
        case .notJSON(let contentType, let preview, let exchange):
            return "\(exchange.label) → \(exchange.response.status): expected JSON but got \(contentType ?? "no content type")"
                + (preview.isEmpty ? " with an empty body" : ", starting \"\(preview)\"")
        case .undecodable(let type, let detail, let exchange):
            return "\(exchange.label): the answer is not a valid \(type): \(detail)"
        case .invalidCoworkerID(let text):
            return "'\(text)' is not a profile id: expected a positive whole number such as 102"
        case .noRefreshToken:
            return "there is no refresh token to renew the session with"
        }
    }

    public var hint: String? {
        switch self {
        case .notSignedIn: "sign in first"
        case .sessionExpired, .noRefreshToken: "sign in again"
        default: nil
        }
    }

    /// An error answer as a failure, with the server's own words when it gave some.
    public static func failedStatus(_ exchange: HTTPExchange) -> NexudusError {
        .failedStatus(message: ResponseText.message(in: exchange.response), exchange)
    }

    private static func detail(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "" }
        return ": \(text)"
    }
}

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
    /// 401 with a session, after the one automatic refresh failed or did not help. The service
    /// also answers 401 to an account with no customer profile, or no permission, at the location.
    case sessionExpired(reason: String, HTTPExchange)
    /// `invalid_grant` on the password grant.
    case invalidCredentials(description: String?, HTTPExchange)
    /// `two_factor_auth_check`: the account needs a TOTP code, or the code was wrong.
    case twoFactorRequired(description: String?, HTTPExchange)
    /// `must_reset_password`. The server's `error_description` may be a password-reset token: it
    /// is not kept, and the exchange's body holds only the error code (``withoutDescription(_:)``).
    case mustResetPassword(HTTPExchange)
    /// `unsupported_grant_type`: the token endpoint did not take the request's form.
    case unsupportedGrantType(description: String?, HTTPExchange)
    /// Any other OAuth error of the token endpoint (an `invalid_grant` on refresh, say).
    case tokenRejected(error: String, description: String?, HTTPExchange)
    /// The token request got no OAuth answer: a 5xx, a 404, a web page or other text. `portal`:
    /// where the portal calls go, which the advice compares with where the token request went.
    case signInFailed(HTTPExchange, portal: URL)
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
            .twoFactorRequired(_, let exchange), .mustResetPassword(let exchange), .unsupportedGrantType(_, let exchange),
            .tokenRejected(_, _, let exchange), .signInFailed(let exchange, _),
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
            return "\(exchange.label) was refused (401) and \(reason): the session is no longer valid, "
                + "or this account has no customer profile or permission at this location"
        case .invalidCredentials(let description, _):
            return "sign-in refused (invalid_grant): the email or password is wrong, the account is not registered at this location, or it is suspended"
                + Self.detail(description)
        case .twoFactorRequired(let description, _):
            return "this account uses two-factor authentication: a valid TOTP code is required" + Self.detail(description)
        case .mustResetPassword:
            return "sign-in refused (must_reset_password): the password of this account must be reset before it can sign in"
        case .unsupportedGrantType(let description, _):
            return "sign-in refused (unsupported_grant_type): the token endpoint did not accept the request's form" + Self.detail(description)
        case .tokenRejected(let error, let description, _):
            return "sign-in refused (\(error))" + Self.detail(description)
        case .signInFailed(let exchange, _):
            return "sign-in failed: " + Self.unexpectedTokenAnswer(exchange.response)
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
        case .invalidCredentials(_, let exchange):
            "check the password, and that \(exchange.request.url.host ?? "the server") is the space the account belongs to"
        case .twoFactorRequired: "give the code from the authenticator app: login EMAIL --totp CODE"
        case .mustResetPassword(let exchange):
            "reset it in the portal (\(Self.origin(of: exchange.request.url))), then sign in with the new password"
        case .signInFailed(let exchange, let portal):
            Self.signInAdvice(exchange, portal: portal)
        case .notJSON(_, _, let exchange) where Self.isWebPage(exchange.response):
            PortalAddress.portalAdvice(for: exchange.request.url)
        default: nil
        }
    }

    /// `the server answered 500 Internal Server Error: <its words>`, or what it answered with
    /// instead of the token endpoint's JSON.
    private static func unexpectedTokenAnswer(_ response: HTTPResponse) -> String {
        let answered = "the server answered \(response.statusLine)"
        if isWebPage(response) { return answered + " with a web page, not the token endpoint's JSON" }
        if response.status == 404 { return answered + ": there is no token endpoint at this address" }
        if response.isSuccess { return answered + " with \(response.headers["Content-Type"] ?? "no content type"), not a token" }
        return answered + detail(ResponseText.message(in: response))
    }

    /// A web page or a 404 says the request reached no token endpoint: the other host may have
    /// one. A 5xx is the service failing (it answers 500 to an account it does not know).
    private static func signInAdvice(_ exchange: HTTPExchange, portal: URL) -> String? {
        let response = exchange.response
        if isWebPage(response) || response.status == 404 || response.isSuccess {
            return PortalAddress.otherTokenServerAdvice(after: exchange.request.url, portal: portal)
        }
        if response.status >= 500 { return "check the email address (the service fails this way for an account it does not know), or try again later" }
        return nil
    }

    static func isWebPage(_ response: HTTPResponse) -> Bool {
        response.mediaType.map { $0.contains("html") } ?? false
    }

    /// `https://coolspace.spaces.nexudus.com`: where a person goes with a browser.
    private static func origin(of url: URL) -> String {
        "\(url.scheme ?? "https")://\(url.host ?? "")" + (url.port.map { ":\($0)" } ?? "")
    }

    /// A must_reset_password answer as kept: its body is the error code alone, since the
    /// description may be a reset token that nothing should show or store.
    static func withoutDescription(_ exchange: HTTPExchange) -> HTTPExchange {
        var kept = exchange
        kept.response.body = Data(#"{"error":"must_reset_password"}"#.utf8)
        return kept
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

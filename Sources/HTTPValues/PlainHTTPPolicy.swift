import Foundation

/// Plain `http://` carries the password and the bearer token in clear text. That is harmless on
/// loopback (the sandbox, a local proxy) and a leak anywhere else, so it needs saying so.
public enum PlainHTTPPolicy {
    /// Why talking to `url` needs allowing, or nil when it does not. `allowing` says how, where
    /// the refusal is shown ("pass --allow-http").
    public static func refusal(for url: URL, allowing: String) -> String? {
        guard url.scheme?.lowercased() == "http", let host = url.host, !isLoopback(host) else { return nil }
        return "plain http:// to \(host) would send the password and token unencrypted; use https://, or \(allowing) if you mean it"
    }

    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return bare == "localhost" || bare.hasSuffix(".localhost") || bare == "::1" || bare.hasPrefix("127.")
    }
}

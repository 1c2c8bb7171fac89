import Foundation

/// Plain `http://` carries the password and the bearer token in clear text. That is harmless on
/// loopback (the sandbox, a local proxy) and a leak anywhere else, so it needs saying so.
public enum PlainHTTPPolicy {
    /// Why talking to `url` needs `--allow-http`, or nil when it does not.
    public static func refusal(for url: URL) -> String? {
        guard url.scheme?.lowercased() == "http", let host = url.host, !isLoopback(host) else { return nil }
        return "plain http:// to \(host) would send the password and token unencrypted; use https://, or pass --allow-http if you mean it"
    }

    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return bare == "localhost" || bare.hasSuffix(".localhost") || bare == "::1" || bare.hasPrefix("127.")
    }
}

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
        // Brackets trimmed by hand: Foundation's trimming, the first a run of nexsh needs, was
        // 1.5% of a one-shot request's CPU time.
        var trimmed = Substring(host)
        while let first = trimmed.first, first == "[" || first == "]" { trimmed = trimmed.dropFirst() }
        while let last = trimmed.last, last == "[" || last == "]" { trimmed = trimmed.dropLast() }
        let bare = trimmed.lowercased()
        return bare == "localhost" || bare.hasSuffix(".localhost") || bare == "::1" || bare.hasPrefix("127.")
    }
}

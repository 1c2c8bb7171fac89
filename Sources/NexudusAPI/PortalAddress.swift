import Foundation

/// Where a Nexudus space is: what `--server`, `$NEXSH_SERVER`, `--auth-server` and the `server`
/// command read, in one place.
///
/// A full `http://` or `https://` URL is taken as it is. A bare space name (the space's
/// `WebAddress`) is the portal the service gives every space: `coolspace` is
/// `https://coolspace.spaces.nexudus.com`. A bare name is one DNS label: 1 to 63 letters, digits
/// and hyphens, not starting or ending with a hyphen; it is written in lower case, as hosts are.
public enum PortalAddress {
    /// The domain under which every space has its portal.
    public static let spacesDomain = "spaces.nexudus.com"
    /// The host the token endpoint's documentation names, rather than a space's own.
    public static let documentedTokenServer = URL(string: "https://\(spacesDomain)")!

    /// Why a word names no server, for a usage error.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let text: String
        public var description: String {
            "'\(text)' is neither an http:// or https:// URL nor a space name (letters, digits and hyphens, such as coolspace)"
        }
    }

    /// The server `text` names: a full URL, or the portal of the space it names.
    public static func resolve(_ text: String) throws(Invalid) -> URL {
        if isSpaceName(text), let url = URL(string: "https://\(text.lowercased()).\(spacesDomain)") {
            return url
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            throw Invalid(text: text)
        }
        return url
    }

    /// One DNS label: what a space's `WebAddress` can be.
    public static func isSpaceName(_ text: String) -> Bool {
        let characters = Array(text.utf8)
        guard (1...63).contains(characters.count), characters.first != UInt8(ascii: "-"), characters.last != UInt8(ascii: "-") else {
            return false
        }
        return characters.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }

    /// The other host a token request could go to, for a sign-in that reached no token
    /// endpoint: the documented one when it went to the portal (the default), and the portal
    /// when `--auth-server` sent it elsewhere.
    static func otherTokenServerAdvice(after request: URL, portal: URL) -> String {
        let portalPath = portal.path.hasSuffix("/") ? String(portal.path.dropLast()) : portal.path
        let wentToPortal = request.host?.lowercased() == portal.host?.lowercased() && request.port == portal.port
            && request.path == portalPath + "/api/token"
        if wentToPortal, portal.host?.lowercased() != spacesDomain {
            return "try --auth-server \(documentedTokenServer.absoluteString), the host the token endpoint's documentation names"
        }
        return "try without --auth-server: the token request then goes to the portal, \(portal.absoluteString)"
    }

    /// What to try when `url`'s host answers web pages where the API should be.
    static func portalAdvice(for url: URL) -> String {
        let host = url.host?.lowercased() ?? ""
        if host.hasSuffix("." + spacesDomain) {
            return "check the path: \(host) answers JSON only where the API is, and to Accept: application/json"
        }
        return "\(host.isEmpty ? "this server" : host) answers web pages, not the API: give the space's own portal, --server SPACE (https://SPACE.\(spacesDomain))"
    }
}

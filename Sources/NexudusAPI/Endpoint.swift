import Foundation
import HTTPValues

/// The requests the client sends, one per documented endpoint. Cassettes depend on these being
/// stable: the same call always produces the same method, path, query order and body.
public struct Endpoint: Sendable {
    public var method: HTTPMethod
    public var path: String
    public var query: [(String, String)]
    /// `application/x-www-form-urlencoded` fields, for the token endpoint.
    public var form: [(String, String)]?
    /// A body sent as it is (raw requests), with its content type.
    public var body: (data: Data, contentType: String)?
    public var headers: HTTPHeaders
    /// False for the token endpoint, which is how a session starts.
    public var requiresToken: Bool

    public init(
        method: HTTPMethod,
        path: String,
        query: [(String, String)] = [],
        form: [(String, String)]? = nil,
        body: (data: Data, contentType: String)? = nil,
        headers: HTTPHeaders = [],
        requiresToken: Bool = true
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.form = form
        self.body = body
        self.headers = headers
        self.requiresToken = requiresToken
    }

    /// A request of the caller's making, for exploring endpoints this client has no call for.
    /// `path` may carry its own query; `query` is appended to it.
    public static func raw(
        _ method: HTTPMethod, path: String, query: [(String, String)] = [], body: (data: Data, contentType: String)? = nil,
        headers: HTTPHeaders = []
    ) -> Endpoint {
        Endpoint(method: method, path: path, query: query, body: body, headers: headers)
    }
}

extension Endpoint {
    public static func passwordGrant(email: String, password: String, totp: String?, clientId: String) -> Endpoint {
        var form = [("grant_type", "password"), ("username", email), ("password", password)]
        if let totp { form.append(("totp", totp)) }
        return Endpoint(method: .post, path: "/api/token", form: form, headers: [("client_id", clientId)], requiresToken: false)
    }

    public static func refreshGrant(refreshToken: String, clientId: String) -> Endpoint {
        Endpoint(
            method: .post, path: "/api/token",
            form: [("grant_type", "refresh_token"), ("refresh_token", refreshToken)],
            headers: [("client_id", clientId)], requiresToken: false
        )
    }

    public static func profiles(shape: [String]? = nil) -> Endpoint {
        Endpoint(method: .get, path: "/api/public/coworkers/profiles", query: shapeQuery(shape))
    }

    public static func switchProfile(to coworkerId: Int) -> Endpoint {
        Endpoint(method: .put, path: "/api/public/coworkers/profiles/current", query: [("coworkerId", String(coworkerId))])
    }

    public static func teamProfiles(bookForTeam: Bool = false, shape: [String]? = nil) -> Endpoint {
        Endpoint(
            method: .get, path: "/en/team/profiles",
            query: (bookForTeam ? [("bookForTeam", "true")] : []) + shapeQuery(shape)
        )
    }

    public static func benefits(shape: [String]? = nil) -> Endpoint {
        Endpoint(method: .get, path: "/api/public/coworkers/profiles/current/benefits", query: shapeQuery(shape))
    }

    public static func myTeams(adminOnly: Bool = false, shape: [String]? = nil) -> Endpoint {
        Endpoint(
            method: .get, path: "/api/public/teams/my",
            query: [("isTeamAdmin", adminOnly ? "true" : "false")] + shapeQuery(shape)
        )
    }

    public static func team(id: Int, shape: [String]? = nil) -> Endpoint {
        Endpoint(method: .get, path: "/api/public/teams/\(id)/profile", query: shapeQuery(shape))
    }

    /// What any member may see of a team, member or not.
    public static func publishedTeam(id: Int, shape: [String]? = nil) -> Endpoint {
        Endpoint(method: .get, path: "/api/public/teams/published/\(id)", query: shapeQuery(shape))
    }

    public static func contract(id: Int, shape: [String]? = nil) -> Endpoint {
        Endpoint(method: .get, path: "/api/public/billing/coworkerContracts/\(id)", query: shapeQuery(shape))
    }

    static func shapeQuery(_ shape: [String]?) -> [(String, String)] {
        guard let shape, !shape.isEmpty else { return [] }
        return [("_shape", shape.joined(separator: ","))]
    }
}

extension Endpoint {
    /// The request for this endpoint on `baseURL`, with `token` as bearer and `userAgent` as
    /// `User-Agent` when given. Every request asks for JSON: the portal's view routes answer
    /// its web pages otherwise.
    func request(baseURL: URL, token: String?, userAgent: String? = nil) throws -> HTTPRequest {
        // Written out as text and read once: URLComponents cost 4% of a replay's time, and
        // stopped the program on a path with a stray `%` (`get /50%`), which URL(string:)
        // encodes as `%25`.
        let (ownPath, ownQuery) = Self.split(path)
        var text = Self.stem(of: baseURL) + (ownPath.hasPrefix("/") ? ownPath : "/" + ownPath)
        let added = query.map { name, value in
            "\(PercentEncoder.queryValue.encode(name))=\(PercentEncoder.queryValue.encode(value))"
        }
        let parts = (ownQuery.map { [$0] } ?? []) + added
        if !parts.isEmpty { text += "?" + parts.joined(separator: "&") }
        guard let url = URL(string: text) else {
            throw TransportError.invalidURL(baseURL.absoluteString + path)
        }
        var headers: HTTPHeaders = [("Accept", "application/json")]
        if let userAgent { headers.add(name: "User-Agent", value: userAgent) }
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        var body = Data()
        if let form {
            headers.add(name: "Content-Type", value: FormBody.mediaType)
            body = Data(FormBody.encode(form).utf8)
        } else if let raw = self.body {
            headers.add(name: "Content-Type", value: raw.contentType)
            body = raw.data
        }
        // Headers the caller gives replace the defaults of the same name.
        for header in self.headers { headers.set(name: header.name, value: header.value) }
        return HTTPRequest(method: method, url: url, headers: headers, body: body)
    }
}

extension Endpoint {
    /// The server's URL up to its path's end, without a trailing slash, a query or a fragment:
    /// `https://example.com/base/?x#y` → `https://example.com/base`.
    static func stem(of baseURL: URL) -> String {
        let text = baseURL.absoluteString
        let end = text.utf8.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? text.endIndex
        let stem = text[..<end]
        return String(stem.hasSuffix("/") ? stem.dropLast() : stem)
    }

    /// `/path?a=1` → (`/path`, `a=1`); characters a URL cannot hold are percent-encoded.
    static func split(_ path: String) -> (String, String?) {
        guard let mark = path.utf8.firstIndex(of: UInt8(ascii: "?")) else {
            return (PercentEncoder.path.encode(path), nil)
        }
        let query = String(path[path.utf8.index(after: mark)...])
        return (PercentEncoder.path.encode(String(path[..<mark])), query.isEmpty ? nil : PercentEncoder.query.encode(query))
    }
}

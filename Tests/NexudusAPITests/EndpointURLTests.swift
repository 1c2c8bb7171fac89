import Foundation
import HTTPValues
@testable import NexudusAPI
import Testing

/// The URL an endpoint's request goes to is written out as text; the test keeps the way it was
/// built before (URLComponents) to compare with, over servers, paths and queries of every kind.
@Suite struct EndpointURLTests {
    /// URLComponents' reading of the same endpoint: the server's path without its trailing
    /// slash, then the endpoint's path and query, percent-encoded as `Endpoint.split` does.
    func reference(_ endpoint: Endpoint, on baseURL: URL) -> String? {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) ?? URLComponents()
        components.fragment = nil
        let basePath = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        let (ownPath, ownQuery) = Endpoint.split(endpoint.path)
        components.percentEncodedPath = basePath + (ownPath.hasPrefix("/") ? ownPath : "/" + ownPath)
        let added = endpoint.query.map { "\(PercentEncoder.queryValue.encode($0.0))=\(PercentEncoder.queryValue.encode($0.1))" }
        let parts = (ownQuery.map { [$0] } ?? []) + added
        components.percentEncodedQuery = parts.isEmpty ? nil : parts.joined(separator: "&")
        return components.url?.absoluteString
    }

    @Test func theURLIsTheOneURLComponentsWouldBuild() throws {
        let servers = [
            "https://spaces.nexudus.com", "https://spaces.nexudus.com/", "http://127.0.0.1:47301", "http://localhost:8080/",
            "https://Example.COM/base", "https://example.com/base/", "http://[::1]:9000", "https://user:pw@example.com/a/b/",
            "https://example.com/?stale=1", "https://example.com/base?stale=1#frag",
        ]
        let paths = [
            "/api/public/coworkers/profiles", "api/public/teams/my", "/api/public/teams/55/profile?isTeamAdmin=true",
            "/api/public/coworkers/profiles?_shape=Profiles.Id,Profiles.FullName", "/en/bookings/teamsForBooking?", "/a b/c%20d/é",
            "/x;v=1/y@z", "/search?q=a b&r=é", "/", "",
        ]
        let queries: [[(String, String)]] = [[], [("_shape", "User.Id,User.FullName")], [("q", "a b&c=d"), ("é", "ü/?#")], [("empty", "")]]
        var compared = 0
        for server in servers {
            let baseURL = try #require(URL(string: server))
            for path in paths {
                for query in queries {
                    let endpoint = Endpoint(method: .get, path: path, query: query)
                    let expected = reference(endpoint, on: baseURL)
                    let built = try? endpoint.request(baseURL: baseURL, token: nil).url.absoluteString
                    #expect(built == expected, "\(server) \(path) \(query)")
                    compared += 1
                }
            }
        }
        #expect(compared == 400)
    }

    /// A `%` that begins no escape is sent encoded. URLComponents stopped the program there
    /// (`Attempting to set percentEncodedPath with invalid characters`), so it is no reference.
    @Test func aStrayPercentSignIsSentEncoded() throws {
        let baseURL = try #require(URL(string: "https://spaces.nexudus.com"))
        let expected = [
            "/50%": "https://spaces.nexudus.com/50%25", "/%zz": "https://spaces.nexudus.com/%25zz",
            "/a%2?q=%": "https://spaces.nexudus.com/a%252?q=%25", "/ok%20x": "https://spaces.nexudus.com/ok%20x",
        ]
        for (path, url) in expected {
            #expect(try Endpoint(method: .get, path: path).request(baseURL: baseURL, token: nil).url.absoluteString == url)
        }
    }
}

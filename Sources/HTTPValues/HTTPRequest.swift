import Foundation

/// A request as nexsh sends it and as cassettes store it.
public struct HTTPRequest: Sendable, Hashable {
    public var method: HTTPMethod
    /// Absolute: scheme, host, path and query.
    public var url: URL
    public var headers: HTTPHeaders
    public var body: Data

    public init(method: HTTPMethod, url: URL, headers: HTTPHeaders = [], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// Builds a request from text, refusing anything that is not an absolute http(s) URL.
    public init(method: HTTPMethod, url text: String, headers: HTTPHeaders = [], body: Data = Data()) throws {
        self.init(method: method, url: try Self.absoluteURL(text), headers: headers, body: body)
    }

    /// `GET /api/public/coworkers/profiles?_shape=User`: how a request is named in messages,
    /// notes and listings, with the query when there is one.
    public var label: String {
        Self.label(method: method.rawValue, target: url.path + (url.query.map { "?\($0)" } ?? ""))
    }

    /// The label of a request known only by its words, as a cassette stores it.
    public static func label(method: String, target: String) -> String {
        "\(method.uppercased()) \(target)"
    }

    /// `GET https://host/api/…`: the label where the server must be named too, in failures to
    /// get an answer at all (which no other part of the message places).
    public var labelWithServer: String {
        "\(method) \(url.absoluteString)"
    }

    /// `scheme://host[:port]`, the part people recognise in "cannot reach …" messages.
    public var origin: String {
        url.origin
    }

    public static func absoluteURL(_ text: String) throws -> URL {
        guard let url = URL(string: text), url.isAbsoluteHTTP else {
            throw TransportError.invalidURL(text)
        }
        return url
    }
}

extension URL {
    public var isAbsoluteHTTP: Bool {
        guard let scheme = scheme?.lowercased(), scheme == "http" || scheme == "https" else { return false }
        return !(host ?? "").isEmpty
    }

    /// `scheme://host[:port]`.
    public var origin: String {
        guard let scheme, let host else { return absoluteString }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(scheme)://\(shownHost):\($0)" } ?? "\(scheme)://\(shownHost)"
    }
}

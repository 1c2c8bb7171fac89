import JSONValues

/// The HTTP Archive format, version 1.2 (http://www.softwareishard.com/blog/har-12-spec/), as
/// browsers, mitmproxy, Polly.JS and nexsh write it.
///
/// Reading is lenient: only what replay needs is required (each entry's request method and URL
/// and its response status); everything else has the spec's default when missing. Fields whose
/// names start with `_` are custom extensions: they are kept in `extensions` and written back.
public enum HAR {
    public struct Log: Sendable, Equatable {
        public var version: String
        public var creator: Creator
        public var browser: Creator?
        /// Kept as read; nexsh does not use pages.
        public var pages: JSONValue?
        public var entries: [Entry]
        public var comment: String?
        public var extensions: JSONObject

        public init(
            version: String = "1.2", creator: Creator, browser: Creator? = nil, pages: JSONValue? = nil,
            entries: [Entry] = [], comment: String? = nil, extensions: JSONObject = [:]
        ) {
            self.version = version
            self.creator = creator
            self.browser = browser
            self.pages = pages
            self.entries = entries
            self.comment = comment
            self.extensions = extensions
        }
    }

    public struct Creator: Sendable, Equatable {
        public var name: String
        public var version: String
        public var comment: String?

        public init(name: String, version: String, comment: String? = nil) {
            self.name = name
            self.version = version
            self.comment = comment
        }
    }

    public struct Entry: Sendable, Equatable {
        public var pageref: String?
        /// ISO 8601 with milliseconds (`2026-11-23T07:39:13.123Z`).
        public var startedDateTime: String
        /// Milliseconds, the sum of the non-negative timings.
        public var time: Double
        public var request: Request
        public var response: Response
        public var cache: JSONValue
        public var timings: Timings
        public var serverIPAddress: String?
        public var connection: String?
        public var comment: String?
        public var extensions: JSONObject

        public init(
            pageref: String? = nil, startedDateTime: String, time: Double, request: Request, response: Response,
            cache: JSONValue = [:], timings: Timings, serverIPAddress: String? = nil, connection: String? = nil,
            comment: String? = nil, extensions: JSONObject = [:]
        ) {
            self.pageref = pageref
            self.startedDateTime = startedDateTime
            self.time = time
            self.request = request
            self.response = response
            self.cache = cache
            self.timings = timings
            self.serverIPAddress = serverIPAddress
            self.connection = connection
            self.comment = comment
            self.extensions = extensions
        }
    }

    public struct Request: Sendable, Equatable {
        public var method: String
        public var url: String
        public var httpVersion: String
        public var cookies: [Cookie]
        public var headers: [NameValue]
        public var queryString: [NameValue]
        public var postData: PostData?
        public var headersSize: Int
        public var bodySize: Int
        public var comment: String?
        public var extensions: JSONObject

        public init(
            method: String, url: String, httpVersion: String = "HTTP/1.1", cookies: [Cookie] = [],
            headers: [NameValue] = [], queryString: [NameValue] = [], postData: PostData? = nil,
            headersSize: Int = -1, bodySize: Int = 0, comment: String? = nil, extensions: JSONObject = [:]
        ) {
            self.method = method
            self.url = url
            self.httpVersion = httpVersion
            self.cookies = cookies
            self.headers = headers
            self.queryString = queryString
            self.postData = postData
            self.headersSize = headersSize
            self.bodySize = bodySize
            self.comment = comment
            self.extensions = extensions
        }
    }

    public struct Response: Sendable, Equatable {
        public var status: Int
        public var statusText: String
        public var httpVersion: String
        public var cookies: [Cookie]
        public var headers: [NameValue]
        public var content: Content
        public var redirectURL: String
        public var headersSize: Int
        public var bodySize: Int
        public var comment: String?
        public var extensions: JSONObject

        public init(
            status: Int, statusText: String = "", httpVersion: String = "HTTP/1.1", cookies: [Cookie] = [],
            headers: [NameValue] = [], content: Content = Content(), redirectURL: String = "",
            headersSize: Int = -1, bodySize: Int = -1, comment: String? = nil, extensions: JSONObject = [:]
        ) {
            self.status = status
            self.statusText = statusText
            self.httpVersion = httpVersion
            self.cookies = cookies
            self.headers = headers
            self.content = content
            self.redirectURL = redirectURL
            self.headersSize = headersSize
            self.bodySize = bodySize
            self.comment = comment
            self.extensions = extensions
        }
    }

    public struct Content: Sendable, Equatable {
        /// Length of the (decoded) body in bytes.
        public var size: Int
        /// Bytes saved by the transfer compression.
        public var compression: Int?
        public var mimeType: String
        public var text: String?
        /// `base64` when `text` holds base64 of binary data.
        public var encoding: String?
        public var comment: String?
        public var extensions: JSONObject

        public init(
            size: Int = 0, compression: Int? = nil, mimeType: String = "", text: String? = nil,
            encoding: String? = nil, comment: String? = nil, extensions: JSONObject = [:]
        ) {
            self.size = size
            self.compression = compression
            self.mimeType = mimeType
            self.text = text
            self.encoding = encoding
            self.comment = comment
            self.extensions = extensions
        }
    }

    public struct PostData: Sendable, Equatable {
        public var mimeType: String
        public var params: [Param]?
        public var text: String?
        public var comment: String?
        /// nexsh writes binary request bodies as base64 with `_encoding: "base64"`.
        public var extensions: JSONObject

        public init(mimeType: String, params: [Param]? = nil, text: String? = nil, comment: String? = nil, extensions: JSONObject = [:]) {
            self.mimeType = mimeType
            self.params = params
            self.text = text
            self.comment = comment
            self.extensions = extensions
        }
    }

    public struct Param: Sendable, Equatable {
        public var name: String
        public var value: String?
        public var fileName: String?
        public var contentType: String?
        public var comment: String?

        public init(name: String, value: String? = nil, fileName: String? = nil, contentType: String? = nil, comment: String? = nil) {
            self.name = name
            self.value = value
            self.fileName = fileName
            self.contentType = contentType
            self.comment = comment
        }
    }

    public struct NameValue: Sendable, Equatable {
        public var name: String
        public var value: String
        public var comment: String?

        public init(name: String, value: String, comment: String? = nil) {
            self.name = name
            self.value = value
            self.comment = comment
        }
    }

    public struct Cookie: Sendable, Equatable {
        public var name: String
        public var value: String
        public var path: String?
        public var domain: String?
        public var expires: String?
        public var httpOnly: Bool?
        public var secure: Bool?
        public var comment: String?

        public init(
            name: String, value: String, path: String? = nil, domain: String? = nil, expires: String? = nil,
            httpOnly: Bool? = nil, secure: Bool? = nil, comment: String? = nil
        ) {
            self.name = name
            self.value = value
            self.path = path
            self.domain = domain
            self.expires = expires
            self.httpOnly = httpOnly
            self.secure = secure
            self.comment = comment
        }
    }

    /// Milliseconds; -1 where a phase does not apply or was not measured.
    public struct Timings: Sendable, Equatable {
        public var blocked: Double?
        public var dns: Double?
        public var connect: Double?
        public var send: Double
        public var wait: Double
        public var receive: Double
        public var ssl: Double?
        public var comment: String?

        public init(
            blocked: Double? = -1, dns: Double? = -1, connect: Double? = -1, send: Double = 0, wait: Double = 0,
            receive: Double = 0, ssl: Double? = -1, comment: String? = nil
        ) {
            self.blocked = blocked
            self.dns = dns
            self.connect = connect
            self.send = send
            self.wait = wait
            self.receive = receive
            self.ssl = ssl
            self.comment = comment
        }
    }
}

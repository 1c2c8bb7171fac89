import Foundation
import HTTPValues
import JSONValues
import Secrets

/// Converting between exchanges as the transport sees them and HAR entries as cassettes store
/// them. Bodies that are UTF-8 text stay text; anything else is base64. Bodies sent with
/// `Content-Encoding: gzip` or `deflate` are stored decoded, and the stored headers say so
/// (no `Content-Encoding`, a matching `Content-Length`), so that replay is consistent.
///
/// A body that would inflate beyond `maximumBodySize`, or far beyond its own size (a bound of
/// `Decompression.Limits`), is kept as received instead: compressed, base64, with its `Content-Encoding`, and a HAR `comment` that
/// names the bound. That is what the session itself saw (nexsh never inflates a live answer),
/// so a replay still gives back the same bytes, and a legitimate large answer is not lost.
extension HAR.Entry {
    public init(request: HTTPRequest, response: HTTPResponse, maximumBodySize: Int = HTTPResponse.standardMaximumBodySize) {
        let wait = response.timings.wait.milliseconds
        let receive = response.timings.receive.milliseconds
        self.init(
            startedDateTime: HAR.dateText(response.timings.startedAt),
            time: wait + receive,
            request: HAR.Request(request),
            response: HAR.Response(response, maximumBodySize: maximumBodySize),
            timings: HAR.Timings(send: 0, wait: wait, receive: receive)
        )
    }
}

extension HAR.Request {
    init(_ request: HTTPRequest) {
        let mimeType = request.headers["Content-Type"] ?? ""
        var postData: HAR.PostData?
        if !request.body.isEmpty {
            let stored = StoredBody(request.body, mimeType: mimeType)
            postData = HAR.PostData(
                mimeType: mimeType,
                params: FormBody.isForm(mimeType) ? FormBody.fields(in: stored.text).map { HAR.Param(name: $0.name, value: $0.value) } : nil,
                text: stored.text,
                extensions: stored.isBase64 ? ["_encoding": "base64"] : [:]
            )
        }
        self.init(
            method: request.method.rawValue,
            url: request.url.absoluteString,
            headers: request.headers.map { HAR.NameValue(name: $0.name, value: $0.value) },
            queryString: QueryString.pairs(of: request.url).map { HAR.NameValue(name: $0.name, value: $0.value) },
            postData: postData,
            bodySize: request.body.count
        )
    }

    /// The path and query as sent (`/api/public/coworkers/profiles?_shape=User`), not decoded.
    public var target: String { Self.target(ofURL: url) }

    static func target(ofURL url: String) -> String {
        let parts = URLParts(url)
        return parts.path + (parts.rawQuery.map { "?\($0)" } ?? "")
    }

    /// The body bytes as sent.
    public func bodyData() throws(CassetteError) -> Data {
        guard let postData, let text = postData.text else { return Data() }
        if postData.extensions["_encoding"]?.stringValue == "base64" {
            guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
                throw CassetteError.invalidBase64(place: "request body")
            }
            return data
        }
        return Data.utf8(text)
    }

    /// The request as the transport would send it.
    public func httpRequest() throws(CassetteError) -> HTTPRequest {
        guard let url = URL(string: url) else { throw CassetteError.invalidURL(url) }
        var headers = HTTPHeaders()
        for header in self.headers { headers.add(name: header.name, value: header.value) }
        return HTTPRequest(method: HTTPMethod(rawValue: method), url: url, headers: headers, body: try bodyData())
    }
}

extension HAR.Response {
    init(_ response: HTTPResponse, maximumBodySize: Int) {
        var headers = response.headers
        var body = response.body
        var compression: Int?
        var contentExtensions = JSONObject()
        var comment: String?
        if let encoding = headers["Content-Encoding"], Decompression.canDecode(encoding) {
            do {
                let decoded = try Decompression.inflate(body, limits: .init(maximumSize: maximumBodySize))
                compression = max(0, decoded.count - body.count)
                contentExtensions["_contentEncoding"] = .string(encoding)
                headers.remove(name: "Content-Encoding")
                if headers.contains("Content-Length") { headers.set(name: "Content-Length", value: String(decoded.count)) }
                body = decoded
            } catch {
                comment = "kept as received (\(encoding), not inflated): \(error)"
            }
        }
        let mimeType = headers["Content-Type"] ?? ""
        let stored = StoredBody(body, mimeType: mimeType)
        self.init(
            status: response.status,
            statusText: response.reason,
            httpVersion: response.httpVersion,
            headers: headers.map { HAR.NameValue(name: $0.name, value: $0.value) },
            content: HAR.Content(
                size: body.count, compression: compression, mimeType: mimeType, text: body.isEmpty ? nil : stored.text,
                encoding: stored.isBase64 ? "base64" : nil, comment: comment, extensions: contentExtensions
            ),
            redirectURL: headers["Location"] ?? "",
            bodySize: response.body.count
        )
    }

    /// The body bytes to replay.
    public func bodyData() throws(CassetteError) -> Data {
        guard let text = content.text else { return Data() }
        if content.encoding?.lowercased() == "base64" {
            guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
                throw CassetteError.invalidBase64(place: "response body")
            }
            return data
        }
        return Data.utf8(text)
    }

    /// The response as a replaying transport returns it.
    public func httpResponse(startedAt: Date = Date()) throws(CassetteError) -> HTTPResponse {
        var headers = HTTPHeaders()
        for header in self.headers { headers.add(name: header.name, value: header.value) }
        return HTTPResponse(
            status: status, reason: statusText, httpVersion: httpVersion.isEmpty ? "HTTP/1.1" : httpVersion,
            headers: headers, body: try bodyData(),
            timings: HTTPTimings(startedAt: startedAt, wait: .zero, receive: .zero)
        )
    }
}

extension HAR {
    /// `2026-11-23T07:39:13.123Z`, written by hand from the UTC calendar fields: Foundation's
    /// ISO 8601 style cost more than the rest of turning an exchange into an entry.
    public static func dateText(_ date: Date) -> String {
        // From the reference date, as Date keeps it, truncating as Foundation does.
        let sinceReference = date.timeIntervalSinceReferenceDate
        let whole = sinceReference.rounded(.down)
        let milliseconds = Int32(((sinceReference - whole) * 1000).rounded(.down))
        var seconds = time_t(Int64(whole) + 978_307_200)
        var fields = tm()
        gmtime_r(&seconds, &fields)
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return digits(fields.tm_year + 1900, 4) + "-" + digits(fields.tm_mon + 1, 2) + "-" + digits(fields.tm_mday, 2)
            + "T" + digits(fields.tm_hour, 2) + ":" + digits(fields.tm_min, 2) + ":" + digits(fields.tm_sec, 2)
            + "." + digits(milliseconds, 3) + "Z"
    }
}

extension Data {
    /// A string's UTF-8 bytes, copied in one go (`Data(text.utf8)` copies byte by byte).
    static func utf8(_ text: String) -> Data {
        var text = text
        return text.withUTF8 { Data($0) }
    }
}


/// A body as cassettes store it: text when it is readable, base64 otherwise.
struct StoredBody {
    let text: String
    let isBase64: Bool

    init(_ data: Data, mimeType: String) {
        if let text = StoredBody.readableText(data, mimeType: mimeType) {
            self.text = text
            isBase64 = false
        } else {
            text = data.base64EncodedString()
            isBase64 = true
        }
    }

    /// The UTF-8 text of `data` when it is text: a textual media type, or no control
    /// characters other than tab and line breaks.
    static func readableText(_ data: Data, mimeType: String) -> String? {
        guard let text = String(validating: data, as: UTF8.self) else { return nil }
        if MediaType.isText(mimeType) { return text }
        let hasControl = data.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        return hasControl ? nil : text
    }
}

/// Query strings, read the way servers read them.
enum QueryString {
    /// Decoded name/value pairs of the URL's query, in order.
    static func pairs(of url: URL) -> [(name: String, value: String)] {
        URLParts(url.absoluteString).query.map { ($0.name, $0.value) }
    }
}

extension String {
    /// A byte search: far cheaper than Foundation's `contains`.
    func containsBytes(_ needle: [UInt8]) -> Bool {
        var text = self
        return text.withUTF8 { ByteSearch.firstOffset(of: needle, in: $0, from: 0) } != nil
    }
}

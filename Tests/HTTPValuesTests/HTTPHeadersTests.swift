import Foundation
import HTTPValues
import Testing

@Suite struct HTTPHeadersTests {
    @Test func keepsOrderDuplicatesAndCase() {
        var headers: HTTPHeaders = [("X-Trace", "1"), ("accept", "text/plain"), ("X-TRACE", "2")]
        headers.add(name: "Set-Cookie", value: "a=1")
        #expect(headers.fields.map(\.name) == ["X-Trace", "accept", "X-TRACE", "Set-Cookie"])
        #expect(headers.values(for: "x-trace") == ["1", "2"])
        #expect(headers["ACCEPT"] == "text/plain")
        #expect(headers["missing"] == nil)
    }

    /// `--header "Name: Value"`: split at the first colon, white space trimmed from both sides
    /// of both halves (a no-break space too, as Foundation's trimming took it), nothing else.
    @Test func aWrittenHeaderIsSplitAtItsFirstColonAndTrimmed() throws {
        let cases: [(String, String, String)] = [
            ("Authorization: Bearer abc", "Authorization", "Bearer abc"),
            (" \tX-Time :\t 12:30:00 \t", "X-Time", "12:30:00"),
            ("X-Empty:", "X-Empty", ""),
            ("X-Spaces:    ", "X-Spaces", ""),
            (":value", "", "value"),
            ("\u{00A0}X-Api-Key:\u{2003}abc\u{00A0}", "X-Api-Key", "abc"),
            ("X-Inner: a \t b", "X-Inner", "a \t b"),
            ("Ünïcode : é ", "Ünïcode", "é"),
        ]
        for (text, name, value) in cases {
            let header = try #require(HTTPHeader(written: text[...]), "\(text)")
            #expect(header == HTTPHeader(name: name, value: value), "\(text)")
        }
        #expect(HTTPHeader(written: "no colon here") == nil)
        #expect(HTTPHeader(written: "") == nil)
    }

    @Test func setReplacesEveryLineOfTheNameInPlace() {
        var headers: HTTPHeaders = [("A", "1"), ("b", "2"), ("a", "3"), ("C", "4")]
        headers.set(name: "a", value: "9")
        #expect(headers.fields == [HTTPHeader(name: "a", value: "9"), HTTPHeader(name: "b", value: "2"), HTTPHeader(name: "C", value: "4")])
        headers.remove(name: "B")
        #expect(headers.fields.map(\.name) == ["a", "C"])
    }

    @Test func methodsAreNormalisedAndClassified() {
        #expect(HTTPMethod(rawValue: "get") == .get)
        #expect(HTTPMethod.put.isIdempotent)
        #expect(!HTTPMethod.post.isIdempotent)
    }

    @Test func plainHTTPIsAllowedToLoopbackOnly() throws {
        for host in ["localhost", "LOCALHOST", "api.localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "[[::1]]"] {
            #expect(PlainHTTPPolicy.isLoopback(host), "\(host)")
        }
        for host in ["example.com", "localhost.example.com", "128.0.0.1", "[::2]", "::1.example", "1127.0.0.1", ""] {
            #expect(!PlainHTTPPolicy.isLoopback(host), "\(host)")
        }
        #expect(PlainHTTPPolicy.refusal(for: try #require(URL(string: "http://[::1]:8080/a")), allowing: "x") == nil)
        #expect(PlainHTTPPolicy.refusal(for: try #require(URL(string: "http://spaces.nexudus.com")), allowing: "pass --allow-http")?.hasSuffix("pass --allow-http if you mean it") == true)
    }

    @Test func requestsNeedAnAbsoluteHTTPURL() throws {
        #expect(throws: TransportError.invalidURL("ftp://example.com/x")) {
            try HTTPRequest(method: .get, url: "ftp://example.com/x")
        }
        #expect(throws: TransportError.invalidURL("/api/token")) {
            try HTTPRequest(method: .get, url: "/api/token")
        }
        let request = try HTTPRequest(method: .get, url: "http://127.0.0.1:9/api")
        #expect(request.origin == "http://127.0.0.1:9")
        #expect(TransportError.invalidURL("/api/token").description == "invalid URL '/api/token': expected an absolute http:// or https:// URL")
    }

    @Test func responsesFillInTheStandardReasonAndMediaType() {
        let response = HTTPResponse(status: 503, headers: [("Content-Type", "Application/JSON; charset=utf-8")])
        #expect(response.reason == "Service Unavailable")
        #expect(response.mediaType == "application/json")
        #expect(!response.isSuccess)
    }

    @Test func durationsReadLikeCommandLineLimits() {
        #expect(Duration.milliseconds(300).shortDescription == "300ms")
        #expect(Duration.seconds(5).shortDescription == "5s")
        #expect(Duration.milliseconds(1500).shortDescription == "1.5s")
    }
}

import Foundation
import HTTPValues
import Testing

/// The helpers that have one home in HTTPValues: the request label, the text media types and
/// the percent and form codec.
@Suite struct HTTPValuesHelpersTests {
    @Test func aRequestIsLabelledByMethodPathAndQuery() throws {
        let request = try HTTPRequest(method: "put", url: "https://portal.test/api/current?coworkerId=102")
        #expect(request.label == "PUT /api/current?coworkerId=102")
        #expect(request.labelWithServer == "PUT https://portal.test/api/current?coworkerId=102")
        #expect(HTTPExchange(request: request, response: HTTPResponse(status: 200)).label == request.label)
        #expect(HTTPRequest.label(method: "get", target: "/a%20b") == "GET /a%20b")
    }

    @Test func textMediaTypesAreTextAndOthersAreNot() {
        for type in ["text/plain", "Text/HTML; charset=utf-8", "application/json", "application/problem+json", "application/xml",
            "application/javascript", "application/x-www-form-urlencoded", "application/x-yaml"]
        {
            #expect(MediaType.isText(type), "\(type)")
        }
        for type in ["", "image/png", "application/octet-stream", "application/pdf"] {
            #expect(!MediaType.isText(type), "\(type)")
        }
        #expect(HTTPResponse(status: 200, headers: [("Content-Type", "text/csv")]).declaresText)
        #expect(!HTTPResponse(status: 200).declaresText)
    }

    @Test func percentDecodingKeepsInvalidEscapesAndKnowsFormSpaces() {
        #expect(PercentEncoding.decode("a%20b%2") == "a b%2")
        #expect(PercentEncoding.decode("a+b%zz") == "a+b%zz")
        #expect(PercentEncoding.decode("a+b", plusIsSpace: true) == "a b")
        #expect(PercentEncoding.normalize("%2f%aB") == "%2F%AB")
        #expect(PercentEncoding.escapedByte(in: Array("x%41".utf8), at: 1) == 0x41)
        #expect(PercentEncoding.escapedByte(in: Array("x%4".utf8), at: 1) == nil)
    }

    @Test func formsRoundTripThroughTheOneCodec() {
        let fields = [("user name", "a&b=c"), ("password", "p@ss+word ü")]
        let body = FormBody.encode(fields)
        #expect(body == "user%20name=a%26b%3Dc&password=p%40ss%2Bword%20%C3%BC")
        #expect(FormBody.fields(in: body).map { [$0.name, $0.value] } == fields.map { [$0.0, $0.1] })
        #expect(FormBody.isForm("application/x-www-form-urlencoded; charset=utf-8"))
        #expect(FormBody.looksLikeForm("user=a&password=b") && !FormBody.looksLikeForm("{\"a\":1}"))
        #expect(PercentEncoder.queryValue.encode("Id,Name") == "Id,Name")
        #expect(PercentEncoder.path.encode("/a b/%41") == "/a%20b/%41")
    }
}

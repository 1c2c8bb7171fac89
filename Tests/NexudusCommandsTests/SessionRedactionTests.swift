import Foundation
import HTTPCassette
import HTTPValues
import NexudusCommands
import Testing

/// The redaction a Nexudus session adds to the standard one, in the text of a recorded answer.
@Suite struct SessionRedactionTests {
    func recorded(_ body: String) -> HAR.Entry {
        HAR.Entry(
            request: HTTPRequest(method: .post, url: URL(string: "https://spaces.example.com/api/token")!),
            response: HTTPResponse(status: 400, headers: [("Content-Type", "application/json")], body: Data(body.utf8))
        )
    }

    @Test func aPasswordResetTokenIsTakenOutWhicheverOrderTheMembersComeIn() {
        let rules = RedactionRules.standard.adding(NexudusSession.redaction)
        let bodies = [
            #"{"error": "must_reset_password", "error_description": "rst-7f3a9c"}"#,
            #"{"error_description": "rst-7f3a9c", "error": "must_reset_password"}"#,
        ]
        for body in bodies {
            var redactor = Redactor(rules: rules)
            let text = redactor.redact(recorded(body)).response.content.text ?? ""
            #expect(!text.contains("rst-7f3a9c"), "\(body)")
            #expect(text.contains(#""error_description": "<redacted:reset_token>""#), "\(body)")
        }
        // Without the reset error, an error description is an ordinary message, kept.
        var redactor = Redactor(rules: rules)
        let plain = #"{"error": "invalid_grant", "error_description": "The user name or password is incorrect."}"#
        #expect(redactor.redact(recorded(plain)).response.content.text == plain)
    }
}

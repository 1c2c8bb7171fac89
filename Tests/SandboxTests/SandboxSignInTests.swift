import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NexshTesting
import Sandbox
import Testing

/// What the sandbox learned for issue 16: the accounts whose sign-in fails as the real
/// service's can, the portal's web pages, and a 401 with no body.
@Suite struct SandboxSignInTests {
    func withRouter<Result: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Result) async throws -> Result {
        let app = Application(router: SandboxServer().makeRouter())
        return try await app.test(.router) { client in try await body(client) }
    }

    func signIn(_ client: any TestClientProtocol, _ email: String, _ password: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "grant_type=password&username=\(email)&password=\(password)")
        )
    }

    @Test func anAccountWhosePasswordMustBeResetGetsTheCodeAndAFakeResetToken() async throws {
        try await withRouter { client in
            let response = try await signIn(client, "robin.vale@example.com", "expired-pass")
            #expect(response.status == .badRequest)
            let answer = try #require(JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: String])
            #expect(answer == ["error": "must_reset_password", "error_description": SandboxServer.fakeResetToken])
            let wrong = try await signIn(client, "robin.vale@example.com", "wrong")
            #expect(wrong.status == .badRequest)
        }
    }

    @Test func theBrokenAccountsSignInFailsWithA500() async throws {
        try await withRouter { client in
            let broken = try await signIn(client, "broken@example.com", "any-password")
            #expect(broken.status == .internalServerError)
            #expect(SandboxServer.signInDetails.map(\.refusal) == [nil, nil, nil, "must_reset_password", "HTTP 500"])
        }
    }

    @Test func theRootAndViewRoutesAskedWithoutJSONAnswerWebPages() async throws {
        try await withRouter { client in
            for (path, headers) in [("/", [.accept: "application/json"]), ("/en/team/profiles", [:]), ("/en/profile?_resource=Coworker", [.accept: "text/html"])] as [(String, HTTPFields)] {
                let response = try await client.execute(uri: path, method: .get, headers: headers)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
            }
            let asked = try await client.execute(uri: "/en/team/profiles", method: .get, headers: [.accept: "application/json"])
            #expect(asked.status == .unauthorized, "asked for JSON, the view route is the API")
            let api = try await client.execute(uri: "/api/public/coworkers/profiles", method: .get)
            #expect(api.status == .unauthorized, "API paths answer JSON whatever Accept says")
        }
    }

    @Test func aFaultCanAnswerWithAnEmptyBody() async throws {
        #expect(try SandboxFault(parsing: "status=401,empty") == SandboxFault(status: 401, emptyBody: true))
        #expect(try SandboxFault(parsing: "status=401,empty").description == "status=401,empty")
        try await withRouter { client in
            let response = try await client.execute(
                uri: "/api/public/coworkers/profiles", method: .get, headers: [HTTPField.Name("X-Sandbox-Fault")!: "status=401,empty"]
            )
            #expect(response.status == .unauthorized)
            #expect(response.body.readableBytes == 0)
        }
    }
}

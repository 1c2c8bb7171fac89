import Foundation
import HTTPValues
import NexshTesting
import NexudusAPI
import Sandbox
import Testing

/// Sign-in as the real service does it (issue 16): where requests go, the headers they carry,
/// refresh-token rotation per `client_id`, and each documented sign-in error in its own words.
@Suite struct SignInTests {
    let jane = SandboxAccounts.jane

    // MARK: Where requests go

    @Test func bareSpaceNamesResolveToTheirPortal() throws {
        #expect(try PortalAddress.resolve("coolspace") == URL(string: "https://coolspace.spaces.nexudus.com"))
        #expect(try PortalAddress.resolve("Cool-Space2") == URL(string: "https://cool-space2.spaces.nexudus.com"))
        #expect(try PortalAddress.resolve("https://members.example.org") == URL(string: "https://members.example.org"))
        #expect(try PortalAddress.resolve("http://127.0.0.1:8080") == URL(string: "http://127.0.0.1:8080"))
        for word in ["", "-cool", "cool-", "cool_space", "cool.space", "cool space", "ftp://x.org", "https://", String(repeating: "a", count: 64)] {
            #expect(throws: PortalAddress.Invalid.self, "\(word)") { try PortalAddress.resolve(word) }
        }
        #expect(PortalAddress.isSpaceName(String(repeating: "a", count: 63)))
    }

    // MARK: What every request carries

    @Test func everyRequestAsksForJSONAndNamesNexsh() async throws {
        let sandbox = InProcessSandbox()
        let transport = ObservingTransport(wrapping: sandbox.transport)
        let client = NexudusClient(baseURL: sandbox.baseURL, userAgent: "nexsh/9.9.9", transport: transport)
        try await client.login(email: jane.email, password: jane.password)
        _ = try await client.teamProfiles()
        try await client.refreshSession()
        _ = try await client.perform(.raw(.get, path: "/api/public/coworkers/profiles"))
        #expect(transport.requests.count == 4)
        for request in transport.requests {
            #expect(request.headers["Accept"] == "application/json", "\(request.label)")
            #expect(request.headers["User-Agent"] == "nexsh/9.9.9", "\(request.label)")
        }
        let tokenRequests = transport.requests.filter { $0.url.path == "/api/token" }
        #expect(tokenRequests.map { $0.headers["client_id"] } == ["nexsh.\(jane.email)", "nexsh.\(jane.email)"])
    }

    // MARK: One refresh token per client_id

    @Test func refreshRotatesThePairAndEachClientIdKeepsItsOwn() async throws {
        let sandbox = InProcessSandbox()
        let nexsh = NexudusClient(baseURL: sandbox.baseURL, transport: sandbox.transport)
        let other = NexudusClient(baseURL: sandbox.baseURL, transport: sandbox.transport)
        try await nexsh.login(email: jane.email, password: jane.password)
        try await other.login(email: jane.email, password: jane.password, clientId: "other-tool")
        let first = try #require(nexsh.session?.refreshToken)

        try await nexsh.refreshSession()
        let second = try #require(nexsh.session?.refreshToken)
        #expect(second != first, "the new refresh token is kept at once")
        let replayed = try await refresh(first, clientId: "nexsh.\(jane.email)", on: sandbox)
        #expect(replayed.status == 400, "the old refresh token is dead")
        #expect(try await refresh(second, clientId: "", on: sandbox).status == 400, "client_id is required on refresh")

        try await other.refreshSession()
        #expect(other.session?.refreshToken != nil, "another client_id keeps its own refresh token")

        // A new sign-in with the same client_id replaces that client's refresh token too.
        let again = NexudusClient(baseURL: sandbox.baseURL, transport: sandbox.transport)
        try await again.login(email: jane.email, password: jane.password)
        let refused = await #expect(throws: NexudusError.self) { try await nexsh.refreshSession() }
        guard case .tokenRejected(let code, _, _)? = refused else {
            Issue.record("expected the refresh to be refused, got \(String(describing: refused))")
            return
        }
        #expect(code == "invalid_grant")
        try await other.refreshSession()
    }

    private func refresh(_ token: String, clientId: String, on sandbox: InProcessSandbox) async throws -> HTTPResponse {
        var headers: HTTPHeaders = [("Content-Type", FormBody.mediaType)]
        if !clientId.isEmpty { headers.add(name: "client_id", value: clientId) }
        let body = FormBody.encode([("grant_type", "refresh_token"), ("refresh_token", token)])
        return try await sandbox.transport.send(HTTPRequest(
            method: .post, url: sandbox.baseURL.appendingPathComponent("api/token"), headers: headers, body: Data(body.utf8)
        ))
    }

    // MARK: The documented sign-in errors

    @Test func eachSignInErrorSaysWhatItMeans() async throws {
        try await withSandboxClient { session in
            let client = session.client
            let wrong = await #expect(throws: NexudusError.self) { try await client.login(email: jane.email, password: "nope") }
            #expect(wrong?.description == "sign-in refused (invalid_grant): the email or password is wrong, the account is not registered at this location, or it is suspended: The user name or password is incorrect; check the password, and that 127.0.0.1 is the space the account belongs to")

            let alex = SandboxAccounts.alex
            let twoFactor = await #expect(throws: NexudusError.self) { try await client.login(email: alex.email, password: alex.password) }
            #expect(twoFactor?.description == "this account uses two-factor authentication: a valid TOTP code is required: A two-factor authentication code (totp) is required for this account; give the code from the authenticator app: login EMAIL --totp CODE")

            let broken = await #expect(throws: NexudusError.self) { try await client.login(email: "broken@example.com", password: "any-password") }
            #expect(broken?.description == "sign-in failed: the server answered 500 Internal Server Error: An error has occurred; check the email address (the service fails this way for an account it does not know), or try again later")
            #expect(client.session == nil)
        }
    }

    @Test func aPasswordThatMustBeResetIsSaidWithoutItsDescription() async throws {
        try await withSandboxClient { session in
            let error = await #expect(throws: NexudusError.self) {
                try await session.client.login(email: "robin.vale@example.com", password: "expired-pass")
            }
            guard case .mustResetPassword(let exchange)? = error else {
                Issue.record("expected mustResetPassword, got \(String(describing: error))")
                return
            }
            #expect(error?.description == "sign-in refused (must_reset_password): the password of this account must be reset before it can sign in; reset it in the portal (http://127.0.0.1:0), then sign in with the new password")
            #expect(String(decoding: exchange.response.body, as: UTF8.self) == #"{"error":"must_reset_password"}"#)
            #expect(!(error?.description.contains(SandboxServer.fakeResetToken) ?? true))
        }
    }

    @Test func answersThatAreNoTokenEndpointsSaySoAndNameTheOtherHost() async throws {
        let page = TestRoute("POST", "/api/token") { _ in CannedResponse(headers: [("Content-Type", "text/html")], text: "<html>portal</html>") }
        let unsupported = TestRoute("POST", "/other/api/token") { _ in
            CannedResponse(status: 400, headers: [("Content-Type", "application/json")], text: #"{"error":"unsupported_grant_type","error_description":"The grant type is not supported."}"#)
        }
        let server = InProcessTransport(serving: [page, unsupported])
        let portal = URL(string: "https://coolspace.spaces.nexudus.com")!
        let html = await #expect(throws: NexudusError.self) {
            try await NexudusClient(baseURL: portal, authenticationBaseURL: nil, transport: Redirect(to: server)).login(email: jane.email, password: "pw")
        }
        #expect(html?.description == "sign-in failed: the server answered 200 OK with a web page, not the token endpoint's JSON; try --auth-server https://spaces.nexudus.com, the host the token endpoint's documentation names")

        let missing = await #expect(throws: NexudusError.self) {
            try await NexudusClient(baseURL: portal, authenticationBaseURL: URL(string: "https://spaces.nexudus.com/nowhere"), transport: Redirect(to: server))
                .login(email: jane.email, password: "pw")
        }
        #expect(missing?.description == "sign-in failed: the server answered 404 Not Found: there is no token endpoint at this address; try without --auth-server: the token request then goes to the portal, https://coolspace.spaces.nexudus.com")

        let grant = await #expect(throws: NexudusError.self) {
            try await NexudusClient(baseURL: portal, authenticationBaseURL: URL(string: "https://spaces.nexudus.com/other"), transport: Redirect(to: server))
                .login(email: jane.email, password: "pw")
        }
        #expect(grant?.description == "sign-in refused (unsupported_grant_type): the token endpoint did not accept the request's form: The grant type is not supported.")
    }

    // MARK: A 401 that a refresh does not cure

    @Test func aRefusalThatSurvivesARefreshSaysAllItCanMean() async throws {
        let sandbox = InProcessSandbox()
        let transport = ObservingTransport(wrapping: EmptyUnauthorizedOnPortalCalls(inner: sandbox.transport))
        let client = NexudusClient(baseURL: sandbox.baseURL, transport: transport)
        try await client.login(email: jane.email, password: jane.password)
        let error = await #expect(throws: NexudusError.self) { try await client.profiles() }
        #expect(error?.description == "GET /api/public/coworkers/profiles was refused (401) and a renewed token was refused too: the session is no longer valid, or this account has no customer profile or permission at this location; sign in again")
        #expect(error?.exchange?.response.body.isEmpty == true, "the 401 had no body")
        #expect(transport.requestLines == ["POST /api/token", "GET /api/public/coworkers/profiles", "POST /api/token", "GET /api/public/coworkers/profiles"])
        #expect(client.session == nil)
    }
}

/// Sends every request to `server`, whatever host it names: a test stands a canned server in
/// for a real portal's address.
private struct Redirect: HTTPTransport {
    let server: InProcessTransport
    init(to server: InProcessTransport) { self.server = server }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var request = request
        var components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)!
        components.scheme = server.baseURL.scheme
        components.host = server.baseURL.host
        components.port = server.baseURL.port
        request.url = components.url!
        return try await server.send(request)
    }
}

/// Asks the sandbox (by its fault header) to answer every portal call with a bodiless 401, as
/// the service does for an account with no customer profile at the location; sign-in and
/// refresh go through untouched.
private struct EmptyUnauthorizedOnPortalCalls: HTTPTransport {
    let inner: any HTTPTransport

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var request = request
        if request.url.path != "/api/token" { request.headers.add(name: "X-Sandbox-Fault", value: "status=401,empty") }
        return try await inner.send(request)
    }
}

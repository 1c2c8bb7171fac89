import Foundation
import HTTPValues
import NexshTesting
import Sandbox
import Synchronization
import Testing
import Transport

/// The transport that serves the sandbox without a socket: what it hands the router, what it
/// hands back, and that the answers are those the loopback server gives.
@Suite struct InProcessTransportTests {
    let jane = SandboxAccounts.jane

    @Test func theRouterReceivesTheRequestAsSentAndItsAnswerComesBackWhole() async throws {
        let echo = TestRoute("POST", "/echo/a%2Fb") { request in
            let received = request.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
            return CannedResponse(
                status: 201,
                headers: [("Content-Type", "text/plain"), ("X-Multi", "one"), ("X-Multi", "two")],
                text: "\(request.method) \(request.path)\n" + received + "\n\n" + String(decoding: request.body, as: UTF8.self)
            )
        }
        let server = InProcessTransport(serving: [echo])
        let request = try HTTPRequest(
            method: .post, url: server.baseURL.absoluteString + "/echo/a%2Fb?q=x%20y",
            headers: [("X-Trace", "a"), ("x-trace", "b")], body: Data("hello=world".utf8)
        )
        let response = try await server.send(request)
        #expect(response.status == 201)
        #expect(response.reason == "Created")
        #expect(response.httpVersion == "HTTP/1.1")
        #expect(response.headers.values(for: "x-multi") == ["one", "two"])
        #expect(response.headers.fields.map(\.name) == ["Content-Type", "X-Multi", "X-Multi", "Content-Length", "Date"])
        #expect(response.headers["Content-Length"] == String(response.body.count))
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text == "POST /echo/a%2Fb\nX-Trace: a\nx-trace: b\nContent-Length: 11\n\nhello=world")
        #expect(response.timings.wait >= .zero && response.timings.receive >= .zero)
    }

    @Test func theSandboxSignsInAndAnswersWithWhatItServes() async throws {
        let sandbox = InProcessSandbox()
        let signIn = try HTTPRequest(
            method: .post, url: sandbox.baseURL.absoluteString + "/api/token",
            headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Data("grant_type=password&username=jane.doe%40example.com&password=correct-horse".utf8)
        )
        let grant = try await sandbox.transport.send(signIn)
        #expect(grant.statusLine == "200 OK")
        #expect(grant.headers["Content-Type"] == "application/json; charset=utf-8")
        let answer = try #require(try JSONSerialization.jsonObject(with: grant.body) as? [String: Any])
        let token = try #require(answer["access_token"] as? String)

        let shaped = try HTTPRequest(
            method: .get, url: sandbox.baseURL.absoluteString + "/api/public/coworkers/profiles?_shape=User.FullName",
            headers: [("Authorization", "Bearer \(token)")]
        )
        #expect(String(decoding: try await sandbox.transport.send(shaped).body, as: UTF8.self) == #"{"User":{"FullName":"Jane Doe"}}"#)
    }

    /// A fault header works as on a socket: a forced status is an answer, a dropped connection
    /// is no answer at all; the request log has a line for each.
    @Test func faultsAndTheRequestLogWorkWithoutASocket() async throws {
        let lines = Mutex<[String]>([])
        let sandbox = InProcessSandbox(.init(requestLog: { record in lines.withLock { $0.append(record.description) } }))
        let url = sandbox.baseURL.absoluteString + "/api/public/coworkers/profiles"

        let unavailable = try await sandbox.transport.send(try HTTPRequest(method: .get, url: url, headers: [("X-Sandbox-Fault", "status=503")]))
        #expect(unavailable.statusLine == "503 Service Unavailable")
        #expect(String(decoding: unavailable.body, as: UTF8.self) == #"{"Message":"Fault injected by the sandbox: 503 Service Unavailable"}"#)

        let error = await #expect(throws: TransportError.self) {
            try await sandbox.transport.send(try HTTPRequest(method: .get, url: url, headers: [("X-Sandbox-Fault", "drop")]))
        }
        #expect(error == .connectionClosed(request: "GET \(url)"))

        let logged = lines.withLock { $0 }
        #expect(logged.count == 2)
        #expect(logged.first?.hasPrefix("GET /api/public/coworkers/profiles → 503 (") == true, "\(logged)")
        #expect(logged.last?.hasPrefix("GET /api/public/coworkers/profiles → connection dropped (") == true, "\(logged)")
    }

    @Test func nothingElseListensInTheProcess() async throws {
        let sandbox = InProcessSandbox()
        for origin in ["http://127.0.0.1:9", "https://127.0.0.1:0", "http://localhost:0"] {
            let error = await #expect(throws: TransportError.self) {
                try await sandbox.transport.send(try HTTPRequest(method: .get, url: origin + "/api/public/coworkers/profiles"))
            }
            #expect(error == .connectionRefused(origin: origin))
        }
    }

    /// The same requests, to a sandbox on loopback through the live transport and to one served
    /// in-process, get the same status line, header names and body.
    @Test func answersAreThoseOfTheLoopbackServer() async throws {
        let requests: [(HTTPMethod, String, HTTPHeaders, String)] = [
            (.post, "/api/token", [("Content-Type", "application/x-www-form-urlencoded")], "grant_type=password&username=jane.doe%40example.com&password=wrong"),
            (.post, "/api/token", [("Content-Type", "text/plain")], "x"),
            (.get, "/api/public/coworkers/profiles", [], ""),
            (.get, "/api/public/coworkers/profiles", [("Authorization", "Bearer nope")], ""),
            (.get, "/no/such/route", [], ""),
            (.put, "/api/public/coworkers/profiles/current", [("X-Sandbox-Fault", "status=429")], ""),
            (.post, "/api/token", [("Content-Type", "application/x-www-form-urlencoded")], String(repeating: "a", count: 70_000)),
        ]
        let inProcess = InProcessSandbox()
        try await withSandbox { sandbox in
            try await withLiveTransport { live in
                for (method, path, headers, body) in requests {
                    let overLoopback = try await live.send(try HTTPRequest(method: method, url: sandbox.baseURL.absoluteString + path, headers: headers, body: Data(body.utf8)))
                    let served = try await inProcess.transport.send(try HTTPRequest(method: method, url: inProcess.baseURL.absoluteString + path, headers: headers, body: Data(body.utf8)))
                    #expect(served.statusLine == overLoopback.statusLine, "\(method) \(path)")
                    #expect(served.httpVersion == overLoopback.httpVersion)
                    #expect(served.headers.fields.map(\.name) == overLoopback.headers.fields.map(\.name), "\(method) \(path)")
                    #expect(served.body == overLoopback.body, "\(method) \(path)")
                }
            }
        }
    }
}

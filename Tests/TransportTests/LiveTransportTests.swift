import Foundation
import HTTPValues
import NexshTesting
import Sandbox
import Testing
import Transport

@Suite struct LiveTransportTests {
    @Test func sendsMethodHeadersAndBodyAndReturnsTheWholeAnswer() async throws {
        let echo = TestRoute("POST", "/echo") { request in
            let received = request.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
            return CannedResponse(
                status: 201,
                headers: [("Content-Type", "text/plain"), ("X-Multi", "one"), ("X-Multi", "two")],
                text: received + "\n\n" + String(decoding: request.body, as: UTF8.self)
            )
        }
        try await withTestServer([echo]) { baseURL in
            try await withLiveTransport { transport in
                let request = try HTTPRequest(
                    method: .post, url: baseURL.absoluteString + "/echo",
                    headers: [("X-Trace", "a"), ("x-trace", "b")], body: Data("hello=world".utf8)
                )
                let response = try await transport.send(request)
                #expect(response.status == 201)
                #expect(response.reason == "Created")
                #expect(response.httpVersion == "HTTP/1.1")
                #expect(response.headers.values(for: "x-multi") == ["one", "two"])
                let text = String(decoding: response.body, as: UTF8.self)
                #expect(text.contains("X-Trace: a\nx-trace: b"))
                #expect(text.hasSuffix("\n\nhello=world"))
                #expect(response.timings.wait >= .zero && response.timings.receive >= .zero)
            }
        }
    }

    @Test func redirectsAreReturnedNotFollowed() async throws {
        let routes = [
            TestRoute("GET", "/old") { _ in CannedResponse(status: 302, headers: [("Location", "/new")]) },
            TestRoute("GET", "/new") { _ in CannedResponse(text: "moved here") },
        ]
        try await withTestServer(routes) { baseURL in
            try await withLiveTransport { transport in
                let response = try await transport.send(try HTTPRequest(method: .get, url: baseURL.absoluteString + "/old"))
                #expect(response.status == 302)
                #expect(response.headers["location"] == "/new")
            }
        }
    }

    @Test func compressedBodiesArriveAsSent() async throws {
        let gzipped: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        let route = TestRoute("GET", "/gz") { _ in
            CannedResponse(headers: [("Content-Encoding", "gzip"), ("Content-Type", "application/json")], body: gzipped)
        }
        try await withTestServer([route]) { baseURL in
            try await withLiveTransport { transport in
                let response = try await transport.send(try HTTPRequest(method: .get, url: baseURL.absoluteString + "/gz"))
                #expect(Array(response.body) == gzipped)
                #expect(response.headers["Content-Encoding"] == "gzip")
            }
        }
    }

    @Test func refusedConnectionsNameTheServer() async throws {
        try await withLiveTransport { transport in
            let error = await #expect(throws: TransportError.self) {
                try await transport.send(try HTTPRequest(method: .get, url: "http://127.0.0.1:9/api/token"))
            }
            #expect(error == .connectionRefused(origin: "http://127.0.0.1:9"))
            #expect(error?.description == "cannot reach http://127.0.0.1:9: connection refused")
        }
    }

    @Test func silenceBeyondTheReadTimeoutIsATimeoutNamingRequestAndLimit() async throws {
        try await withSandbox { sandbox in
            try await withLiveTransport(configuration: .init(readTimeout: .milliseconds(300))) { transport in
                let url = sandbox.baseURL.absoluteString + "/api/public/coworkers/profiles"
                let request = try HTTPRequest(method: .get, url: url, headers: [("X-Sandbox-Fault", "latency=1s")])
                let error = await #expect(throws: TransportError.self) { try await transport.send(request) }
                #expect(error == .readTimeout(request: "GET \(url)", limit: .milliseconds(300)))
                #expect(error?.description == "GET \(url): no answer within 300ms (read timeout)")
            }
        }
    }

    @Test func aDroppedConnectionIsReportedAsSuch() async throws {
        try await withSandbox { sandbox in
            try await withLiveTransport { transport in
                let url = sandbox.baseURL.absoluteString + "/api/public/coworkers/profiles"
                let request = try HTTPRequest(method: .get, url: url, headers: [("X-Sandbox-Fault", "drop")])
                let error = await #expect(throws: TransportError.self) { try await transport.send(request) }
                #expect(error == .connectionClosed(request: "GET \(url)"))
            }
        }
    }

    @Test func tlsFailuresAreTLSErrors() async throws {
        // The sandbox speaks plain HTTP, so a TLS handshake with it cannot succeed.
        try await withSandbox { sandbox in
            try await withLiveTransport(configuration: .init(connectTimeout: .seconds(5))) { transport in
                let port = sandbox.baseURL.port!
                let error = await #expect(throws: TransportError.self) {
                    try await transport.send(try HTTPRequest(method: .get, url: "https://127.0.0.1:\(port)/"))
                }
                #expect(error == .tls(origin: "https://127.0.0.1:\(port)", detail: "handshake failed: the server does not speak TLS on this port"))
            }
        }
    }

    @Test func bodiesBeyondTheLimitAreRefused() async throws {
        try await withSandbox { sandbox in
            try await withLiveTransport(configuration: .init(maxResponseBodySize: 16)) { transport in
                let url = sandbox.baseURL.absoluteString + "/api/public/coworkers/profiles"
                let error = await #expect(throws: TransportError.self) {
                    try await transport.send(try HTTPRequest(method: .get, url: url))
                }
                #expect(error == .responseTooLarge(request: "GET \(url)", limit: 16))
            }
        }
    }

    @Test func cancellingTheTaskCancelsTheRequest() async throws {
        try await withSandbox { sandbox in
            try await withLiveTransport { transport in
                let request = try HTTPRequest(
                    method: .get, url: sandbox.baseURL.absoluteString + "/api/public/coworkers/profiles",
                    headers: [("X-Sandbox-Fault", "latency=2s")]
                )
                let task = Task { try await transport.send(request) }
                try await Task.sleep(for: .milliseconds(100))
                task.cancel()
                await #expect(throws: CancellationError.self) { try await task.value }
            }
        }
    }
}

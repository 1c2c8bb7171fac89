import AsyncHTTPClient
import Foundation
import HTTPValues
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The transport that talks to real servers, over one AsyncHTTPClient shared by every request.
///
/// Redirects are never followed (an API shell shows what the server said), TLS certificates are
/// verified unless the configuration says otherwise, and bodies are neither decompressed nor
/// altered. Call ``shutdown()`` when done, or use ``withLiveTransport(_:_:)``, which does it on
/// every exit path.
public final class LiveTransport: HTTPTransport {
    public struct Configuration: Sendable {
        /// How long to wait for a TCP (and TLS) connection.
        public var connectTimeout: Duration
        /// How long the server may stay silent while a response is awaited or streamed.
        public var readTimeout: Duration
        /// How long the whole exchange may take, from sending to the body's last byte: a server
        /// that trickles a byte now and then never trips the read timeout, but trips this.
        public var deadline: Duration
        /// Larger bodies fail with ``TransportError/responseTooLarge(request:limit:)``.
        public var maxResponseBodySize: Int
        /// Off only for `--insecure`: a test server with a self-signed certificate.
        public var verifiesCertificates: Bool

        public init(
            connectTimeout: Duration = .seconds(10),
            readTimeout: Duration = .seconds(30),
            deadline: Duration = .seconds(60),
            maxResponseBodySize: Int = HTTPResponse.standardMaximumBodySize,
            verifiesCertificates: Bool = true
        ) {
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.deadline = deadline
            self.maxResponseBodySize = maxResponseBodySize
            self.verifiesCertificates = verifiesCertificates
        }
    }

    public let configuration: Configuration
    private let client: HTTPClient

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        var tls = TLSConfiguration.makeClientConfiguration()
        if !configuration.verifiesCertificates { tls.certificateVerification = .none }
        var clientConfiguration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: TimeAmount(configuration.connectTimeout),
                read: TimeAmount(configuration.readTimeout)
            ),
            decompression: .disabled
        )
        // Fail at once on a refused port instead of retrying until the connect timeout.
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
    }

    /// Closes every connection. The transport cannot be used afterwards.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.url.isAbsoluteHTTP else {
            throw TransportError.invalidURL(request.url.absoluteString)
        }
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = .init(rawValue: request.method.rawValue)
        for header in request.headers {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        if !request.body.isEmpty {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }

        let clock = ContinuousClock()
        let startedAt = Date()
        let start = clock.now
        do {
            // The client enforces the deadline until the head arrives; the body is raced
            // against what is left of it.
            let response = try await client.execute(outgoing, deadline: .now() + TimeAmount(configuration.deadline))
            let headArrived = clock.now
            let body = try await collect(response.body, upTo: configuration.maxResponseBodySize, until: start + configuration.deadline)
            let finished = clock.now
            return HTTPResponse(
                status: Int(response.status.code),
                reason: response.status.reasonPhrase,
                httpVersion: "HTTP/\(response.version.major).\(response.version.minor)",
                headers: HTTPHeaders(response.headers.map { ($0.name, $0.value) }),
                body: Self.data(body),
                timings: HTTPTimings(startedAt: startedAt, wait: headArrived - start, receive: finished - headArrived)
            )
        } catch {
            throw translate(error, for: request)
        }
    }

    /// The buffer's bytes, copied in one go (`Data`'s generic initializer looks up conformances
    /// the first time it meets a byte buffer: 20 µs of a one-shot).
    private static func data(_ buffer: ByteBuffer) -> Data {
        buffer.withUnsafeReadableBytes { bytes in
            guard let start = bytes.baseAddress, !bytes.isEmpty else { return Data() }
            return Data(bytes: start, count: bytes.count)
        }
    }

    /// The whole body, unless `deadline` passes first (then `HTTPClientError.deadlineExceeded`).
    /// The deadline is a timer on an event loop of the client's that cancels the collecting
    /// task: a task group racing `Task.sleep` cost each request a second task and a timer of
    /// the concurrency runtime's, whose first use looks up conformances.
    private func collect(_ body: HTTPClientResponse.Body, upTo limit: Int, until deadline: ContinuousClock.Instant) async throws -> ByteBuffer {
        let collecting = Task { try await body.collect(upTo: limit) }
        let timer = client.eventLoopGroup.any().scheduleTask(in: TimeAmount(ContinuousClock.now.duration(to: deadline))) {
            collecting.cancel()
        }
        defer { timer.cancel() }
        do {
            return try await withTaskCancellationHandler {
                try await collecting.value
            } onCancel: {
                collecting.cancel()
            }
        } catch {
            if ContinuousClock.now >= deadline { throw HTTPClientError.deadlineExceeded }
            throw error
        }
    }

    /// Maps the HTTP stack's errors, which are written for library authors, to ``TransportError``.
    private func translate(_ error: any Error, for request: HTTPRequest) -> any Error {
        let origin = request.origin
        let label = request.labelWithServer
        if error is CancellationError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled: return CancellationError()
            case .readTimeout, .writeTimeout:
                return TransportError.readTimeout(request: label, limit: configuration.readTimeout)
            case .deadlineExceeded:
                return TransportError.deadlineExceeded(request: label, limit: configuration.deadline)
            case .connectTimeout, .getConnectionFromPoolTimeout:
                return TransportError.connectTimeout(origin: origin, limit: configuration.connectTimeout)
            case .tlsHandshakeTimeout:
                return TransportError.tls(origin: origin, detail: "the TLS handshake timed out")
            case .remoteConnectionClosed:
                return TransportError.connectionClosed(request: label)
            case .invalidURL, .emptyHost, .emptyScheme:
                return TransportError.invalidURL(request.url.absoluteString)
            default:
                return TransportError.other(request: label, detail: "\(error)")
            }
        }
        if let error = error as? HTTPParserError {
            switch error {
            // The status line is where an answer shows whether it is HTTP at all.
            case .invalidConstant, .invalidVersion, .invalidStatus:
                return TransportError.notHTTP(origin: origin, detail: nil)
            case .invalidEOFState:
                return TransportError.connectionClosed(request: label)
            default:
                return TransportError.notHTTP(origin: origin, detail: error.debugDescription)
            }
        }
        if error is NIOTooManyBytesError {
            return TransportError.responseTooLarge(request: label, limit: configuration.maxResponseBodySize)
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return TransportError.unknownHost(origin: origin)
            }
            if error.connectionErrors.contains(where: { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }) {
                return TransportError.connectionRefused(origin: origin)
            }
            return TransportError.other(request: label, detail: "cannot connect (\(error))")
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return TransportError.connectionRefused(origin: origin)
            case ECONNRESET, EPIPE: return TransportError.connectionClosed(request: label)
            default: return TransportError.other(request: label, detail: error.description)
            }
        }
        if error is SocketAddressError {
            return TransportError.unknownHost(origin: origin)
        }
        if let error = error as? NIOSSLError {
            return TransportError.tls(origin: origin, detail: Self.describe(error))
        }
        if let error = error as? BoringSSLError {
            return TransportError.tls(origin: origin, detail: Self.reason(fromBoringSSL: "\(error)"))
        }
        return TransportError.other(request: label, detail: "\(error)")
    }

    private static func describe(_ error: NIOSSLError) -> String {
        switch error {
        case .handshakeFailed(let underlying):
            return "handshake failed: " + reason(fromBoringSSL: "\(underlying)")
        case .uncleanShutdown:
            return "the connection was closed without a TLS close notification"
        default:
            return "\(error)"
        }
    }

    /// BoringSSL reports `…:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at …/file.cc:123`; people
    /// need the reason, not the file.
    static func reason(fromBoringSSL text: String) -> String {
        guard let marker = text.range(of: "OPENSSL_internal:") else { return text }
        let code = text[marker.upperBound...].prefix { $0.isUppercase || $0 == "_" || $0.isNumber }
        switch code {
        case "CERTIFICATE_VERIFY_FAILED": return "the server's certificate is not trusted"
        case "WRONG_VERSION_NUMBER": return "the server does not speak TLS on this port"
        case "": return text
        default: return code.lowercased().replacingOccurrences(of: "_", with: " ")
        }
    }
}

/// Runs `body` with a live transport and shuts it down afterwards, whether `body` returns or throws.
public func withLiveTransport<Result: Sendable>(
    configuration: LiveTransport.Configuration = .init(),
    _ body: (LiveTransport) async throws -> Result
) async throws -> Result {
    let transport = LiveTransport(configuration: configuration)
    let result: Result
    do {
        result = try await body(transport)
    } catch {
        try? await transport.shutdown()
        throw error
    }
    try await transport.shutdown()
    return result
}

extension TimeAmount {
    /// Saturates at about 292 years rather than trapping on overflow.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflowAgain) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        self = .nanoseconds(overflow || overflowAgain ? (seconds < 0 ? .min : .max) : total)
    }
}

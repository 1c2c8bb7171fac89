/// Anything that turns a request into a response: the live network, a cassette recorder that
/// wraps another transport, or a cassette player that never touches the network.
///
/// Failures to obtain a response at all (unreachable host, timeout, TLS) are thrown as
/// ``TransportError``; every status code, 4xx and 5xx included, is a response.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

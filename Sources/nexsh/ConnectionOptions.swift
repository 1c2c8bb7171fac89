import ArgumentParser
import Foundation
import Transport

/// How nexsh talks to a live server: shared by the interactive shell and `nexsh run`.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("read-timeout"), help: ArgumentHelp("Seconds a server may stay silent.", valueName: "seconds"))
    var readTimeout = 30.0

    @Option(help: ArgumentHelp(
        "Retry idempotent requests (GET, PUT) up to N times after a timeout, a dropped connection or a 429/502/503/504, with backoff. Never in replay.",
        valueName: "N"
    ))
    var retries = 0

    @Flag(help: "Do not verify TLS certificates (a test server with a self-signed one). Never the default; warns on every start.")
    var insecure = false

    @Flag(name: .customLong("allow-http"), help: "Allow plain http:// to a host other than loopback (the password and token travel unencrypted).")
    var allowHTTP = false

    func validate() throws {
        guard readTimeout > 0 else { throw ValidationError("--read-timeout must be positive") }
        guard (0...10).contains(retries) else { throw ValidationError("--retries must be between 0 and 10") }
    }

    /// A usage error for a server that plain http:// would expose, unless --allow-http.
    func check(server: URL) throws {
        if !allowHTTP, let refusal = PlainHTTPPolicy.refusal(for: server) { throw ValidationError(refusal) }
    }

    var transportConfiguration: LiveTransport.Configuration {
        LiveTransport.Configuration(readTimeout: .milliseconds(Int64(readTimeout * 1000)), verifiesCertificates: !insecure)
    }

    /// The network as the session sees it: the live transport, retried when asked.
    func network(_ live: LiveTransport) -> any HTTPTransport {
        guard retries > 0 else { return live }
        return RetryingTransport(live, policy: RetryPolicy(retries: retries)) { note in Console.error("note: " + note) }
    }

    /// Said on every start, so that an insecure session is never mistaken for a safe one.
    func warnIfInsecure() {
        if insecure {
            Console.error("warning: --insecure: TLS certificates are not verified; anyone on the path can read the password and token")
        }
    }

    /// The same options as command-line words, to hand on to `nexsh run`.
    var arguments: [String] {
        var words = ["--read-timeout", "\(readTimeout)", "--retries", "\(retries)"]
        if insecure { words.append("--insecure") }
        if allowHTTP { words.append("--allow-http") }
        return words
    }
}

import ArgumentParser
import Foundation
import HTTPValues
import NexudusAPI
import ShellCore
import Transport

/// The options that say how nexsh talks to a live server (``ConnectionSettings``).
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .customLong("read-timeout"), help: ArgumentHelp("Seconds a server may stay silent (\(OptionRanges.readTimeout.help)).", valueName: "seconds"),
        transform: OptionRanges.readTimeout.parse
    )
    var readTimeout = OptionRanges.readTimeout.standard

    @Option(
        help: ArgumentHelp(
            "Seconds a whole request may take, to the last byte of the answer, however steadily the server trickles it (\(OptionRanges.deadline.help)).",
            valueName: "seconds"
        ),
        transform: OptionRanges.deadline.parse
    )
    var deadline = OptionRanges.deadline.standard

    @Option(
        name: .customLong("max-body-size"),
        help: ArgumentHelp(
            "The largest response body, as received and as inflated from gzip or deflate for a cassette (\(OptionRanges.maxBodySize.help)).",
            valueName: "MiB"
        ),
        transform: OptionRanges.maxBodySize.parse
    )
    var maxBodySize = OptionRanges.maxBodySize.standard

    @Option(
        help: ArgumentHelp(
            "Retry idempotent requests (GET, PUT) up to N times (\(OptionRanges.retries.help)) after a timeout, a dropped connection or a 502/503/504, with backoff. Never in replay.",
            valueName: "N"
        ),
        transform: OptionRanges.retries.parse
    )
    var retries = OptionRanges.retries.standard

    @Option(
        name: .customLong("max-wait"),
        help: ArgumentHelp(
            """
            The longest wait for a throttling server (\(OptionRanges.maxWait.help)). A 429, or a 409 with Retry-After, is waited out as the \
            server asks and the request retried (idempotent ones, up to \(RetryPolicy.standardThrottledRetries) times or --retries N if more; \
            none in replay); a longer Retry-After fails the request at once, saying how long the server asked.
            """,
            valueName: "seconds"
        ),
        transform: OptionRanges.maxWait.parse
    )
    var maxWait = OptionRanges.maxWait.standard

    @Flag(
        name: .customLong("retry-writes"),
        help: "Also retry a throttled POST, PATCH or DELETE (the server refused it unprocessed); never after a failure, which may have let it through."
    )
    var retryWrites = false

    @Option(
        help: ArgumentHelp(
            "Start requests at least this far apart (\(OptionRanges.pace.help)), to stay under a rate limit (Nexudus: 100 ms, 120 a minute). Each session paces its own; never in replay.",
            valueName: "ms"
        ),
        transform: OptionRanges.pace.parse
    )
    var pace = OptionRanges.pace.standard

    @Flag(help: "Do not verify TLS certificates (a test server with a self-signed one). Never the default; warns on every start.")
    var insecure = false

    @Flag(name: .customLong("allow-http"), help: "Allow plain http:// to a host other than loopback (the password and token travel unencrypted).")
    var allowHTTP = false

    @Option(
        name: .customLong("auth-server"),
        help: ArgumentHelp(
            "Send the token request (sign-in and refresh) here instead of to the portal, e.g. https://spaces.nexudus.com, the host the token endpoint's documentation names.",
            valueName: "URL"
        ),
        transform: { text in
            // ArgumentParser's own refusal names the option and the word.
            do { return try PortalAddress.resolve(text) } catch { throw ValidationError("expected an http:// or https:// URL") }
        }
    )
    var authServer: URL?

    /// What the options say, for the code that connects.
    var settings: ConnectionSettings {
        ConnectionSettings(
            readTimeout: readTimeout, deadline: deadline, maxBodySize: maxBodySize, retries: retries, maxWait: maxWait,
            retryWrites: retryWrites, pace: pace, insecure: insecure, allowHTTP: allowHTTP, authServer: authServer
        )
    }
}

/// How nexsh talks to a live server, as ``ConnectionOptions`` says: shared by the interactive
/// shell and `nexsh run`. A value of its own, made without ArgumentParser: an option-free `nexsh
/// run` starts from the defaults, and making the options struct builds every option's
/// declaration (0.14 ms of a one-shot). A test compares the defaults with a parse of no words.
struct ConnectionSettings: Sendable, Equatable {
    var readTimeout = OptionRanges.readTimeout.standard
    var deadline = OptionRanges.deadline.standard
    /// MiB.
    var maxBodySize = OptionRanges.maxBodySize.standard
    var retries = OptionRanges.retries.standard
    var maxWait = OptionRanges.maxWait.standard
    var retryWrites = false
    /// Milliseconds.
    var pace = OptionRanges.pace.standard
    var insecure = false
    var allowHTTP = false
    var authServer: URL?

    /// A usage error for a server (or the --auth-server, whatever the server) that plain http://
    /// would expose, unless --allow-http.
    func check(server: URL?) throws {
        for url in [server, authServer].compactMap(\.self) {
            if !allowHTTP, let refusal = PlainHTTPPolicy.refusal(for: url, allowing: "pass --allow-http") { throw ValidationError(refusal) }
        }
    }

    var transportConfiguration: LiveTransport.Configuration {
        LiveTransport.Configuration(
            readTimeout: .seconds(readTimeout), deadline: .seconds(deadline), maxResponseBodySize: maximumBodyBytes,
            verifiesCertificates: !insecure
        )
    }

    /// `--max-body-size` in bytes: for the transport, and for what a cassette inflates.
    var maximumBodyBytes: Int { maxBodySize << 20 }

    /// Runs `body` with the network as the session sees it: the live transport, paced when
    /// asked, throttling waited out and failures retried as the policy says, opened only by the
    /// first request that reaches it, and closed afterwards whether `body` returns or throws.
    /// `showsSpinner`: a request that takes long says so on the terminal, with any wait for a
    /// throttling server (one session at a time only: parallel jobs have a progress line of
    /// their own, and their notes go to standard error).
    func withNetwork<Result: Sendable>(
        showsSpinner: Bool, open: @escaping LiveNetwork.Opener = LiveNetwork.standardOpener,
        _ body: (any HTTPTransport) async throws -> Result
    ) async throws -> Result {
        let live = LiveNetwork(configuration: transportConfiguration, open: open)
        let paced: any HTTPTransport = pace > 0 ? PacingTransport(live, interval: .milliseconds(pace)) : live
        let retried = RetryingTransport(
            paced, policy: retryPolicy,
            onRetry: { note in
                if !SpinnerTransport.showOnCurrentLine(note) { Console.error("note: " + Terminal.safe(note)) }
            },
            onWriteNotRetried: { note in Console.error("note: " + Terminal.safe(note)) }
        )
        let network: any HTTPTransport = showsSpinner && SpinnerTransport.isWanted ? SpinnerTransport(retried) : retried
        let result: Result
        do {
            result = try await body(network)
        } catch {
            try? await live.close()
            throw error
        }
        try await live.close()
        return result
    }

    var retryPolicy: RetryPolicy {
        RetryPolicy(retries: retries, maximumWait: .seconds(maxWait), retriesWrites: retryWrites)
    }

    /// Said on every start, so that an insecure session is never mistaken for a safe one.
    func warnIfInsecure() {
        if insecure {
            Console.error("warning: --insecure: TLS certificates are not verified; anyone on the path can read the password and token")
        }
    }
}

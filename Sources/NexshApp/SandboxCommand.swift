import ArgumentParser
import Foundation
import Sandbox
import ShellCore

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve the built-in Nexudus simulator for other clients (curl, a browser, nexsh --server).",
        discussion: """
            The simulator answers as the Nexudus API documentation describes: the token endpoint, \
            profiles with _shape, switching profiles, team profiles, benefits, teams and contracts. \
            Send the header 'X-Sandbox-Fault: latency=500ms', 'status=503', 'throttle=2s' or 'drop' \
            to inject a fault into one request, or use --fault with --fault-rate for a share of all \
            requests. With --throttle 120/min the simulator throttles as Nexudus does: beyond the \
            rate it answers 409 with Retry-After. Stops cleanly on Ctrl-C or SIGTERM.
            """
    )

    @Option(help: "The address to listen on. Anything but loopback exposes the simulator to the network.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (\(OptionRanges.port.help); 0 picks a free one).", transform: OptionRanges.port.parse)
    var port = OptionRanges.port.standard

    @Option(
        name: .customLong("token-ttl"), help: ArgumentHelp("Lifetime of access tokens (\(OptionRanges.tokenTTL.help)).", valueName: "seconds"),
        transform: OptionRanges.tokenTTL.parse
    )
    var tokenTTL = OptionRanges.tokenTTL.standard

    @Option(help: ArgumentHelp("A fault to inject: latency=DURATION, status=CODE, throttle=DURATION, drop, or several joined by commas.", valueName: "fault"))
    var fault: String?

    @Option(
        name: .customLong("fault-rate"), help: ArgumentHelp("The share of requests that get --fault, from \(OptionRanges.faultRate.help).", valueName: "rate"),
        transform: OptionRanges.faultRate.parse
    )
    var faultRate = OptionRanges.faultRate.standard

    @Option(
        name: .customLong("fault-seed"), help: "Seed choosing which requests get --fault, to repeat a run exactly (\(OptionRanges.faultSeed.help)).",
        transform: OptionRanges.faultSeed.parse
    )
    var faultSeed = OptionRanges.faultSeed.standard

    @Option(help: ArgumentHelp("Answer 409 with Retry-After beyond this many requests per s, min or h (Nexudus documents 120/min).", valueName: "rate"), transform: SandboxRate.argument)
    var throttle: SandboxRate?

    @Flag(help: "Do not log requests to standard error.")
    var quiet = false

    @Option(help: ArgumentHelp("documented (the API documentation's data) or revised (as a later API release might answer: for drift checks).", valueName: "revision"))
    var revision: SandboxRevision = .documented

    func validate() throws {
        if let fault {
            do {
                _ = try SandboxFault(parsing: fault)
            } catch {
                throw ValidationError("--fault: \(error)")
            }
        }
    }

    func run() async throws {
        var plan: SandboxFaultPlan?
        if let fault {
            plan = SandboxFaultPlan(fault: try SandboxFault(parsing: fault), rate: faultRate, seed: faultSeed)
        }
        var configuration = SandboxServer.Configuration(
            host: host, port: port, tokenLifetime: .seconds(tokenTTL), faultPlan: plan, throttle: throttle, revision: revision
        )
        if !quiet {
            configuration.requestLog = { record in Console.error(Terminal.safe(record.description)) }
        }
        let banner = Self.banner(plan: plan, throttle: throttle, host: host)
        do {
            try await SandboxServer(configuration: configuration).run { url in
                Console.output(banner(url))
            }
        } catch let error as SandboxStartError {
            Console.error("nexsh sandbox: \(error)")
            throw ExitCode.failure
        }
        Console.error("nexsh sandbox: stopped")
    }

    static func banner(plan: SandboxFaultPlan?, throttle: SandboxRate? = nil, host: String) -> @Sendable (URL) -> String {
        var lines: [String] = []
        if !["127.0.0.1", "::1", "localhost"].contains(host) {
            lines.append("warning: listening on \(host) makes the simulator reachable from other machines")
        }
        if let plan {
            lines.append("faults: \(plan.fault) on \(Int((plan.rate * 100).rounded()))% of requests (seed \(plan.seed))")
        }
        if let throttle {
            lines.append("throttle: \(throttle); beyond it, 409 with Retry-After")
        }
        lines.append("sign in with:")
        for account in SandboxServer.signInDetails {
            let totp = account.totpCode.map { ", totp \($0)" } ?? ""
            let what = account.refusal.map { "sign-in answers \($0)" } ?? "profiles \(account.profiles)"
            lines.append("  \(account.email) / \(account.password)\(totp)  — \(what)")
        }
        let details = lines
        return { url in
            (["nexsh sandbox listening on \(url.absoluteString)  (Ctrl-C to stop)"] + details).joined(separator: "\n")
        }
    }
}

extension SandboxRevision: ExpressibleByArgument {}

extension SandboxRate {
    /// For `transform:`: a usage error that says what a rate looks like.
    @Sendable static func argument(_ text: String) throws -> SandboxRate {
        do {
            return try SandboxRate(parsing: text)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

import Foundation
import HTTPValues
import NexudusAPI
import ShellCore

struct LoginCommand: ShellCommand {
    let session: NexudusSession
    let name = "login"
    let examples = ["login jane.doe@example.com", "login jane.doe@example.com --password-env NEXSH_PASSWORD"]
    let summary = "Sign in: the token request, then the profiles request, as the portal does."
    let details = """
        Sends POST /api/token (password grant), then GET /api/public/coworkers/profiles, so the
        session knows the user and the active profile; the last response is the profiles answer.
        In a script the password comes from --password-env VAR (or --password, for throw-away
        sandbox passwords); interactively it is asked for with echo off. When replaying a
        cassette no real password is needed: the recorded one is redacted and matches any.
        On the built-in sandbox, --password-env VAR with VAR not set signs in with the account's
        published password, so that the bundled scripts run there as they are.
        """
    let signature = CommandSignature(
        positionals: [.init("email", help: "The account's e-mail address (asked for when missing, interactively).", isOptional: true)],
        options: [
            .init("password-env", value: "VAR", help: "Read the password from this environment variable."),
            .init(
                "password", value: "password", help: "The password itself (only for throw-away passwords: it is in the script).",
                secrecy: .secret(standIn: "--password-env NEXSH_PASSWORD")
            ),
            .init("totp", value: "code", help: "The two-factor code, for accounts that have it on.", secrecy: .secret(standIn: nil)),
            .init("client-id", value: "id", help: "The client_id header (the e-mail address by default)."),
            CommandSignature.json,
        ]
    )

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        // Only a person at the prompt can be asked for the address.
        if arguments.positionals.isEmpty, reading.origin == .script {
            throw reading.usageError(self, "missing <email> (a script has nobody to ask for it)", at: reading.end)
        }
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let email = try await emailAddress(invocation, context)
        let password = try await password(for: email, invocation, context)
        var totp = try invocation.option("totp")
        let client = session.client
        session.rememberPassword(password)
        do {
            do {
                let grant = try await client.login(email: email, password: password, totp: totp, clientId: try invocation.option("client-id"))
                context.received(grant.response, for: grant.request)
            } catch NexudusError.twoFactorRequired where totp == nil && context.prompter != nil {
                totp = await context.prompter?.readLine(prompt: "two-factor code: ")
                guard let totp, !totp.isEmpty else { throw ShellError.failed("sign-in cancelled: no two-factor code") }
                let grant = try await client.login(email: email, password: password, totp: totp, clientId: try invocation.option("client-id"))
                context.received(grant.response, for: grant.request)
            }
        } catch {
            throw shellError(error, invocation, context)
        }
        let profiles = try await call(invocation, context) { try await client.profiles() }
        if invocation.flag("json") {
            context.print(BodyRenderer.render(profiles.response, style: context.style))
        } else {
            context.print(Rendering.signedIn(profiles.value, style: context.style))
        }
    }

    private func emailAddress(_ invocation: Invocation, _ context: ShellContext) async throws -> String {
        if let email = try invocation.positional(0) { return email }
        if let prompter = context.prompter {
            guard let answer = await prompter.readLine(prompt: "email: ") else { throw Self.cancelled }
            let email = answer.trimmingCharacters(in: .whitespaces)
            if !email.isEmpty { return email }
        }
        throw invocation.usageError("missing <email>", usage: usage)
    }

    private func password(for email: String, _ invocation: Invocation, _ context: ShellContext) async throws -> String {
        if let password = try invocation.option("password") { return password }
        if let variable = try invocation.option("password-env") {
            if let value = context.variables["env.\(variable)"] { return value }
            if context.isReplaying { return Self.replayPassword }
            // The built-in sandbox publishes its accounts' passwords: the variable is only
            // needed for another server.
            if let published = session.sandboxPassword(for: email) { return published }
            throw ShellError.failed("login: the environment variable \(variable) is not set (it should hold the password)")
        }
        if context.isReplaying { return Self.replayPassword }
        if let prompter = context.prompter {
            guard let password = await prompter.readSecret(prompt: "password: ") else { throw Self.cancelled }
            return password
        }
        throw invocation.usageError("no password: give --password-env VAR (or --password)", usage: usage)
    }

    /// The person cancelled a question (Ctrl-C, Ctrl-D): nothing was sent.
    static let cancelled = ShellError.failed("login: cancelled")

    /// What a replay sends: the recorded password is redacted and matches any value.
    static let replayPassword = "replayed-without-a-password"
}

struct LogoutCommand: ShellCommand {
    let session: NexudusSession
    let name = "logout"
    let examples = ["logout"]
    let summary = "Forget the session's token (nothing is sent: the API has no sign-out)."
    let signature = CommandSignature()

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let wasSignedIn = session.client.session != nil
        await session.client.logout()
        context.print(wasSignedIn ? "signed out" : "not signed in")
    }
}

struct WhoamiCommand: ShellCommand {
    let session: NexudusSession
    let name = "whoami"
    let examples = ["whoami --json"]
    let summary = "Show who is signed in: user, default business, active profile (from the last profiles answer; nothing is sent)."
    let signature = CommandSignature(options: [CommandSignature.json])

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        guard session.client.session != nil else {
            context.print("not signed in")
            return
        }
        guard let answer = await session.client.knownProfilesAnswer else {
            context.print("signed in as \(session.client.session?.email ?? "?") (run profiles to see the account)")
            return
        }
        if invocation.flag("json") {
            // The answer as received, like every other --json: the server's member order, nulls kept.
            context.print(BodyRenderer.render(answer.response, style: context.style))
        } else {
            context.print(Rendering.whoami(answer.value, server: session.serverDescription, style: context.style))
        }
    }
}

struct ServerCommand: ShellCommand {
    let session: NexudusSession
    let name = "server"
    let examples = ["server", "server https://yourspace.spaces.nexudus.com"]
    let summary = "Show the server, or talk to another one from now on (which signs out)."
    let signature = CommandSignature(positionals: [.init("url", help: "http:// or https:// base URL of the portal.", isOptional: true)])

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        guard let word = arguments.positionals.first, let text = word.literal, Self.baseURL(text) == nil else { return }
        throw reading.usageError(self, Self.notAURL(text), at: word.location)
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        guard let text = try invocation.positional(0) else {
            context.print(Terminal.safe(session.serverDescription))
            return
        }
        guard let url = Self.baseURL(text) else {
            throw invocation.usageError(Self.notAURL(text), at: invocation.arguments.positionals[0], usage: usage)
        }
        // Allowed only where nexsh starts (the shell, nexsh run): a script cannot allow itself.
        if !session.allowsPlainHTTP, let refusal = PlainHTTPPolicy.refusal(for: url, allowing: "start nexsh with --allow-http") {
            throw ShellError.failed("server: \(refusal)")
        }
        session.changeServer(to: url)
        context.forgetLastExchange()
        context.print("server: \(Terminal.safe(url.absoluteString)) (signed out)")
    }

    /// The portal `text` names, or nil when it is not an http:// or https:// URL with a host.
    static func baseURL(_ text: String) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else { return nil }
        return url
    }

    static func notAURL(_ text: String) -> String { "'\(text)' is not an http:// or https:// URL" }
}

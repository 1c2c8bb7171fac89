import Foundation
import HTTPValues
import NexudusAPI
import ShellCore

struct LoginCommand: ShellCommand {
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
        With --save (or NEXSH_SESSION=1) the tokens are kept for this server and address in
        $XDG_STATE_HOME/nexsh/sessions.json (else ~/.local/state/nexsh), mode 0600: the next
        nexsh on this server resumes the session without asking for the password; logout
        removes it. nexsh run uses a saved session only with --session.
        """
    static let email = OptionalPositional<String>("email", help: "The account's e-mail address (asked for when missing, interactively).")
    static let passwordVariable = ValueOption<String>("password-env", value: "VAR", help: "Read the password from this environment variable.")
    static let password = ValueOption<String>(
        "password", value: "password", help: "The password itself (only for throw-away passwords: it is in the script).",
        secrecy: .secret(standIn: "--password-env NEXSH_PASSWORD")
    )
    static let totp = ValueOption<String>("totp", value: "code", help: "The two-factor code, for accounts that have it on.", secrecy: .secret(standIn: nil))
    static let clientId = ValueOption<String>(
        "client-id", value: "id",
        help: "The client_id header of the sign-in and of every refresh (nexsh.<email> by default). The service keeps one refresh token per client_id: the portal's own, nexudus.portal.<email>, would sign the browser out."
    )
    static let save = FlagOption("save", help: "Keep the session for the next nexsh on this server (logout removes it).")
    static let signature = CommandSignature(email, passwordVariable, password, totp, clientId, save, Presentation.options)

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        // Only a person at the prompt can be asked for the address.
        if arguments.word(Self.email) == nil, reading.origin == .script {
            throw reading.usageError("missing <email> (a script has nobody to ask for it)", at: reading.end)
        }
    }

    /// A password typed at the prompt is read from `$NEXSH_PASSWORD` by a saved script.
    func savedLine(_ line: String, _ arguments: ParsedArguments) -> String {
        arguments.words(Self.password).isEmpty && arguments.words(Self.passwordVariable).isEmpty ? line + " --password-env NEXSH_PASSWORD" : line
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let session = context.nexudus
        let email = try await emailAddress(invocation, context)
        let password = try await password(for: email, invocation, context)
        var totp = try invocation[Self.totp]
        let clientId = try invocation[Self.clientId]
        let client = session.client
        session.rememberPassword(password)
        do {
            do {
                let grant = try await client.login(email: email, password: password, totp: totp, clientId: clientId)
                context.received(grant.response, for: grant.request)
            } catch NexudusError.twoFactorRequired where totp == nil && context.prompter != nil {
                totp = await context.prompter?.readLine(prompt: "two-factor code: ")
                guard let totp, !totp.isEmpty else { throw ShellError.failed("sign-in cancelled: no two-factor code") }
                let grant = try await client.login(email: email, password: password, totp: totp, clientId: clientId)
                context.received(grant.response, for: grant.request)
            }
        } catch {
            throw shellError(error, invocation, context)
        }
        // Kept before anything else is asked: the tokens are the sign-in, whatever follows.
        let kept = session.keepSignIn(asked: invocation[Self.save])
        let profiles = try await call(invocation, context) { try await client.profiles() }
        try show(profiles, invocation, context, Rendering.signedIn)
        if let kept { context.print(Terminal.safe(kept)) }
    }

    private func emailAddress(_ invocation: Invocation, _ context: ShellContext) async throws -> String {
        if let email = try invocation[Self.email] { return email }
        if let prompter = context.prompter {
            guard let answer = await prompter.readLine(prompt: "email: ") else { throw Self.cancelled }
            let email = answer.trimmingCharacters(in: .whitespaces)
            if !email.isEmpty { return email }
        }
        throw invocation.usageError("missing <email>")
    }

    private func password(for email: String, _ invocation: Invocation, _ context: ShellContext) async throws -> String {
        if let password = try invocation[Self.password] { return password }
        if let variable = try invocation[Self.passwordVariable] {
            if let value = context.variables["env.\(variable)"] { return value }
            if context.isReplaying { return Self.replayPassword }
            // The built-in sandbox publishes its accounts' passwords: the variable is only
            // needed for another server.
            if let published = context.nexudus.sandboxPassword(for: email) { return published }
            throw ShellError.failed("login: the environment variable \(variable) is not set (it should hold the password)")
        }
        if context.isReplaying { return Self.replayPassword }
        if let prompter = context.prompter {
            guard let password = await prompter.readSecret(prompt: "password: ") else { throw Self.cancelled }
            return password
        }
        throw invocation.usageError("no password: give --password-env VAR (or --password)")
    }

    /// The person cancelled a question (Ctrl-C, Ctrl-D): nothing was sent.
    static let cancelled = ShellError.failed("login: cancelled")

    /// What a replay sends: the recorded password is redacted and matches any value.
    static let replayPassword = "replayed-without-a-password"
}

struct LogoutCommand: ShellCommand {
    let name = "logout"
    let examples = ["logout"]
    let summary = "Forget the session's token (nothing is sent: the API has no sign-out)."
    static let signature = CommandSignature()

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let client = context.nexudus.client
        let signedIn = client.session
        let forgotten = signedIn.flatMap { context.nexudus.forgetSavedSession(of: $0.email) }
        await client.logout()
        context.print(signedIn != nil ? "signed out" : "not signed in")
        if let forgotten { context.print(Terminal.safe(forgotten)) }
    }
}

struct WhoamiCommand: ShellCommand {
    let name = "whoami"
    let examples = ["whoami --json"]
    let summary = "Show who is signed in: user, default business, active profile (from the last profiles answer; nothing is sent)."
    static let signature = CommandSignature(Presentation.options)
    let scriptable = false

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let session = context.nexudus
        guard session.client.session != nil else {
            context.print("not signed in")
            return
        }
        guard let answer = await session.client.knownProfilesAnswer else {
            context.print("signed in as \(Terminal.safe(session.client.session?.email ?? "?")) on \(Terminal.safe(session.serverDescription)) (run profiles to see the account)")
            return
        }
        // The answer as received, like every other --json: the server's member order, nulls kept.
        try show(answer, invocation, context) { Rendering.whoami($0, server: session.serverDescription, style: $1) }
    }
}

/// The commands of this file, in the order `help` lists them.
extension NexudusCommands {
    static let signingIn: [any ShellCommand] = [LoginCommand(), LogoutCommand(), WhoamiCommand()]
}

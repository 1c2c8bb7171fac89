import Foundation
import ShellCore
import HTTPValues
import NexudusAPI

struct ServerCommand: ShellCommand {
    let name = "server"
    let examples = ["server", "server coolspace", "server https://yourspace.spaces.nexudus.com"]
    let summary = "Show the server, or talk to another one from now on (which signs out)."
    static let portal = OptionalPositional<PortalURL>(
        "url", help: "http:// or https:// base URL of the portal, or a space name (coolspace: https://coolspace.spaces.nexudus.com)."
    )
    static let signature = CommandSignature(portal)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let session = context.nexudus
        guard let url = try invocation[Self.portal]?.url else {
            context.print(Terminal.safe(session.serverDescription))
            return
        }
        // Allowed only where nexsh starts (the shell, nexsh run): a script cannot allow itself.
        if !session.allowsPlainHTTP, let refusal = PlainHTTPPolicy.refusal(for: url, allowing: "start nexsh with --allow-http") {
            throw ShellError.failed("server: \(refusal)")
        }
        session.changeServer(to: url)
        context.forgetLastExchange()
        context.print("server: \(Terminal.safe(url.absoluteString)) (signed out)")
    }
}

/// A portal's base URL, as ``PortalAddress`` reads it: a URL or a space name.
struct PortalURL: ArgumentValue {
    let url: URL

    static func parse(_ text: String) throws(ArgumentError) -> PortalURL {
        do {
            return PortalURL(url: try PortalAddress.resolve(text))
        } catch {
            throw ArgumentError(error.description)
        }
    }
}

/// The commands of this file, in the order `help` lists them.
extension NexudusCommands {
    static let connection: [any ShellCommand] = [ServerCommand()]
}

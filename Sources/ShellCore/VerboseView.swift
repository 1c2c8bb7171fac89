import Foundation
import HTTPValues

/// `-v` (or `set verbose on`): while such a command runs, each exchange its requests make is
/// shown on the diagnostics stream as it completes: the request as sent, secrets as their
/// placeholders, then the status line and headers of its answer; the command's own rendering
/// follows. The session's transport reports every exchange here (``show(_:_:)``); the
/// dispatcher says whose command is verbose, for as long as it runs.
public enum VerboseView {
    @TaskLocal static var context: ShellContext?

    /// Whether the line asks for it, or the session does (`set verbose on`).
    static func isOn(for arguments: ParsedArguments, in context: ShellContext) -> Bool {
        arguments.has(Presentation.verbose) || context.variables[Presentation.verboseVariable] == "on"
    }

    /// One exchange of the command that runs now, when it is verbose.
    public static func show(_ request: HTTPRequest, _ response: HTTPResponse) {
        guard let context else { return }
        let style = context.style
        let shown: String
        do {
            shown = BodyRenderer.renderRequest(try context.redactedForShowing(request), style: style)
        } catch {
            shown = style.dim("(\(request.method.rawValue) request not shown: \(error))")
        }
        context.note(shown + "\n\n" + BodyRenderer.renderHead(response, style: style) + "\n")
    }
}

/// Runs command lines, typed or from a script: the same path for both.
public enum Dispatcher {
    /// Runs one resolved line. Every failure comes out as a ``ShellError``.
    public static func run(_ resolved: ResolvedLine, in context: ShellContext) async throws(ShellError) {
        do {
            let verbose = VerboseView.isOn(for: resolved.arguments, in: context) ? context : nil
            try await VerboseView.$context.withValue(verbose) {
                try await resolved.command.run(Invocation(resolved, variables: context.variables), in: context)
            }
        } catch {
            throw ShellError(error)
        }
    }

    /// Reads and runs one typed line (nothing, when it is blank or a comment), each of its
    /// commands in turn until one fails; `<command> --help` shows the command's help instead.
    public static func execute(text: String, in context: ShellContext, file: String = "<input>", line: Int = 1) async throws(ShellError) {
        let reading = Tokenizer.read(text, file: file, firstLine: line)
        if let mistake = reading.mistakes.first { throw mistake.error }
        for parsed in reading.lines { try await execute(parsed, in: context) }
    }

    private static func execute(_ parsed: ScriptLine, in context: ShellContext) async throws(ShellError) {
        if parsed.words.count > 1, parsed.words.dropFirst().contains(where: { $0.bareText == "--help" || $0.bareText == "-h" }),
            let name = parsed.commandName, let command = context.commands.command(named: name)
        {
            context.print(context.commands.helpText(for: command, style: context.style))
            return
        }
        try await run(try context.commands.resolve(parsed, origin: context.lineOrigin), in: context)
    }
}

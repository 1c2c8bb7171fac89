/// Runs command lines, typed or from a script: the same path for both.
public enum Dispatcher {
    /// Runs one line. Every failure comes out as a ``ShellError``.
    public static func execute(_ line: ScriptLine, in context: ShellContext) async throws(ShellError) {
        if line.words.count > 1, line.words.dropFirst().contains(where: { $0.bareText == "--help" || $0.bareText == "-h" }),
            let name = line.commandName, let command = context.commands.command(named: name)
        {
            context.print(command.helpText(width: context.style.columns))
            return
        }
        let (command, arguments) = try context.commands.resolve(line, origin: context.lineOrigin)
        let invocation = Invocation(command: command.name, line: line, arguments: arguments, variables: context.variables)
        do {
            try await command.run(invocation, in: context)
        } catch let error as ShellError {
            throw error
        } catch is CancellationError {
            throw .failed("cancelled")
        } catch {
            throw .failed(String(describing: error))
        }
    }

    /// Parses and runs one typed line; nil when the line is blank or a comment.
    public static func execute(text: String, in context: ShellContext, file: String = "<input>", line: Int = 1) async throws(ShellError) {
        guard let parsed = try Tokenizer.line(text, file: file, line: line) else { return }
        try await execute(parsed, in: context)
    }
}

import Foundation

/// Completion for a line being typed: command names first, then what the command's signature
/// says (flags, files, variables, choices), then what the command itself suggests.
public enum Completer {
    /// Candidates for the word that ends `text` (the text before the cursor). Each value is the
    /// whole word as it is to stand in the line, starting with the word as typed
    /// (``LineBeingTyped/wordSource``): quotes and escapes are kept, and what a candidate adds
    /// is escaped the same way (`my\ file.har`, or `"my file.har"` after an opening quote).
    public static func complete(_ text: String, in context: ShellContext) async -> [Completion] {
        let line = Tokenizer.lineBeingTyped(text)
        let source = line.wordSource
        if let variableStart = source.range(of: "${", options: .backwards), !source[variableStart.upperBound...].contains("}") {
            let partial = String(source[variableStart.upperBound...])
            let head = String(source[..<variableStart.upperBound])
            return context.variables.all.map(\.name).filter { $0.hasPrefix(partial) }.map { Completion(head + $0 + "}", appendsSpace: false) }
        }
        return await meanings(line, in: context).compactMap { written($0, as: line) }
    }

    /// The candidates as they read (`my file.har`), before they are written into the line.
    private static func meanings(_ line: LineBeingTyped, in context: ShellContext) async -> [Completion] {
        let previous = line.previousWords
        let prefix = line.word
        guard let name = previous.first else {
            return context.commands.names.filter { $0.hasPrefix(prefix) }.map {
                Completion($0, description: context.commands.command(named: $0)?.summary)
            }
        }
        guard let command = context.commands.command(named: name) else { return [] }
        let signature = command.signature
        let request = CompletionRequest(previousWords: previous, prefix: prefix)

        if let option = request.option(in: signature) {
            return await candidates(option.completion, request: request, command: command, context: context)
        }
        if prefix.hasPrefix("-") {
            let used = Set(previous.filter { $0.hasPrefix("--") })
            return signature.options.map { "--\($0.name)" }.filter { $0.hasPrefix(prefix) && !used.contains($0) }.map { flag in
                Completion(flag, description: signature.options.first { "--\($0.name)" == flag }?.help)
            }
        }
        let index = request.positionalIndex(in: signature)
        let positional = index < signature.positionals.count ? signature.positionals[index]
            : signature.positionals.last.flatMap { $0.isVariadic ? $0 : nil }
        guard let positional else {
            return signature.takesFreeWords ? await command.complete(request, in: context) : []
        }
        return await candidates(positional.completion, request: request, command: command, context: context)
    }

    private static func candidates(_ kind: CompletionKind, request: CompletionRequest, command: any ShellCommand, context: ShellContext) async -> [Completion] {
        let prefix = request.prefix
        switch kind {
        case .none: return []
        case .commands: return context.commands.names.filter { $0.hasPrefix(prefix) }.map { Completion($0) }
        case .variables: return context.variables.all.map(\.name).filter { $0.hasPrefix(prefix) }.map { Completion($0) }
        case .choices(let choices): return choices.filter { $0.hasPrefix(prefix) }.map { Completion($0) }
        case .files(let extensions): return files(matching: prefix, extensions: extensions)
        case .custom: return await command.complete(request, in: context).filter { $0.value.hasPrefix(prefix) }
        }
    }

    /// A candidate as it is to be written: the word as typed, then the rest of the candidate
    /// escaped as the word is, and the open quote closed after a complete word. Compared by
    /// Unicode scalars, so that what is added is exactly what the candidate has beyond the
    /// typed word; a candidate that does not extend it is not offered.
    static func written(_ candidate: Completion, as line: LineBeingTyped) -> Completion? {
        let typed = line.word.unicodeScalars
        guard candidate.value.unicodeScalars.starts(with: typed) else { return nil }
        let rest = String(String.UnicodeScalarView(candidate.value.unicodeScalars.dropFirst(typed.count)))
        var added = Tokenizer.escaped(rest, inside: line.openQuote)
        // A backslash typed last is waiting for its character: the one added takes it.
        if line.openQuote == nil, line.wordSource.reversed().prefix(while: { $0 == "\\" }).count % 2 == 1, added.hasPrefix("\\") {
            added.removeFirst()
        }
        let closing = candidate.appendsSpace ? line.openQuote.map(String.init) ?? "" : ""
        var written = candidate
        written.value = line.wordSource + added + closing
        return written
    }

    /// Folders, and files with one of `extensions`, whose path starts with `prefix` (a path as
    /// typed: `~/` stands for the home folder and stays in what is offered).
    static func files(matching prefix: String, extensions: [String]) -> [Completion] {
        if prefix == "~" { return [Completion("~/", appendsSpace: false)] }
        // The typed path up to its last slash names the folder, as typed; the rest starts a name.
        let slash = prefix.lastIndex(of: "/")
        let typedFolder = slash.map { String(prefix[...$0]) } ?? ""
        let partial = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
        let folder = typedFolder.isEmpty ? "./" : TypedPath.expandingHome(typedFolder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.sorted().filter { $0.hasPrefix(partial) && (!$0.hasPrefix(".") || partial.hasPrefix(".")) }.compactMap { name in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder + name, isDirectory: &isDirectory)
            if isDirectory.boolValue { return Completion(typedFolder + name + "/", appendsSpace: false) }
            let fileExtension = name.lastIndex(of: ".").map { String(name[name.index(after: $0)...]) }
            return extensions.isEmpty || fileExtension.map(extensions.contains) == true ? Completion(typedFolder + name) : nil
        }
    }
}

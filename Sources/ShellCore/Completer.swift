import Foundation

/// Completion for a line being typed: command names first, then what the command's signature
/// says (flags, files, variables, choices), then what the command itself suggests.
public enum Completer {
    /// Candidates for the word that ends `text` (the text before the cursor).
    public static func complete(_ text: String, in context: ShellContext) async -> [Completion] {
        let (previous, prefix) = split(text)
        if let variableStart = prefix.range(of: "${", options: .backwards), !prefix[variableStart.upperBound...].contains("}") {
            let partial = String(prefix[variableStart.upperBound...])
            let head = String(prefix[..<variableStart.upperBound])
            return context.variables.all.map(\.name).filter { $0.hasPrefix(partial) }.map { Completion(head + $0 + "}", appendsSpace: false) }
        }
        guard let name = previous.first else {
            return context.commands.names.filter { $0.hasPrefix(prefix) }.map {
                Completion($0, description: context.commands.command(named: $0)?.summary)
            }
        }
        guard let command = context.commands.command(named: name) else { return [] }
        let signature = command.signature
        let request = CompletionRequest(previousWords: previous, prefix: prefix)

        if let optionName = request.option, let option = signature.options.first(where: { $0.name == optionName }), !option.isFlag {
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

    /// Folders, and files with one of `extensions`, whose path starts with `prefix`.
    static func files(matching prefix: String, extensions: [String]) -> [Completion] {
        let expanded = prefix.hasPrefix("~/") ? NSHomeDirectory() + prefix.dropFirst() : prefix
        let directory = expanded.hasSuffix("/") ? expanded : (expanded as NSString).deletingLastPathComponent
        let partial = expanded.hasSuffix("/") ? "" : (expanded as NSString).lastPathComponent
        let shownDirectory = prefix.hasSuffix("/") ? prefix : (prefix as NSString).deletingLastPathComponent
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory) else { return [] }
        return names.sorted().filter { $0.hasPrefix(partial) && (!$0.hasPrefix(".") || partial.hasPrefix(".")) }.compactMap { name in
            let path = (directory.isEmpty ? "" : directory + (directory.hasSuffix("/") ? "" : "/")) + name
            let shown = shownDirectory.isEmpty ? name : shownDirectory + (shownDirectory.hasSuffix("/") ? "" : "/") + name
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if isDirectory.boolValue { return Completion(shown + "/", appendsSpace: false) }
            return extensions.isEmpty || extensions.contains((name as NSString).pathExtension) ? Completion(shown) : nil
        }
    }

    /// The words before the cursor and the partial word at it (quotes are not interpreted:
    /// completion works on what is visible).
    static func split(_ text: String) -> ([String], String) {
        var words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if text.isEmpty || text.hasSuffix(" ") { return (words, "") }
        let prefix = words.removeLast()
        return (words, prefix)
    }
}

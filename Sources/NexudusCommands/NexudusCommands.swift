import Foundation
import HTTPValues
import ShellCore

/// The Nexudus commands, registered into a command table beside the built-in ones. Each file of
/// commands lists its own; this says in which order `help` shows the groups.
public enum NexudusCommands {
    public static let all: [any ShellCommand] =
        signingIn + portal + location + activity + requests + catalogue + cassettes + connection

    /// The whole language: the built-in commands and the Nexudus ones. Commands hold no
    /// session: they find it in the context they run in (``ShellContext/service(_:)``), so this
    /// one table reads and checks lines for every session, and for none.
    public static let table = table(adding: [])

    /// The language with `extra` commands (the interactive shell's own) after the others.
    public static func table(adding extra: [any ShellCommand]) -> CommandTable {
        var table = CommandTable()
        table.helpTopics = EndpointHelpTopics()
        for command in all + BuiltinCommands.all + extra {
            // Names are fixed in code and unique; a clash is a programming error the tests catch.
            try! table.register(command)
        }
        return table
    }

    /// Finds the language's words that hold secrets, for text bound for a file (history, a
    /// saved script, a bundle, a report); `knownValues` (the session's password and tokens)
    /// are taken out wherever they appear.
    public static func secretWords(knownValues: [String] = []) -> SecretWords {
        SecretWords(table: table, knownValues: knownValues)
    }
}

extension NexudusSession {
    /// The language's secret words and every secret this session has held.
    public var secretWords: SecretWords { NexudusCommands.secretWords(knownValues: secretValues) }
}

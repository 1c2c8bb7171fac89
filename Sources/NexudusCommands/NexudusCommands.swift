import Foundation
import HTTPValues
import ShellCore

/// The Nexudus commands, registered into a command table beside the built-in ones.
public enum NexudusCommands {
    public static func all(session: NexudusSession) -> [any ShellCommand] {
        [
            LoginCommand(session: session), LogoutCommand(session: session), WhoamiCommand(session: session),
            ProfilesCommand(session: session), SwitchCommand(session: session), TeamsCommand(session: session),
            BenefitsCommand(session: session), TeamCommand(session: session), ContractCommand(session: session),
            RawRequestCommand(session: session, method: .get), RawRequestCommand(session: session, method: .put),
            RawRequestCommand(session: session, method: .post), RawRequestCommand(session: session, method: .delete),
            RecordCommand(session: session), ReplayCommand(session: session), CassetteCommand(session: session),
            ServerCommand(session: session),
        ]
    }

    /// The whole language, for reading and checking lines that run in another session (or
    /// never run): its commands hold a session that talks to nobody.
    public static let parsingTable = table(session: NexudusSession(baseURL: URL(string: "http://localhost")!, live: OfflineTransport()))

    /// Finds the language's words that hold secrets, for text bound for a file (history, a
    /// saved script, a bundle, a report); `knownValues` (the session's password and tokens)
    /// are taken out wherever they appear.
    public static func secretWords(knownValues: [String] = []) -> SecretWords {
        SecretWords(table: parsingTable, knownValues: knownValues)
    }

    /// The whole language: the built-in commands and the Nexudus ones.
    public static func table(session: NexudusSession) -> CommandTable {
        var table = CommandTable()
        for command in all(session: session) + BuiltinCommands.all {
            // Names are fixed in code and unique; a clash is a programming error the tests catch.
            try! table.register(command)
        }
        return table
    }
}

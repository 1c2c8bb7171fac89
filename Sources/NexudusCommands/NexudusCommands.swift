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

/// Help on what is not a command. ShellCore knows commands only; the API the commands talk to
/// knows more (the Nexudus commands know the endpoint catalogue). The app puts its topics in
/// the command table, the language every line is read in, so that `help` finds them both when a
/// line is checked (with no session at hand) and when it runs, and `<command> --help` adds the
/// same; ShellCore never learns what an endpoint is.
public protocol HelpTopics: Sendable {
    /// The help for `words` that are not one command's name (`GET /api/public/teams/55/profile`,
    /// `/api/public/bookings/my`), nil when they name nothing known here.
    func help(for words: [String], style: TextStyle) -> String?

    /// What follows a command's own help (the endpoint it calls), nil for nothing.
    func help(following command: any ShellCommand, style: TextStyle) -> String?

    /// Where to look when `words` name nothing: a short hint for the error.
    func hint(for words: [String]) -> String?
}

extension CommandTable {
    /// A command's help as `help <command>` and `<command> --help` show it: its own, then what
    /// the table's topics add.
    public func helpText(for command: any ShellCommand, style: TextStyle) -> String {
        let own = command.helpText(width: style.columns)
        guard let more = helpTopics?.help(following: command, style: style) else { return own }
        return own + "\n\n" + more
    }

    /// What `help` shows for `words`: one command's help, or a topic's; nil for neither.
    func explanation(of words: [String], style: TextStyle) -> String? {
        if words.count == 1, let command = command(named: words[0]) { return helpText(for: command, style: style) }
        return helpTopics?.help(for: words, style: style)
    }

    /// `no command 'slep' — did you mean 'sleep'?`, and the topics' hint.
    func nothingToExplain(_ words: [String]) -> String {
        var message = words.count == 1
            ? "no command '\(words[0])'" + (Suggestions.nearest(to: words[0], in: names).map { " — did you mean '\($0)'?" } ?? "")
            : "nothing to explain for '\(words.joined(separator: " "))'"
        if let hint = helpTopics?.hint(for: words) { message += " (\(hint))" }
        return message
    }
}

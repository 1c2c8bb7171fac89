/// The commands every session has, whatever the API: variables, expectations, the last
/// response, scripts, help. Each file of them lists its own; this says in which order `help`
/// shows the groups.
public enum BuiltinCommands {
    public static let all: [any ShellCommand] = variables + responses + flow
}

import ArgumentParser
import Foundation

/// Where `nexsh bundle create` and `nexsh cassette rerecord` record a script: `--server`, or
/// the built-in sandbox. One declaration for both, and one way to make the recording run.
struct RecordingTarget: ParsableArguments {
    @Option(help: "The Nexudus portal to record from: a URL or a space name (default: $NEXSH_SERVER, else the built-in sandbox).")
    var server: String?

    @Flag(help: "Use the built-in sandbox even when NEXSH_SERVER is set.")
    var sandbox = false

    /// The server named, or the usage error for a word that names none. Each command calls it
    /// from its own `validate()`, so that its checks keep their order.
    func serverURL() throws -> URL? {
        try server.map { try RunConfiguration.server($0) }
    }

    /// A run that records `script` into `recording`, every line run whatever fails before it.
    func recordingRun(
        of script: String, into recording: URL, variables: [VariableAssignment], connection: ConnectionSettings
    ) throws -> RunConfiguration {
        var configuration = RunConfiguration(scripts: [script], connection: connection)
        configuration.cassette = recording.path
        configuration.mode = .record
        configuration.keepGoing = true
        configuration.variables = variables
        configuration.server = try serverURL()
        configuration.usesSandbox = sandbox
        return configuration
    }
}

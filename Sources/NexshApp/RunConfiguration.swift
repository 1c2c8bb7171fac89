import ArgumentParser
import Foundation
import HTTPCassette
import NexudusAPI
import Sandbox

/// A run of scripts as asked for: what `nexsh run`, `nexsh bundle create` and commands piped
/// into the shell each build from their own options, and ``ScriptPlan`` works out.
struct RunConfiguration: Sendable {
    /// Where the run was asked for, so that its hints name the options that work there.
    enum Origin: Sendable {
        /// `nexsh run …` (and `nexsh bundle create`, which runs the script as it would).
        case runCommand
        /// Commands piped into the shell (`nexsh --replay C < script`), which runs them as
        /// `nexsh run -` does.
        case shellCommandLine
        /// `nexsh -c 'LINE'`: the line is the script.
        case oneShot
    }

    /// The built-in sandbox a run starts when it talks to no other server.
    struct SandboxSettings: Sendable {
        var port = OptionRanges.sandboxPort.standard
        var tokenLifetime = OptionRanges.tokenTTL.standard
        var revision = SandboxRevision.documented
        var throttle: SandboxRate?
    }

    /// Script files, bundles, folders of scripts, or `-` for standard input.
    var scripts: [String]
    /// The server named on the command line; else `$NEXSH_SERVER`, unless `usesSandbox`.
    var server: URL?
    /// The built-in sandbox even when `$NEXSH_SERVER` is set.
    var usesSandbox = false
    var sandbox = SandboxSettings()
    /// A cassette, or (for several scripts) a folder of them, as given.
    var cassette: String?
    /// Nil: replay with a cassette, passthrough without (a bundle: replay).
    var mode: RecordMode?
    var variables: [VariableAssignment] = []
    var reports: [ReportSpec] = []
    /// `--coverage FILE`: where the run's ``SuiteCoverage`` is written.
    var coverage: String?
    var keepGoing = false
    /// Scripts run at once.
    var jobs = OptionRanges.jobs.standard
    var shard: Shard?
    var allowRepeats = false
    /// Fail when a cassette has entries no request asked for.
    var strict = false
    /// `--session`: each script starts with the session saved for its server, and its sign-ins
    /// are kept; otherwise a run never reads or writes saved sessions, so replays stay hermetic.
    var usesSavedSession = false
    var connection: ConnectionSettings
    var origin = Origin.runCommand
    /// Where the summary lines go (and, unless on standard output, the scripts' errors and notes).
    var summary = SummaryStream.standardError
    /// `nexsh -c`'s text, run in place of `scripts`.
    var oneShotText: String?

    init(scripts: [String], connection: ConnectionSettings) {
        self.scripts = scripts
        self.connection = connection
    }

    /// What the sessions talk to unless a cassette answers everything.
    enum Target: Sendable {
        case sandbox(SandboxSettings)
        case server(URL)
    }

    /// The server named, else `$NEXSH_SERVER` (unless the sandbox was asked for), else the
    /// sandbox. A server that plain http:// would expose is a usage error.
    func target(environment: [String: String]) throws -> Target {
        let named = try server ?? (usesSandbox ? nil : Self.environmentServer(environment))
        try connection.check(server: named)
        guard let named else { return .sandbox(sandbox) }
        return .server(named)
    }

    /// The URL `--server` names, a URL or a space name, or the usage error for a word that
    /// names none.
    static func server(_ text: String) throws -> URL {
        do {
            return try PortalAddress.resolve(text)
        } catch {
            throw ValidationError("--server: \(error)")
        }
    }

    /// `$NEXSH_SERVER`, when it is set and not empty: a value that names no server is a usage
    /// error, not a silent fall back to the sandbox.
    static func environmentServer(_ environment: [String: String]) throws -> URL? {
        guard let text = environment["NEXSH_SERVER"], !text.isEmpty else { return nil }
        do {
            return try PortalAddress.resolve(text)
        } catch {
            throw ValidationError("NEXSH_SERVER: \(error)")
        }
    }

    /// The mode each script runs in (a bundle's is decided apart: it only replays or verifies).
    var scriptMode: RecordMode {
        mode ?? (cassette == nil ? .passthrough : .replay)
    }

    var cassetteOptions: CassetteOptions {
        CassetteOptions(allowRepeats: allowRepeats, strictUnused: strict)
    }

    /// What a replay miss tells the person to do, in the options they started the run with.
    var replayAdvice: ReplayAdvice {
        switch origin {
        case .runCommand: .run
        case .shellCommandLine, .oneShot: .shellCommandLine(cassette: cassette ?? "")
        }
    }
}

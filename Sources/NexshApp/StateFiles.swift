import Foundation
import NexudusCommands
import ShellCore

/// Where nexsh keeps what outlives a run, from the run's environment (``AppEnvironment``, so
/// that in-process runs keep separate homes): `$XDG_STATE_HOME/nexsh/`, or for the history the
/// older `~/.nexsh_history` and for saved sessions `~/.local/state/nexsh/`.
enum StateFiles {
    static var historyFile: URL {
        stateFolder.map { $0.appendingPathComponent("history") } ?? home.appendingPathComponent(".nexsh_history")
    }

    static var savedSessions: SavedSessions {
        let folder = stateFolder ?? home.appendingPathComponent(".local/state/nexsh")
        return SavedSessions(file: folder.appendingPathComponent("sessions.json"))
    }

    /// `NEXSH_SESSION=1`: every sign-in is kept, as `login --save` keeps one.
    static var keepsEveryLogin: Bool {
        AppEnvironment.current.variables["NEXSH_SESSION"] == "1"
    }

    /// Sign-ins kept in the saved-sessions file, warnings on standard error.
    static var keeping: SessionKeeping {
        // The stream of the run that starts the session, whichever task renews it later.
        let errors = AppEnvironment.current.standardError
        return .kept(store: savedSessions, everyLogin: keepsEveryLogin, warn: { errors.write(Terminal.safe($0) + "\n") })
    }

    private static var stateFolder: URL? {
        AppEnvironment.current.variables["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0).appendingPathComponent("nexsh") }
    }

    private static var home: URL {
        URL(fileURLWithPath: AppEnvironment.current.variables["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory())
    }
}

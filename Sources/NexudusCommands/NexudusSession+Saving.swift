import Foundation
import NexudusAPI
import ShellCore

/// Whether a session keeps its sign-ins between runs (``SavedSessions``), and if not, why (for
/// `login --save` to say).
public enum SessionKeeping: Sendable {
    /// Kept in `store`. `everyLogin` (`NEXSH_SESSION=1`): every sign-in, as with `login --save`.
    /// `warn` says in one line why the file could not be used.
    case kept(store: SavedSessions, everyLogin: Bool, warn: @Sendable (String) -> Void)
    /// `the built-in sandbox's sessions end with it`.
    case notKept(reason: String)
}

/// Saved sign-ins: which sessions are written, resumed and forgotten. A saved session's tokens
/// are the session's secrets like any other: held from the moment they are read or written, so
/// that no cassette, bundle, history or report holds them.
extension NexudusSession {
    public func keepSessions(_ keeping: SessionKeeping) {
        state.withLock { $0.keeping = keeping }
    }

    private var keeping: SessionKeeping { state.withLock { $0.keeping } }

    /// Takes up the newest session saved for this server; returns its address, or nil when none
    /// is saved, the session replays, or the file cannot be used (then warned). Nothing is sent:
    /// the first call that gets a 401 refreshes it, and the new pair is saved at once.
    public func resumeSavedSession() async -> String? {
        guard case .kept(let store, _, let warn) = keeping, !isReplaying else { return nil }
        do throws(SavedSessions.Problem) {
            guard let saved = try store.latest(for: baseURL) else { return nil }
            hold(Self.secrets(of: saved))
            await client.adopt(saved)
            return saved.email
        } catch {
            warn("warning: " + error.description)
            return nil
        }
    }

    /// After a sign-in: keeps it when asked (`login --save`, or every sign-in), or when this
    /// server and address have a saved session already, which the new one makes stale. Returns
    /// what to tell the person, if anything.
    func keepSignIn(asked: Bool) -> String? {
        guard let session = client.session else { return nil }
        switch keeping {
        case .notKept(let reason):
            return asked ? "note: the session is not saved: \(reason)" : nil
        case .kept(let store, let everyLogin, _):
            let wanted = asked || everyLogin
            if isReplaying { return wanted ? "note: the session is not saved: a replayed sign-in has no real tokens" : nil }
            do throws(SavedSessions.Problem) {
                // A file that cannot be read is replaced when asked to save, refused when it must be.
                let stale = (try? store.contains(server: baseURL, email: session.email)) ?? false
                guard wanted || stale else { return nil }
                hold(Self.secrets(of: session))
                try store.save(session, server: baseURL)
                return wanted ? "saved the session in \(store.file.path) (logout removes it)" : nil
            } catch {
                return "warning: the session was not saved: \(error.description)"
            }
        }
    }

    /// Forgets the saved session of `email` on this server (`logout`); returns what to tell the
    /// person, if anything.
    func forgetSavedSession(of email: String) -> String? {
        guard case .kept(let store, _, _) = keeping, !isReplaying else { return nil }
        do throws(SavedSessions.Problem) {
            return try store.remove(server: baseURL, email: email) ? "removed the saved session from \(store.file.path)" : nil
        } catch {
            return "warning: " + error.description
        }
    }

    /// A renewed pair replaces the saved one at once: the refresh token it was renewed with is
    /// dead.
    func savedSessionRenewed(_ renewed: NexudusClient.Session, on server: URL) {
        hold(Self.secrets(of: renewed))
        guard case .kept(let store, _, let warn) = keeping, !isReplaying else { return }
        do throws(SavedSessions.Problem) {
            if try store.contains(server: server, email: renewed.email) { try store.save(renewed, server: server) }
        } catch {
            warn("warning: the renewed session was not saved: " + error.description)
        }
    }

    /// A saved session the server no longer accepts is forgotten, so that the next run does not
    /// resume it.
    func savedSessionEnded(_ ended: NexudusClient.Session, on server: URL) {
        guard case .kept(let store, _, let warn) = keeping, !isReplaying else { return }
        do throws(SavedSessions.Problem) {
            try store.remove(server: server, email: ended.email, onlyIf: ended)
        } catch {
            warn("warning: " + error.description)
        }
    }
}

import Foundation
import NexudusAPI
import SecureFiles

/// Sign-ins kept between runs (`login --save`): the tokens per server and e-mail address, in
/// one small private file (mode 0600, in a folder of mode 0700), written and read only through
/// ``PrivateFile``. The file is JSON with a version, so that a later nexsh can tell it apart:
/// `{"version": 1, "sessions": [{"server", "email", "clientId", "accessToken", "refreshToken", "savedAt"}]}`.
public struct SavedSessions: Sendable {
    public let file: URL

    /// One saved sign-in.
    struct Entry: Codable, Sendable {
        var server: String
        var email: String
        var clientId: String
        var accessToken: String
        var refreshToken: String?
        /// When the pair was issued: the newest entry for a server is the one resumed.
        var savedAt: Date

        var session: NexudusClient.Session {
            NexudusClient.Session(email: email, accessToken: accessToken, refreshToken: refreshToken, clientId: clientId)
        }

        func isFor(server key: String, email other: String) -> Bool {
            server == key && email.lowercased() == other.lowercased()
        }
    }

    private struct Contents: Codable {
        var version: Int
        var sessions: [Entry]
    }

    static let version = 1
    /// A few sign-ins take a few kilobytes: anything far larger is not a file nexsh wrote.
    static let sizeLimit = 64 << 10
    /// The oldest sign-ins make room beyond this many.
    static let maximumEntries = 32

    public init(file: URL) {
        self.file = file
    }

    /// Why the file cannot be used: one line, for a warning.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    /// The newest session saved for `server`, if any.
    func latest(for server: URL) throws(Problem) -> NexudusClient.Session? {
        let key = Self.key(server)
        return try entries().filter { $0.server == key }.max { $0.savedAt < $1.savedAt }?.session
    }

    /// Whether a session of `email` on `server` is saved.
    func contains(server: URL, email: String) throws(Problem) -> Bool {
        let key = Self.key(server)
        return try entries().contains { $0.isFor(server: key, email: email) }
    }

    /// Saves `session` for its server and address, in place of the one saved before.
    func save(_ session: NexudusClient.Session, server: URL) throws(Problem) {
        let key = Self.key(server)
        var kept: [Entry]
        switch try readState() {
        case .entries(let entries): kept = entries
        // Nothing in it can be resumed: the new sign-in replaces it.
        case .unreadable: kept = []
        case .newerVersion: throw problem("it was written by a newer nexsh; it is left as it is")
        }
        kept.removeAll { $0.isFor(server: key, email: session.email) }
        kept.append(Entry(
            server: key, email: session.email, clientId: session.clientId, accessToken: session.accessToken,
            refreshToken: session.refreshToken, savedAt: Date()
        ))
        try write(Array(kept.suffix(Self.maximumEntries)))
    }

    /// Removes the session of `email` on `server`, and returns whether there was one. With
    /// `onlyIf`, only when the saved one is that very session (its refresh token).
    @discardableResult
    func remove(server: URL, email: String, onlyIf ended: NexudusClient.Session? = nil) throws(Problem) -> Bool {
        let key = Self.key(server)
        var kept = try entries()
        let before = kept.count
        kept.removeAll { entry in
            entry.isFor(server: key, email: email) && (ended.map { entry.accessToken == $0.accessToken || entry.refreshToken == $0.refreshToken } ?? true)
        }
        guard kept.count != before else { return false }
        if kept.isEmpty {
            do throws(SecureFileError) { try PrivateFile.remove(file.path) } catch { throw problem(error.reason) }
        } else {
            try write(kept)
        }
        return true
    }

    // MARK: The file

    private enum State {
        case entries([Entry])
        /// Not JSON, or not this shape.
        case unreadable
        case newerVersion
    }

    private func entries() throws(Problem) -> [Entry] {
        switch try readState() {
        case .entries(let entries): entries
        case .unreadable: throw problem("it is not a saved-sessions file nexsh can read")
        case .newerVersion: throw problem("it was written by a newer nexsh; it is ignored")
        }
    }

    private func readState() throws(Problem) -> State {
        let data: Data
        do throws(SecureFileError) {
            guard let read = try PrivateFile.read(file.path, limit: Self.sizeLimit, what: "saved sessions") else { return .entries([]) }
            data = read
        } catch {
            throw problem(error.reason)
        }
        struct Version: Decodable { var version: Int }
        guard let version = try? Self.decoder().decode(Version.self, from: data).version else { return .unreadable }
        guard version <= Self.version else { return .newerVersion }
        guard let contents = try? Self.decoder().decode(Contents.self, from: data) else { return .unreadable }
        return .entries(contents.sessions.filter { !$0.accessToken.isEmpty && !$0.email.isEmpty })
    }

    private func write(_ entries: [Entry]) throws(Problem) {
        let data: Data
        do {
            data = try Self.encoder().encode(Contents(version: Self.version, sessions: entries))
        } catch {
            throw problem("cannot encode it: \(error)")
        }
        do throws(SecureFileError) { try PrivateFile.write(data, to: file.path) } catch { throw problem(error.reason) }
    }

    private func problem(_ reason: String) -> Problem {
        Problem(description: "the saved sessions in \(file.path) cannot be used: \(reason)")
    }

    /// A server as the file names it: its URL without a trailing slash.
    static func key(_ server: URL) -> String {
        var text = server.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

import Foundation

/// The example JSON of the API documentation in `shared/seeds/`, copied verbatim, for tests
/// that check the models and the sandbox against the specification.
public enum SeedExamples {
    /// `GET /api/public/coworkers/profiles`.
    public static var profiles: Data { load("seed-profiles") }
    /// `PUT /api/public/coworkers/profiles/current`.
    public static var switchProfile: Data { load("seed-switch-profile") }
    /// The response schema the switch page shows, placeholders and error keys included.
    public static var switchProfileSchema: Data { load("seed-switch-profile-schema") }
    /// `GET /en/team/profiles?bookForTeam=true`.
    public static var teamProfiles: Data { load("seed-team-profiles") }

    private static func load(_ name: String) -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Seeds"),
            let data = try? Data(contentsOf: url)
        else {
            fatalError("the seed example \(name).json is missing from the NexshTesting resources")
        }
        return data
    }
}

/// Cassettes written by other record/replay tools (`shared/interop/`), copied verbatim.
public enum InteropCassettes {
    public static let harFiles = ["pollyjs-request-order.har", "pollyjs-rest-persister.har", "replay-fetchUser.har"]
    public static let vcrFiles = [
        "vcrpy-new-cassette.yaml", "vcrpy-gzip-requests.yaml", "govcr-json-content-type.yaml", "betamax-preserve-bytes.json",
    ]
    /// Of nexsh's own making, in the shapes those tools write, for what the real files lack: a
    /// sign-in captured by mitmproxy, raw password, bearer header and tokens included; and a vcrpy
    /// cassette of GETs with `body: null` and `body: ''`.
    public static let madeHere = ["mitmproxy-raw-secrets.har", "vcrpy-null-bodies.yaml"]

    public static func url(_ name: String) -> URL {
        let base = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        guard let url = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Interop") else {
            fatalError("the interop cassette \(name) is missing from the NexshTesting resources")
        }
        return url
    }
}

/// A folder for one test, removed when the body ends.
public func withTemporaryDirectory<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("nexsh-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}

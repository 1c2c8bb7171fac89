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

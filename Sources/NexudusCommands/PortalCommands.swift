import Foundation
import NexudusAPI
import ShellCore

struct ProfilesCommand: CatalogueCommand {
    let name = "profiles"
    let examples = ["profiles", "profiles --shape Profiles.Id,Profiles.FullName --json"]
    let request = Endpoint.profiles()
    var summary: String { summary("List the account's profiles, the active one marked") }
    let signature = CommandSignature(ShapeFields.option, FlagOption.json)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        try await showShaped(invocation, context, { try await context.nexudus.client.profiles(shape: $0) }, Rendering.profiles)
    }
}

struct SwitchCommand: ShellCommand {
    let name = "switch"
    let examples = ["switch 102"]
    let summary = "Make another profile the active one: the PUT, then (on success) the profiles request."
    let details = """
        Sends PUT /api/public/coworkers/profiles/current?coworkerId=N with any positive number
        (the server decides what belongs to the account), then GET /api/public/coworkers/profiles,
        whose answer becomes the last response.
        """
    static let coworkerId = Positional<ProfileID>("coworkerId", help: "The profile's id (Profiles[].Id).", completion: .custom)
    let signature = CommandSignature(coworkerId, FlagOption.json)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let coworkerId = try invocation[Self.coworkerId].value
        let result: NexudusClient.ProfileSwitch
        do {
            result = try await context.nexudus.client.switchProfile(to: coworkerId)
        } catch {
            throw shellError(error, invocation, context)
        }
        context.received(result.profiles.response, for: result.profiles.request)
        if invocation[FlagOption.json] {
            context.print(BodyRenderer.render(result.profiles.response, style: context.style))
        } else {
            let active = result.profiles.value.activeProfile
            context.print("switched to " + (active.map { Rendering.profileName($0) } ?? "profile \(coworkerId)"))
        }
    }

    /// The account's profiles, fetched when none are known yet.
    func complete(_ request: CompletionRequest, in context: ShellContext) async -> [Completion] {
        let client = context.nexudus.client
        var profiles = await client.knownProfiles
        if profiles == nil, client.session != nil {
            profiles = try? await client.profiles().value
        }
        return (profiles?.profiles ?? []).compactMap { profile in
            profile.id.map { Completion(String($0), description: Rendering.profileName(profile, withId: false)) }
        }
    }
}

struct TeamsCommand: CatalogueCommand {
    let name = "teams"
    let examples = ["teams --book"]
    let request = Endpoint.teamProfiles()
    var summary: String { summary("The active profile's teams, members and contracts") }
    static let book = FlagOption("book", help: "Only teams the profile can book for (bookForTeam=true).")
    let signature = CommandSignature(book, ShapeFields.option, FlagOption.json)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let book = invocation[Self.book]
        try await showShaped(invocation, context, { try await context.nexudus.client.teamProfiles(bookForTeam: book, shape: $0) }) {
            Rendering.teamProfiles($0, bookable: book, style: $1)
        }
    }
}

struct BenefitsCommand: CatalogueCommand {
    let name = "benefits"
    let examples = ["benefits"]
    let request = Endpoint.benefits()
    var summary: String { summary("The active profile's plan benefits") }
    let signature = CommandSignature(FlagOption.json)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        show(try await call(invocation, context) { try await context.nexudus.client.benefits() }, invocation, context, Rendering.benefits)
    }
}

struct TeamCommand: ShellCommand {
    let name = "team"
    let examples = ["team 55"]
    let summary = "One team's profile (GET /api/public/teams/{id}/profile)."
    static let id = Positional<TeamID>("id", help: "The team's id.", completion: .custom)
    let signature = CommandSignature(id, FlagOption.json)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let id = try invocation[Self.id].value
        show(try await call(invocation, context) { try await context.nexudus.client.team(id: id) }, invocation, context, Rendering.team)
    }

    /// The teams of the active profile.
    func complete(_ request: CompletionRequest, in context: ShellContext) async -> [Completion] {
        let client = context.nexudus.client
        guard client.session != nil, let teams = try? await client.myTeams().value.records else { return [] }
        return teams.compactMap { team in team.id.map { Completion(String($0), description: team.name) } }
    }
}

struct ContractCommand: ShellCommand {
    let name = "contract"
    let examples = ["contract 5001"]
    let summary = "One plan contract (GET /api/public/billing/coworkerContracts/{id})."
    static let id = Positional<ContractID>("id", help: "The contract's id.")
    let signature = CommandSignature(id, FlagOption.json)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let id = try invocation[Self.id].value
        show(try await call(invocation, context) { try await context.nexudus.client.contract(id: id) }, invocation, context, Rendering.contract)
    }
}

/// The commands of this file, in the order `help` lists them.
extension NexudusCommands {
    static let portal: [any ShellCommand] = [
        ProfilesCommand(), SwitchCommand(), TeamsCommand(), BenefitsCommand(), TeamCommand(), ContractCommand(),
    ]
}

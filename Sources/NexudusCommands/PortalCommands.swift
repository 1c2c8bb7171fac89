import Foundation
import NexudusAPI
import ShellCore

struct ProfilesCommand: ShellCommand {
    let session: NexudusSession
    let name = "profiles"
    let examples = ["profiles", "profiles --shape Profiles.Id,Profiles.FullName --json"]
    let summary = "List the account's profiles, the active one marked (GET /api/public/coworkers/profiles)."
    let signature = CommandSignature(options: [.shape, CommandSignature.json])

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let shape = shapeList(try invocation.option("shape"))
        let answer = try await call(invocation, context) { try await session.client.profiles(shape: shape) }
        show(answer, invocation, context, raw: shape != nil, Rendering.profiles)
    }
}

struct SwitchCommand: ShellCommand {
    let session: NexudusSession
    let name = "switch"
    let examples = ["switch 102"]
    let summary = "Make another profile the active one: the PUT, then (on success) the profiles request."
    let details = """
        Sends PUT /api/public/coworkers/profiles/current?coworkerId=N with any positive number
        (the server decides what belongs to the account), then GET /api/public/coworkers/profiles,
        whose answer becomes the last response.
        """
    let signature = CommandSignature(
        positionals: [.init("coworkerId", help: "The profile's id (Profiles[].Id).", completion: .custom)],
        options: [CommandSignature.json]
    )

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        try checkPositiveNumber(arguments.positionals[0], what: "a profile id", command: name, line: reading.line, usage: usage)
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let coworkerId = try positiveNumber(invocation, at: 0, what: "a profile id", usage: usage)
        let result: NexudusClient.ProfileSwitch
        do {
            result = try await session.client.switchProfile(to: coworkerId)
        } catch {
            throw shellError(error, invocation, context)
        }
        context.received(result.profiles.response, for: result.profiles.request)
        if invocation.flag("json") {
            context.print(BodyRenderer.render(result.profiles.response, style: context.style))
        } else {
            let active = result.profiles.value.activeProfile
            context.print("switched to " + (active.map { Rendering.profileName($0) } ?? "profile \(coworkerId)"))
        }
    }

    /// The account's profiles, fetched when none are known yet.
    func complete(_ request: CompletionRequest, in context: ShellContext) async -> [Completion] {
        var profiles = await session.client.knownProfiles
        if profiles == nil, session.client.session != nil {
            profiles = try? await session.client.profiles().value
        }
        return (profiles?.profiles ?? []).compactMap { profile in
            profile.id.map { Completion(String($0), description: Rendering.profileName(profile, withId: false)) }
        }
    }
}

struct TeamsCommand: ShellCommand {
    let session: NexudusSession
    let name = "teams"
    let examples = ["teams --book"]
    let summary = "The active profile's teams, members and contracts (GET /en/team/profiles)."
    let signature = CommandSignature(options: [
        .init("book", help: "Only teams the profile can book for (bookForTeam=true)."), .shape, CommandSignature.json,
    ])

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let shape = shapeList(try invocation.option("shape"))
        let book = invocation.flag("book")
        let answer = try await call(invocation, context) { try await session.client.teamProfiles(bookForTeam: book, shape: shape) }
        show(answer, invocation, context, raw: shape != nil) { Rendering.teamProfiles($0, bookable: book, style: $1) }
    }
}

struct BenefitsCommand: ShellCommand {
    let session: NexudusSession
    let name = "benefits"
    let examples = ["benefits"]
    let summary = "The active profile's plan benefits (GET /api/public/coworkers/profiles/current/benefits)."
    let signature = CommandSignature(options: [CommandSignature.json])

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        show(try await call(invocation, context) { try await session.client.benefits() }, invocation, context, Rendering.benefits)
    }
}

struct TeamCommand: ShellCommand {
    let session: NexudusSession
    let name = "team"
    let examples = ["team 55"]
    let summary = "One team's profile (GET /api/public/teams/{id}/profile)."
    let signature = CommandSignature(
        positionals: [.init("id", help: "The team's id.", completion: .custom)], options: [CommandSignature.json]
    )

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        try checkPositiveNumber(arguments.positionals[0], what: "a team id", command: name, line: reading.line, usage: usage)
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let id = try positiveNumber(invocation, at: 0, what: "a team id", usage: usage)
        show(try await call(invocation, context) { try await session.client.team(id: id) }, invocation, context, Rendering.team)
    }

    /// The teams of the active profile.
    func complete(_ request: CompletionRequest, in context: ShellContext) async -> [Completion] {
        guard session.client.session != nil, let teams = try? await session.client.myTeams().value.records else { return [] }
        return teams.compactMap { team in team.id.map { Completion(String($0), description: team.name) } }
    }
}

struct ContractCommand: ShellCommand {
    let session: NexudusSession
    let name = "contract"
    let examples = ["contract 5001"]
    let summary = "One plan contract (GET /api/public/billing/coworkerContracts/{id})."
    let signature = CommandSignature(positionals: [.init("id", help: "The contract's id.")], options: [CommandSignature.json])

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        try checkPositiveNumber(arguments.positionals[0], what: "a contract id", command: name, line: reading.line, usage: usage)
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let id = try positiveNumber(invocation, at: 0, what: "a contract id", usage: usage)
        show(try await call(invocation, context) { try await session.client.contract(id: id) }, invocation, context, Rendering.contract)
    }
}

import Foundation
import NexudusAPI
import ShellCore

struct ProfilesCommand: CatalogueCommand {
    let name = "profiles"
    let examples = ["profiles", "profiles --shape Profiles.Id,Profiles.FullName --json"]
    static let request = Endpoint.profiles()
    var summary: String { summary("List the account's profiles, the active one marked") }
    static let signature = CommandSignature(ShapeFields.option, Presentation.options)

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
    static let signature = CommandSignature(coworkerId, Presentation.options)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let coworkerId = try invocation[Self.coworkerId].value
        let result: NexudusClient.ProfileSwitch
        do {
            result = try await context.nexudus.client.switchProfile(to: coworkerId)
        } catch {
            throw shellError(error, invocation, context)
        }
        context.received(result.profiles.response, for: result.profiles.request)
        try show(result.profiles, invocation, context) { profiles, _ in
            "switched to " + (profiles.activeProfile.map { Rendering.profileName($0) } ?? "profile \(coworkerId)")
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
    static let request = Endpoint.teamProfiles()
    var summary: String { summary("The active profile's teams, members and contracts") }
    static let book = FlagOption("book", help: "Only teams the profile can book for (bookForTeam=true).")
    static let signature = CommandSignature(book, ShapeFields.option, Presentation.options)

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
    static let request = Endpoint.benefits()
    var summary: String { summary("The active profile's plan benefits") }
    static let signature = CommandSignature(Presentation.options)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        try show(try await call(invocation, context) { try await context.nexudus.client.benefits() }, invocation, context, Rendering.benefits)
    }
}

struct TeamCommand: ShellCommand {
    let name = "team"
    let examples = ["team 55", "team add-member 55 ada@example.com grace@example.com"]
    let summary = "One team's profile (GET /api/public/teams/{id}/profile); team add-member adds people to it (POST …/members)."
    let details = """
        team add-member sends POST /api/public/teams/{teamId}/members with the addresses as a JSON
        array. The request is shown before it goes; at a terminal it is sent only when you answer
        y (or with --yes). The server's message says what happened; a refusal under HTTP 200
        (WasSuccessful false, someone already a member) is a failed request.
        """
    enum Action: String, ActionWord { case addMember = "add-member" }
    static let id = Positional<ShownOrAction<TeamID, Action>>(
        "id", help: "The team's id; or add-member, then <teamId> and the addresses.", completion: .custom
    )
    static let teamId = OptionalPositional<TeamID>("teamId", help: "With add-member: the team to add people to.", completion: .custom)
    static let emails = VariadicPositional<EmailAddress>("email", help: "With add-member: each e-mail address to add.", isOptional: true)
    static let signature = CommandSignature(id, teamId, emails, Write.yes, Presentation.options)
    var usage: String { "team <id> [--json] [-o <format>] [-v] | team add-member <teamId> <email>... [--yes] [--json] [-o <format>] [-v]" }

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        let first = arguments.word(Self.id)
        let action = ShownOrAction<TeamID, Action>.literalAction(first)
        try Write.checkYes(arguments, isWrite: action != nil || first.literal == nil, in: reading)
        let rest = arguments.words(Self.emails)
        if action == nil, first.literal != nil, let extra = arguments.word(Self.teamId) {
            throw reading.usageError("unexpected argument '\(extra.source)'", at: extra.location)
        }
        if action != nil, arguments.word(Self.teamId) == nil || rest.isEmpty {
            throw reading.usageError(arguments.word(Self.teamId) == nil ? "missing <teamId>" : "missing <email>", at: reading.end)
        }
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        switch try invocation[Self.id] {
        case .shown(let team):
            guard invocation.arguments.word(Self.teamId) == nil else { throw invocation.usageError("team <id> takes no more words") }
            try show(try await call(invocation, context) { try await context.nexudus.client.team(id: team.value) }, invocation, context, Rendering.team)
        case .action(.addMember):
            let emails = try invocation[Self.emails].map(\.text)
            guard let team = try invocation[Self.teamId], !emails.isEmpty else { throw invocation.usageError("missing <teamId> or <email>") }
            try await Write.send(.addTeamMembers(teamId: team.value, emails: emails), invocation, context)
        }
    }

    /// The teams of the active profile, for an id; add-member too, as the first word.
    func complete(_ request: CompletionRequest, in context: ShellContext) async -> [Completion] {
        let index = request.positionalIndex(in: signature)
        guard index == 0 || (index == 1 && request.previousWords.contains(Action.addMember.rawValue)) else { return [] }
        let client = context.nexudus.client
        let action = index == 0 ? [Completion(Action.addMember.rawValue, description: "add people to a team")] : []
        guard client.session != nil, let teams = try? await client.myTeams().value.records else { return action }
        return action + teams.compactMap { team in team.id.map { Completion(String($0), description: team.name) } }
    }
}

struct ContractCommand: ShellCommand {
    let name = "contract"
    let examples = ["contract 5001", "contract pause 5001", "contract resume 5001 --yes"]
    let summary = "One plan contract (GET /api/public/billing/coworkerContracts/{id}); contract pause|resume <id> pauses or resumes it."
    let details = """
        contract pause and contract resume send PUT /api/public/billing/coworkerContracts/v2/{id}/pause
        (or /resume). The request is shown before it goes; at a terminal it is sent only when you
        answer y (or with --yes). Pausing a paused contract is refused under HTTP 200
        (WasSuccessful false): a failed request, with the server's message.
        """
    enum Action: String, ActionWord { case pause, resume }
    static let id = Positional<ShownOrAction<ContractID, Action>>("id", help: "The contract's id; or pause or resume, then <contractId>.")
    static let contractId = OptionalPositional<ContractID>("contractId", help: "With pause or resume: the contract.")
    static let signature = CommandSignature(id, contractId, Write.yes, Presentation.options)
    var usage: String { "contract <id> [--json] [-o <format>] [-v] | contract pause|resume <contractId> [--yes] [--json] [-o <format>] [-v]" }

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        let first = arguments.word(Self.id)
        let action = ShownOrAction<ContractID, Action>.literalAction(first)
        try Write.checkYes(arguments, isWrite: action != nil || first.literal == nil, in: reading)
        if action == nil, first.literal != nil, let extra = arguments.word(Self.contractId) {
            throw reading.usageError("unexpected argument '\(extra.source)'", at: extra.location)
        }
        if action != nil, arguments.word(Self.contractId) == nil {
            throw reading.usageError("missing <contractId>", at: reading.end)
        }
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        switch try invocation[Self.id] {
        case .shown(let contract):
            guard invocation.arguments.word(Self.contractId) == nil else { throw invocation.usageError("contract <id> takes no more words") }
            try show(
                try await call(invocation, context) { try await context.nexudus.client.contract(id: contract.value) }, invocation, context,
                Rendering.contract
            )
        case .action(let action):
            guard let contract = try invocation[Self.contractId] else { throw invocation.usageError("missing <contractId>") }
            let id = contract.value
            try await Write.send(action == .pause ? .pauseContract(id: id) : .resumeContract(id: id), invocation, context)
        }
    }
}

/// The commands of this file, in the order `help` lists them.
extension NexudusCommands {
    static let portal: [any ShellCommand] = [
        ProfilesCommand(), SwitchCommand(), TeamsCommand(), BenefitsCommand(), TeamCommand(), ContractCommand(),
    ]
}

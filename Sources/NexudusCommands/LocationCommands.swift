import Foundation
import NexudusAPI
import ShellCore

struct BusinessCommand: CatalogueCommand {
    let name = "business"
    let examples = ["business", "business --shape Name,TimeZone --json"]
    static let request = Endpoint.currentBusiness()
    var summary: String { summary("The current location: name, web address, time zone, currency") }
    static let signature = CommandSignature(ShapeFields.option, Presentation.options)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        try await showShaped(invocation, context, { try await context.nexudus.client.currentBusiness(shape: $0) }, Rendering.business)
    }
}

struct PlansCommand: ListCommand {
    let name = "plans"
    let noun = "plans"
    let examples = ["plans", "plans --shape Id,Name --json", "plans cancel 5001"]
    var summary: String { summary("The active profile's plans, with price and next invoice") + " plans cancel <contractId> cancels one." }
    let details = """
        plans cancel sends POST /api/public/plans/cancel with {"CoworkerContractId": <id>}. The
        request is shown before it goes; at a terminal it is sent only when you answer y (or with
        --yes). The plan ends with its billing period: plans shows the day it ends.
        """
    enum Action: String, ActionWord { case cancel }
    static let action = OptionalPositional<Action>("action", help: "cancel, then <contractId>.")
    static let contractId = OptionalPositional<ContractID>("contractId", help: "With cancel: the plan's contract id (plans lists them).")
    static let filters: [any ArgumentDeclaration] = [action, contractId, Write.yes]
    static let request = Endpoint.myPlans()
    static let signature = listSignature
    var usage: String { "plans [--all] [--shape <A,B>] [--json] [-o <format>] [-v] | plans cancel <contractId> [--yes] [--json] [-o <format>] [-v]" }

    func validateFilters(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        let isWrite = arguments.word(Self.action) != nil
        try Write.checkYes(arguments, isWrite: isWrite, in: reading)
        guard isWrite else { return }
        if arguments.word(Self.contractId) == nil { throw reading.usageError("missing <contractId>", at: reading.end) }
        if !arguments.words(ShapeFields.option).isEmpty || arguments.has(ListPaging.allAtOnce) {
            throw reading.usageError("--shape and --all go with the list, not with cancel", at: reading.end)
        }
    }

    func endpoint(_ invocation: Invocation, shape: [String]?) -> Endpoint { .myPlans(shape: shape) }

    func table(_ records: [Plan], _ invocation: Invocation, style: TextStyle) -> String {
        Rendering.plans(records, style: style)
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        guard try invocation[Self.action] == .cancel else { return try await showList(invocation, context) }
        guard let contract = try invocation[Self.contractId] else { throw invocation.usageError("missing <contractId>") }
        try await Write.send(.cancelPlan(contractId: contract.value), invocation, context)
    }
}

struct BookingsCommand: ListCommand {
    let name = "bookings"
    let noun = "bookings"
    let examples = ["bookings", "bookings --shape Id,ResourceName,FromTime --json"]
    var summary: String { summary("The active profile's bookings of the location's resources") }
    static let filters: [any ArgumentDeclaration] = []
    static let request = Endpoint.myBookings()
    static let signature = listSignature

    func endpoint(_ invocation: Invocation, shape: [String]?) -> Endpoint { .myBookings(shape: shape) }

    func table(_ records: [Booking], _ invocation: Invocation, style: TextStyle) -> String {
        Rendering.bookings(records, style: style)
    }
}

struct ProfileCommand: CatalogueCommand {
    let name = "profile"
    let examples = ["profile", "profile --shape FullName,Email --json"]
    static let request = Endpoint.editableProfile()
    var summary: String { summary("The active profile's editable fields") }
    static let signature = CommandSignature(ShapeFields.option, Presentation.options)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        try await showShaped(invocation, context, { try await context.nexudus.client.editableProfile(shape: $0) }, Rendering.editableProfile)
    }
}

/// The commands of this file, in the order `help` lists them.
extension NexudusCommands {
    static let location: [any ShellCommand] = [BusinessCommand(), PlansCommand(), BookingsCommand(), ProfileCommand()]
}

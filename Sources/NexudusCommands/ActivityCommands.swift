import Foundation
import NexudusAPI
import ShellCore

struct InvoicesCommand: CatalogueCommand {
    let name = "invoices"
    let examples = ["invoices --unpaid", "invoices --credit-notes --json"]
    let request = Endpoint.invoices()
    var summary: String { summary("The active profile's invoices, the newest first") }
    static let paid = FlagOption("paid", help: "Only paid invoices (paid=true).")
    static let unpaid = FlagOption("unpaid", help: "Only unpaid invoices (paid=false).")
    static let creditNotes = FlagOption("credit-notes", help: "Only credit notes (creditNotes=true).")
    let signature = CommandSignature(paid, unpaid, creditNotes, ShapeFields.option, FlagOption.json)

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        guard arguments.has(Self.paid), arguments.has(Self.unpaid) else { return }
        let second = reading.line.words.last { ["--paid", "--unpaid"].contains($0.source) }
        throw reading.usageError(
            "--paid and --unpaid exclude each other (give neither for both)", at: second?.location ?? reading.end
        )
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let paid: Bool? = invocation[Self.paid] ? true : invocation[Self.unpaid] ? false : nil
        let creditNotes = invocation[Self.creditNotes]
        try await showShaped(invocation, context, {
            try await context.nexudus.client.invoices(paid: paid, creditNotes: creditNotes, shape: $0)
        }, Rendering.invoices)
    }
}

struct EventsCommand: CatalogueCommand {
    let name = "events"
    let examples = ["events --upcoming"]
    let request = Endpoint.events()
    var summary: String { summary("The events the active profile attends, first page") }
    static let upcoming = FlagOption("upcoming", help: "Only events still to come (showUpcoming=true).")
    let signature = CommandSignature(upcoming, ShapeFields.option, FlagOption.json)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let upcoming = invocation[Self.upcoming]
        try await showShaped(invocation, context, { try await context.nexudus.client.events(upcoming: upcoming, shape: $0) }) {
            Rendering.events($0, upcoming: upcoming, style: $1)
        }
    }
}

struct VisitorsCommand: CatalogueCommand {
    let name = "visitors"
    let examples = ["visitors --upcoming"]
    let request = Endpoint.visitors()
    var summary: String { summary("The visitors the active profile hosts") }
    static let upcoming = FlagOption("upcoming", help: "Only visitors still expected (showUpcoming=true).")
    let signature = CommandSignature(upcoming, ShapeFields.option, FlagOption.json)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let upcoming = invocation[Self.upcoming]
        try await showShaped(invocation, context, { try await context.nexudus.client.visitors(upcoming: upcoming, shape: $0) }) {
            Rendering.visitors($0, upcoming: upcoming, style: $1)
        }
    }
}

struct DeliveriesCommand: CatalogueCommand {
    let name = "deliveries"
    let examples = ["deliveries --pending"]
    let request = Endpoint.deliveries()
    var summary: String { summary("The active profile's parcels, the newest first, first page") }
    static let pending = FlagOption("pending", help: "Only parcels still waiting to be collected (showPending=true).")
    let signature = CommandSignature(pending, ShapeFields.option, FlagOption.json)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        let pending = invocation[Self.pending]
        try await showShaped(invocation, context, { try await context.nexudus.client.deliveries(pending: pending, shape: $0) }) {
            Rendering.deliveries($0, pending: pending, style: $1)
        }
    }
}

/// The commands of this file, in the order `help` lists them.
extension NexudusCommands {
    static let activity: [any ShellCommand] = [InvoicesCommand(), EventsCommand(), VisitorsCommand(), DeliveriesCommand()]
}

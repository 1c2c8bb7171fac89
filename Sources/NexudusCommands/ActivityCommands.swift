import Foundation
import NexudusAPI
import ShellCore

struct InvoicesCommand: ListCommand {
    let name = "invoices"
    let noun = "invoices"
    let examples = ["invoices --unpaid", "invoices --credit-notes --json"]
    var summary: String { summary("The active profile's invoices, the newest first") }
    static let paid = FlagOption("paid", help: "Only paid invoices (paid=true).")
    static let unpaid = FlagOption("unpaid", help: "Only unpaid invoices (paid=false).")
    static let creditNotes = FlagOption("credit-notes", help: "Only credit notes (creditNotes=true).")
    static let filters: [any ArgumentDeclaration] = [paid, unpaid, creditNotes]
    static let request = Endpoint.invoices()
    static let signature = listSignature

    func validateFilters(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        guard arguments.has(Self.paid), arguments.has(Self.unpaid) else { return }
        let second = reading.line.words.last { ["--paid", "--unpaid"].contains($0.source) }
        throw reading.usageError(
            "--paid and --unpaid exclude each other (give neither for both)", at: second?.location ?? reading.end
        )
    }

    func endpoint(_ invocation: Invocation, shape: [String]?) -> Endpoint {
        let paid: Bool? = invocation[Self.paid] ? true : invocation[Self.unpaid] ? false : nil
        return .invoices(paid: paid, creditNotes: invocation[Self.creditNotes], shape: shape)
    }

    func table(_ records: [Invoice], _ invocation: Invocation, style: TextStyle) -> String {
        Rendering.invoices(records, style: style)
    }
}

struct EventsCommand: ListCommand {
    let name = "events"
    let noun = "events"
    let examples = ["events --upcoming", "events --all", "events --page 2 --page-size 10"]
    var summary: String { summary("The events the active profile attends, a page at a time") }
    static let upcoming = FlagOption("upcoming", help: "Only events still to come (showUpcoming=true).")
    static let filters: [any ArgumentDeclaration] = [upcoming]
    static let request = Endpoint.events()
    static let signature = listSignature

    func endpoint(_ invocation: Invocation, shape: [String]?) -> Endpoint {
        .events(upcoming: invocation[Self.upcoming], shape: shape)
    }

    func table(_ records: [Event], _ invocation: Invocation, style: TextStyle) -> String {
        Rendering.events(records, upcoming: invocation[Self.upcoming], style: style)
    }
}

struct VisitorsCommand: ListCommand {
    let name = "visitors"
    let noun = "visitors"
    let examples = ["visitors --upcoming"]
    var summary: String { summary("The visitors the active profile hosts") }
    static let upcoming = FlagOption("upcoming", help: "Only visitors still expected (showUpcoming=true).")
    static let filters: [any ArgumentDeclaration] = [upcoming]
    static let request = Endpoint.visitors()
    static let signature = listSignature

    func endpoint(_ invocation: Invocation, shape: [String]?) -> Endpoint {
        .visitors(upcoming: invocation[Self.upcoming], shape: shape)
    }

    func table(_ records: [Visitor], _ invocation: Invocation, style: TextStyle) -> String {
        Rendering.visitors(records, upcoming: invocation[Self.upcoming], style: style)
    }
}

struct DeliveriesCommand: ListCommand {
    let name = "deliveries"
    let noun = "deliveries"
    let examples = ["deliveries --pending", "deliveries --all --json"]
    var summary: String { summary("The active profile's parcels, the newest first, a page at a time") }
    static let pending = FlagOption("pending", help: "Only parcels still waiting to be collected (showPending=true).")
    static let filters: [any ArgumentDeclaration] = [pending]
    static let request = Endpoint.deliveries()
    static let signature = listSignature

    func endpoint(_ invocation: Invocation, shape: [String]?) -> Endpoint {
        .deliveries(pending: invocation[Self.pending], shape: shape)
    }

    func table(_ records: [Delivery], _ invocation: Invocation, style: TextStyle) -> String {
        Rendering.deliveries(records, pending: invocation[Self.pending], style: style)
    }
}

/// The commands of this file, in the order `help` lists them.
extension NexudusCommands {
    static let activity: [any ShellCommand] = [InvoicesCommand(), EventsCommand(), VisitorsCommand(), DeliveriesCommand()]
}

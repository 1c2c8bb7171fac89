import Foundation
import NexudusAPI
import ShellCore

struct BusinessCommand: CatalogueCommand {
    let name = "business"
    let examples = ["business", "business --shape Name,TimeZone --json"]
    let request = Endpoint.currentBusiness()
    var summary: String { summary("The current location: name, web address, time zone, currency") }
    let signature = CommandSignature(ShapeFields.option, FlagOption.json)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        try await showShaped(invocation, context, { try await context.nexudus.client.currentBusiness(shape: $0) }, Rendering.business)
    }
}

struct PlansCommand: CatalogueCommand {
    let name = "plans"
    let examples = ["plans", "plans --shape Id,Name --json"]
    let request = Endpoint.myPlans()
    var summary: String { summary("The active profile's plans, with price and next invoice") }
    let signature = CommandSignature(ShapeFields.option, FlagOption.json)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        try await showShaped(invocation, context, { try await context.nexudus.client.myPlans(shape: $0) }, Rendering.plans)
    }
}

struct BookingsCommand: CatalogueCommand {
    let name = "bookings"
    let examples = ["bookings", "bookings --shape Id,ResourceName,FromTime --json"]
    let request = Endpoint.myBookings()
    var summary: String { summary("The active profile's bookings of the location's resources") }
    let signature = CommandSignature(ShapeFields.option, FlagOption.json)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        try await showShaped(invocation, context, { try await context.nexudus.client.myBookings(shape: $0) }, Rendering.bookings)
    }
}

struct ProfileCommand: CatalogueCommand {
    let name = "profile"
    let examples = ["profile", "profile --shape FullName,Email --json"]
    let request = Endpoint.editableProfile()
    var summary: String { summary("The active profile's editable fields") }
    let signature = CommandSignature(ShapeFields.option, FlagOption.json)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        try await showShaped(invocation, context, { try await context.nexudus.client.editableProfile(shape: $0) }, Rendering.editableProfile)
    }
}

/// The commands of this file, in the order `help` lists them.
extension NexudusCommands {
    static let location: [any ShellCommand] = [BusinessCommand(), PlansCommand(), BookingsCommand(), ProfileCommand()]
}

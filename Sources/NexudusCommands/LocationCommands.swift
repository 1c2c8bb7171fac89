import Foundation
import NexudusAPI
import ShellCore

struct BusinessCommand: ShellCommand {
    let name = "business"
    let examples = ["business", "business --shape Name,TimeZone --json"]
    let summary = "The current location: name, web address, time zone, currency (GET /api/public/businesses/current)."
    let signature = CommandSignature(ShapeFields.option, FlagOption.json)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        try await showShaped(invocation, context, { try await context.nexudus.client.currentBusiness(shape: $0) }, Rendering.business)
    }
}

struct PlansCommand: ListCommand {
    let name = "plans"
    let noun = "plans"
    let examples = ["plans", "plans --shape Id,Name --json"]
    let summary = "The active profile's plans, with price and next invoice (GET /api/public/plans/my)."
    static let filters: [any ArgumentDeclaration] = []
    static let plainRequest = Endpoint.myPlans()
    let signature = listSignature

    func request(_ invocation: Invocation, shape: [String]?) -> Endpoint { .myPlans(shape: shape) }

    func table(_ records: [Plan], _ invocation: Invocation, style: TextStyle) -> String {
        Rendering.plans(records, style: style)
    }
}

struct BookingsCommand: ListCommand {
    let name = "bookings"
    let noun = "bookings"
    let examples = ["bookings", "bookings --shape Id,ResourceName,FromTime --json"]
    let summary = "The active profile's bookings of the location's resources (GET /api/public/bookings/my)."
    static let filters: [any ArgumentDeclaration] = []
    static let plainRequest = Endpoint.myBookings()
    let signature = listSignature

    func request(_ invocation: Invocation, shape: [String]?) -> Endpoint { .myBookings(shape: shape) }

    func table(_ records: [Booking], _ invocation: Invocation, style: TextStyle) -> String {
        Rendering.bookings(records, style: style)
    }
}

struct ProfileCommand: ShellCommand {
    let name = "profile"
    let examples = ["profile", "profile --shape FullName,Email --json"]
    let summary = "The active profile's editable fields (GET /en/profile?_resource=Coworker)."
    let signature = CommandSignature(ShapeFields.option, FlagOption.json)

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        try await showShaped(invocation, context, { try await context.nexudus.client.editableProfile(shape: $0) }, Rendering.editableProfile)
    }
}

/// The commands of this file, in the order `help` lists them.
extension NexudusCommands {
    static let location: [any ShellCommand] = [BusinessCommand(), PlansCommand(), BookingsCommand(), ProfileCommand()]
}

import Foundation

/// What the member list endpoints serve: bookings of the business's resources, invoices of the
/// profiles' contracts, events attended by team 55's members, visitors and deliveries. Dates are
/// fixed around ``today`` so that every run (and every recording) sees the same answers, and
/// "upcoming" or "pending" means the same thing in a golden transcript a year from now.
extension Fixtures {
    struct Activity: Sendable {
        var resources: [Resource]
        var bookings: [Booking]
        var invoices: [Invoice]
        var events: [Event]
        var visitors: [Visitor]
        var deliveries: [Delivery]
    }

    struct Resource: Sendable {
        var id: Int
        var name: String
        var businessId: Int
    }

    struct Booking: Sendable {
        var id: Int
        var resourceId: Int
        var coworkerId: Int
        var fromTime: String
        var toTime: String
    }

    struct Invoice: Sendable {
        var id: Int
        var coworkerId: Int
        var contractId: Int
        var issuedOn: String
        var amount: Double
        var paid: Bool
        var isCreditNote: Bool
    }

    struct Event: Sendable {
        var id: Int
        var name: String
        var resourceId: Int
        var startDate: String
        var endDate: String
        var attendeeIds: [Int]
    }

    struct Visitor: Sendable {
        var id: Int
        var fullName: String
        var email: String
        var hostId: Int
        var expectedArrival: String
    }

    struct Delivery: Sendable {
        var id: Int
        var coworkerId: Int
        var carrier: String
        var receivedOn: String
        var collectedOn: String?
    }

    /// The sandbox's "now": what `showUpcoming` and `showPending` are measured against.
    static let today = "2025-01-20T00:00:00"

    /// `today` moved by whole days, at a wall-clock hour, written as the service writes dates.
    static func day(_ offset: Int, hour: Int = 9) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let base = calendar.date(from: DateComponents(year: 2025, month: 1, day: 20, hour: hour))!
        let date = calendar.date(byAdding: .day, value: offset, to: base)!
        let parts = calendar.dateComponents([.year, .month, .day, .hour], from: date)
        return String(format: "%04d-%02d-%02dT%02d:00:00", parts.year!, parts.month!, parts.day!, parts.hour!)
    }

    func resource(_ id: Int) -> Resource? { activity.resources.first { $0.id == id } }
}

extension Fixtures.Activity {
    static let standard = Fixtures.Activity(
        resources: [
            .init(id: 7101, name: "Meeting Room 1", businessId: 7),
            .init(id: 7102, name: "Meeting Room 2", businessId: 7),
            .init(id: 7103, name: "Phone Booth", businessId: 7),
            .init(id: 7104, name: "Event Space", businessId: 7),
        ],
        bookings: [
            .init(id: 3001, resourceId: 7101, coworkerId: 101, fromTime: Fixtures.day(-9, hour: 10), toTime: Fixtures.day(-9, hour: 11)),
            .init(id: 3002, resourceId: 7103, coworkerId: 101, fromTime: Fixtures.day(-2, hour: 14), toTime: Fixtures.day(-2, hour: 15)),
            .init(id: 3003, resourceId: 7102, coworkerId: 101, fromTime: Fixtures.day(1, hour: 9), toTime: Fixtures.day(1, hour: 12)),
            .init(id: 3004, resourceId: 7101, coworkerId: 101, fromTime: Fixtures.day(3, hour: 15), toTime: Fixtures.day(3, hour: 16)),
            .init(id: 3005, resourceId: 7102, coworkerId: 102, fromTime: Fixtures.day(2, hour: 10), toTime: Fixtures.day(2, hour: 12)),
            .init(id: 3006, resourceId: 7103, coworkerId: 201, fromTime: Fixtures.day(4, hour: 11), toTime: Fixtures.day(4, hour: 12)),
        ],
        invoices: monthlyInvoices(firstId: 4001, coworkerId: 101, contractId: 5001, amount: 250.0, months: 6)
            + [.init(id: 4007, coworkerId: 101, contractId: 5001, issuedOn: Fixtures.day(-25), amount: -50.0, paid: true, isCreditNote: true)]
            + monthlyInvoices(firstId: 4101, coworkerId: 102, contractId: 55, amount: 49.0, months: 3)
            + monthlyInvoices(firstId: 4201, coworkerId: 201, contractId: 6001, amount: 400.0, months: 2),
        events: standardEvents,
        visitors: [
            .init(id: 6001, fullName: "Maria Lopez", email: "maria.lopez@example.net", hostId: 101, expectedArrival: Fixtures.day(-6, hour: 10)),
            .init(id: 6002, fullName: "Tom Becker", email: "tom.becker@example.net", hostId: 101, expectedArrival: Fixtures.day(-1, hour: 14)),
            .init(id: 6003, fullName: "Aiko Tanaka", email: "aiko.tanaka@example.net", hostId: 101, expectedArrival: Fixtures.day(2, hour: 11)),
            .init(id: 6004, fullName: "Lena Novak", email: "lena.novak@example.net", hostId: 101, expectedArrival: Fixtures.day(5, hour: 9)),
            .init(id: 6005, fullName: "Omar Haddad", email: "omar.haddad@example.net", hostId: 102, expectedArrival: Fixtures.day(3, hour: 15)),
        ],
        deliveries: standardDeliveries
    )

    /// One invoice a month, the latest first unpaid; issued on the contract's billing day.
    private static func monthlyInvoices(firstId: Int, coworkerId: Int, contractId: Int, amount: Double, months: Int) -> [Fixtures.Invoice] {
        (0..<months).map { index in
            let monthsAgo = months - 1 - index
            return .init(
                id: firstId + index, coworkerId: coworkerId, contractId: contractId, issuedOn: Fixtures.day(-19 - 30 * monthsAgo),
                amount: amount, paid: monthsAgo > 0, isCreditNote: false
            )
        }
    }

    /// 60 events, two days apart, 40 past and 20 upcoming: three pages at the default page size
    /// for profile 101, who attends them all; 102 (the other member of team 55) attends every
    /// second one, and 201 every tenth.
    private static var standardEvents: [Fixtures.Event] {
        let themes = ["Founders Breakfast", "Product Demo Night", "Yoga at Noon", "Tech Talk", "Networking Drinks"]
        return (0..<60).map { index in
            var attendees = [101]
            if index.isMultiple(of: 2) { attendees.append(102) }
            if index.isMultiple(of: 10) { attendees.append(201) }
            let offset = (index - 40) * 2
            return .init(
                id: 8001 + index, name: "\(themes[index % themes.count]) #\(index / themes.count + 1)", resourceId: 7104,
                startDate: Fixtures.day(offset, hour: 18), endDate: Fixtures.day(offset, hour: 20), attendeeIds: attendees
            )
        }
    }

    /// 40 parcels for profile 101 (three pages at the default size of 15), the last 6 still
    /// waiting at reception; 3 for 102, one waiting.
    private static var standardDeliveries: [Fixtures.Delivery] {
        let carriers = ["Royal Mail", "DHL", "UPS", "FedEx", "DPD"]
        let jane: [Fixtures.Delivery] = (0..<40).map { index in
            let received = index - 39
            return .init(
                id: 9501 + index, coworkerId: 101, carrier: carriers[index % carriers.count], receivedOn: Fixtures.day(received, hour: 11),
                collectedOn: index < 34 ? Fixtures.day(received, hour: 17) : nil
            )
        }
        let acme: [Fixtures.Delivery] = (0..<3).map { index in
            .init(
                id: 9601 + index, coworkerId: 102, carrier: carriers[index], receivedOn: Fixtures.day(index - 2, hour: 10),
                collectedOn: index < 2 ? Fixtures.day(index - 2, hour: 16) : nil
            )
        }
        return jane + acme
    }
}

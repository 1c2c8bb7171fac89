/// The member's own activity lists: invoices, events, visitors, deliveries. Dates are the API's
/// local date-times (`2025-01-21T18:00:00`), kept as text.

/// One element of `GET /api/public/billing/invoices/my` (a bare array).
public struct Invoice: Sendable, Hashable, Codable {
    public var id: Int?
    public var invoiceNumber: String?
    public var coworkerId: Int?
    public var coworkerContractId: Int?
    public var businessId: Int?
    public var description: String?
    public var issuedOn: String?
    public var totalAmount: Double?
    public var totalAmountFormatted: String?
    public var currencyCode: String?
    public var paid: Bool?
    public var isCreditNote: Bool?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case invoiceNumber = "InvoiceNumber"
        case coworkerId = "CoworkerId"
        case coworkerContractId = "CoworkerContractId"
        case businessId = "BusinessId"
        case description = "Description"
        case issuedOn = "IssuedOn"
        case totalAmount = "TotalAmount"
        case totalAmountFormatted = "TotalAmountFormatted"
        case currencyCode = "CurrencyCode"
        case paid = "Paid"
        case isCreditNote = "IsCreditNote"
    }
}

/// A record of `GET /api/public/events/my` (in a list envelope).
public struct Event: Sendable, Hashable, Codable {
    public var id: Int?
    public var name: String?
    public var startDate: String?
    public var endDate: String?
    public var location: String?
    public var resourceId: Int?
    public var businessId: Int?
    public var attendees: [EventAttendee]?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case name = "Name"
        case startDate = "StartDate"
        case endDate = "EndDate"
        case location = "Location"
        case resourceId = "ResourceId"
        case businessId = "BusinessId"
        case attendees = "Attendees"
    }
}

/// One of an event's `Attendees`.
public struct EventAttendee: Sendable, Hashable, Codable {
    public var coworkerId: Int?
    public var fullName: String?

    enum CodingKeys: String, CodingKey {
        case coworkerId = "CoworkerId"
        case fullName = "FullName"
    }
}

/// One element of `GET /api/public/visitors/my` (a bare array).
public struct Visitor: Sendable, Hashable, Codable {
    public var id: Int?
    public var fullName: String?
    public var email: String?
    public var coworkerId: Int?
    public var coworkerFullName: String?
    public var expectedArrival: String?
    public var checkedIn: Bool?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case fullName = "FullName"
        case email = "Email"
        case coworkerId = "CoworkerId"
        case coworkerFullName = "CoworkerFullName"
        case expectedArrival = "ExpectedArrival"
        case checkedIn = "CheckedIn"
    }
}

/// A record of `GET /api/public/deliveries/my` (in a list envelope).
public struct Delivery: Sendable, Hashable, Codable {
    public var id: Int?
    public var coworkerId: Int?
    public var coworkerFullName: String?
    public var carrier: String?
    public var location: String?
    public var receivedOn: String?
    public var collectedOn: String?
    public var collected: Bool?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case coworkerId = "CoworkerId"
        case coworkerFullName = "CoworkerFullName"
        case carrier = "Carrier"
        case location = "Location"
        case receivedOn = "ReceivedOn"
        case collectedOn = "CollectedOn"
        case collected = "Collected"
    }
}

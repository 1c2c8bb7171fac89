// Models of what a member sees of the location and of their own standing in it: the location's
// currency, their bookings, their plans and their editable profile. Every property is optional,
// for the reasons Models.swift gives.

/// `Currency` of the current business.
public struct Currency: Sendable, Hashable, Codable {
    /// ISO 4217 (`GBP`).
    public var code: String?

    enum CodingKeys: String, CodingKey {
        case code = "Code"
    }
}

/// One entry of `GET /api/public/bookings/my`: a resource held for a time.
public struct Booking: Sendable, Hashable, Codable {
    public var id: Int?
    public var resourceId: Int?
    public var resourceName: String?
    /// The location's local date-time (`2025-01-21T09:00:00`), as the API writes them.
    public var fromTime: String?
    public var toTime: String?
    public var coworkerId: Int?
    public var coworkerFullName: String?
    public var businessId: Int?
    public var notes: String?
    public var cancelled: Bool?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case resourceId = "ResourceId"
        case resourceName = "ResourceName"
        case fromTime = "FromTime"
        case toTime = "ToTime"
        case coworkerId = "CoworkerId"
        case coworkerFullName = "CoworkerFullName"
        case businessId = "BusinessId"
        case notes = "Notes"
        case cancelled = "Cancelled"
    }
}

/// One entry of `GET /api/public/plans/my`: a plan the customer holds (its `Id` is the contract's).
public struct Plan: Sendable, Hashable, Codable {
    public var id: Int?
    public var tariffId: Int?
    public var name: String?
    public var price: Double?
    public var priceFormatted: String?
    public var currencyCode: String?
    public var startDate: String?
    public var nextInvoice: String?
    public var isPaused: Bool?
    public var cancellationDate: String?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case tariffId = "TariffId"
        case name = "Name"
        case price = "Price"
        case priceFormatted = "PriceFormatted"
        case currencyCode = "CurrencyCode"
        case startDate = "StartDate"
        case nextInvoice = "NextInvoice"
        case isPaused = "IsPaused"
        case cancellationDate = "CancellationDate"
    }
}

/// `GET /en/profile?_resource=Coworker`: the fields of the active profile the member can edit.
public struct EditableProfile: Sendable, Hashable, Codable {
    public var id: Int?
    public var fullName: String?
    public var email: String?
    public var companyName: String?
    /// 1 = Individual, 2 = Company.
    public var coworkerType: Int?
    public var billingName: String?
    public var mobilePhone: String?
    public var address: String?
    public var postCode: String?
    public var cityName: String?
    public var profileSummary: String?
    public var profileWebsite: String?
    public var profileIsPublic: Bool?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case fullName = "FullName"
        case email = "Email"
        case companyName = "CompanyName"
        case coworkerType = "CoworkerType"
        case billingName = "BillingName"
        case mobilePhone = "MobilePhone"
        case address = "Address"
        case postCode = "PostCode"
        case cityName = "CityName"
        case profileSummary = "ProfileSummary"
        case profileWebsite = "ProfileWebsite"
        case profileIsPublic = "ProfileIsPublic"
    }
}

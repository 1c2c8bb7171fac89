/// `GET /api/public/coworkers/profiles/current/benefits`: what the active profile may use,
/// its own and shared through its team.
public struct ProfileBenefits: Sendable, Hashable, Codable {
    public var personal: BenefitSet?
    /// nil when the profile is in no team.
    public var team: BenefitSet?

    enum CodingKeys: String, CodingKey {
        case personal = "Personal"
        case team = "Team"
    }
}

public struct BenefitSet: Sendable, Hashable, Codable {
    public var bookingCredits: [BookingCredit]?
    public var extraServices: [ExtraServiceBenefit]?
    public var timePasses: [TimePassBenefit]?

    enum CodingKeys: String, CodingKey {
        case bookingCredits = "BookingCredits"
        case extraServices = "ExtraServices"
        case timePasses = "TimePasses"
    }
}

public struct BookingCredit: Sendable, Hashable, Codable {
    public var id: Int?
    public var name: String?
    public var totalCredit: Double?
    public var remainingCredit: Double?
    /// Spelled `CaneBeUsedFor…` by the API.
    public var canBeUsedForBookings: Bool?
    public var canBeUsedForEvents: Bool?
    public var isUniversalCredit: Bool?
    public var isFromTariff: Bool?
    public var expireDate: String?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case name = "Name"
        case totalCredit = "TotalCredit"
        case remainingCredit = "RemainingCredit"
        case canBeUsedForBookings = "CaneBeUsedForBookings"
        case canBeUsedForEvents = "CaneBeUsedForEvents"
        case isUniversalCredit = "IsUniversalCredit"
        case isFromTariff = "IsFromTariff"
        case expireDate = "ExpireDate"
    }
}

public struct ExtraServiceBenefit: Sendable, Hashable, Codable {
    public struct Service: Sendable, Hashable, Codable {
        public var id: Int?
        public var name: String?
        public var isPrintingCredit: Bool?

        enum CodingKeys: String, CodingKey {
            case id = "Id"
            case name = "Name"
            case isPrintingCredit = "IsPrintingCredit"
        }
    }

    public var id: Int?
    public var extraService: Service?
    public var totalUses: Int?
    public var remainingUses: Int?
    public var chargePeriod: String?
    public var isFromTariff: Bool?
    public var expireDate: String?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case extraService = "ExtraService"
        case totalUses = "TotalUses"
        case remainingUses = "RemainingUses"
        case chargePeriod = "ChargePeriod"
        case isFromTariff = "IsFromTariff"
        case expireDate = "ExpireDate"
    }
}

public struct TimePassBenefit: Sendable, Hashable, Codable {
    public struct Pass: Sendable, Hashable, Codable {
        public var id: Int?
        public var name: String?

        enum CodingKeys: String, CodingKey {
            case id = "Id"
            case name = "Name"
        }
    }

    public var id: Int?
    public var timePass: Pass?
    public var totalUses: Int?
    public var remainingUses: Int?
    public var used: Bool?
    public var isFromTariff: Bool?
    public var expireDate: String?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case timePass = "TimePass"
        case totalUses = "TotalUses"
        case remainingUses = "RemainingUses"
        case used = "Used"
        case isFromTariff = "IsFromTariff"
        case expireDate = "ExpireDate"
    }
}

import JSONValues

/// One element of `GET /en/team/profiles`: a team as seen by the signed-in customer.
public struct TeamProfile: Sendable, Hashable, Codable {
    public var canAddNewMembers: Bool?
    public var canRemoveMembers: Bool?
    public var canCancelMembers: Bool?
    public var team: Team?
    public var recentBookings: JSONValue?
    public var allTeamMembers: [TeamMember]?

    enum CodingKeys: String, CodingKey {
        case canAddNewMembers = "CanAddNewMembers"
        case canRemoveMembers = "CanRemoveMembers"
        case canCancelMembers = "CanCancelMembers"
        case team = "Team"
        case recentBookings = "RecentBookings"
        case allTeamMembers = "AllTeamMembers"
    }
}

/// A team, as `GET /api/public/teams/{teamId}/profile` answers it and as it appears in team
/// profiles and the `teams/my` list.
public struct Team: Sendable, Hashable, Codable {
    public var id: Int?
    public var name: String?
    public var businessName: String?
    public var teamMembersCount: Int?
    public var profileSummary: String?
    public var maxTeamMemberCount: Int?
    public var uniqueId: String?
    public var idString: String?
    public var description: String?
    public var profileIsPublic: Bool?
    public var profileWebsite: String?
    public var profileTags: String?
    public var profileTagsList: [String]?
    public var businessHomeUrl: String?
    public var teamAdministratorsFullNames: [String]?
    public var payingMemberId: Int?
    public var createSingleInvoiceForTeam: Bool?
    public var hasTeamLogo: Bool?
    public var createdOn: String?
    public var updatedOn: String?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case name = "Name"
        case businessName = "BusinessName"
        case teamMembersCount = "TeamMembersCount"
        case profileSummary = "ProfileSummary"
        case maxTeamMemberCount = "MaxTeamMemberCount"
        case uniqueId = "UniqueId"
        case idString = "IdString"
        case description = "Description"
        case profileIsPublic = "ProfileIsPublic"
        case profileWebsite = "ProfileWebsite"
        case profileTags = "ProfileTags"
        case profileTagsList = "ProfileTagsList"
        case businessHomeUrl = "BusinessHomeUrl"
        case teamAdministratorsFullNames = "TeamAdministratorsFullNames"
        case payingMemberId = "PayingMemberId"
        case createSingleInvoiceForTeam = "CreateSingleInvoiceForTeam"
        case hasTeamLogo = "HasTeamLogo"
        case createdOn = "CreatedOn"
        case updatedOn = "UpdatedOn"
    }
}

/// A member in `AllTeamMembers`: customer fields plus their contracts.
public struct TeamMember: Sendable, Hashable, Codable {
    public var id: Int?
    public var fullName: String?
    public var email: String?
    public var contracts: [CoworkerContract]?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case fullName = "FullName"
        case email = "Email"
        case contracts = "Contracts"
    }
}

/// A plan contract: in a team member's `Contracts`, and as
/// `GET /api/public/billing/coworkerContracts/{contractId}` answers it. Dates are the API's
/// local date-times (`2024-01-15T00:00:00`), kept as text.
public struct CoworkerContract: Sendable, Hashable, Codable {
    public var id: Int?
    public var coworkerId: Int?
    public var tariffId: Int?
    public var tariffName: String?
    public var price: Double?
    public var priceFormatted: String?
    public var nextPrice: Double?
    public var currencyCode: String?
    public var quantity: Int?
    public var startDate: String?
    public var nextInvoice: String?
    public var renewalDate: String?
    public var billingDay: Int?
    public var cancellationDate: String?
    public var active: Bool?
    public var cancelled: Bool?
    public var mainContract: Bool?
    public var isPaused: Bool?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case coworkerId = "CoworkerId"
        case tariffId = "TariffId"
        case tariffName = "TariffName"
        case price = "Price"
        case priceFormatted = "PriceFormatted"
        case nextPrice = "NextPrice"
        case currencyCode = "CurrencyCode"
        case quantity = "Quantity"
        case startDate = "StartDate"
        case nextInvoice = "NextInvoice"
        case renewalDate = "RenewalDate"
        case billingDay = "BillingDay"
        case cancellationDate = "CancellationDate"
        case active = "Active"
        case cancelled = "Cancelled"
        case mainContract = "MainContract"
        case isPaused = "IsPaused"
    }
}

/// The `ApiListResult` envelope of the public list endpoints (`teams/my`).
public struct ListResult<Record: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    public var records: [Record]?
    public var currentPage: Int?
    public var currentPageSize: Int?
    public var totalItems: Int?
    public var totalPages: Int?
    public var hasNextPage: Bool?
    public var hasPreviousPage: Bool?

    enum CodingKeys: String, CodingKey {
        case records = "Records"
        case currentPage = "CurrentPage"
        case currentPageSize = "CurrentPageSize"
        case totalItems = "TotalItems"
        case totalPages = "TotalPages"
        case hasNextPage = "HasNextPage"
        case hasPreviousPage = "HasPreviousPage"
    }

    public init(records: [Record]?) {
        self.records = records
    }

    /// The envelope, or a bare array of records: the documentation gives some lists as bare
    /// arrays, and a server that wraps one of them in the envelope (or unwraps one) still
    /// reads as the same list. A bare array is the whole list, one page.
    public init(from decoder: any Decoder) throws {
        // An array's records are decoded here, so that a record that does not decode is
        // reported as itself, not as an envelope the array is not.
        if var array = try? decoder.unkeyedContainer() {
            var records: [Record] = []
            while !array.isAtEnd { records.append(try array.decode(Record.self)) }
            self.init(records: records)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(records: try container.decodeIfPresent([Record].self, forKey: .records))
        currentPage = try container.decodeIfPresent(Int.self, forKey: .currentPage)
        currentPageSize = try container.decodeIfPresent(Int.self, forKey: .currentPageSize)
        totalItems = try container.decodeIfPresent(Int.self, forKey: .totalItems)
        totalPages = try container.decodeIfPresent(Int.self, forKey: .totalPages)
        hasNextPage = try container.decodeIfPresent(Bool.self, forKey: .hasNextPage)
        hasPreviousPage = try container.decodeIfPresent(Bool.self, forKey: .hasPreviousPage)
    }
}

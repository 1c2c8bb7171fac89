import JSONValues

/// What a personal value is: it decides the shape of its pseudonym.
public enum PersonalKind: String, Sendable, CaseIterable, Comparable {
    case email, name, company, phone, address, postCode = "postcode", city, text, id

    public static func < (lhs: PersonalKind, rhs: PersonalKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The one table of where personal data sits in Nexudus answers and requests (the member
/// names of Sources/NexudusAPI/Models*.swift and the sandbox's seeds), plus the caller's
/// `--field PATH[=KIND]` rules. Both anonymizing and `--check` read it.
public struct PersonalFields: Sendable {
    /// A JSON member, by name at any depth, that holds personal data.
    static let builtInMembers: [String: PersonalKind] = [
        "Email": .email, "BillingEmail": .email, "Username": .email,
        "FullName": .name, "CoworkerFullName": .name, "TeamAdministratorsFullNames": .name, "BillingName": .name,
        "FirstName": .name, "LastName": .name, "PayingMemberFullName": .name,
        "CompanyName": .company,
        "MobilePhone": .phone, "Landline": .phone, "PhoneNumber": .phone, "Phone": .phone, "BillingPhone": .phone,
        "Address": .address, "BillingAddress": .address, "Street": .address,
        "PostCode": .postCode, "BillingPostCode": .postCode,
        "CityName": .city, "BillingCityName": .city,
        "CoworkerId": .id, "CoworkerContractId": .id, "TeamId": .id, "VirtualOfficeContractId": .id,
        "UserId": .id, "ProfileId": .id, "PayingMemberId": .id,
    ]

    /// Records whose own `Id` is a person's, a team's or a contract's (`.User.Id`,
    /// `.Profiles[*].Id`, `.[0].Team.Id`, `.AllTeamMembers[*].Contracts[*].Id`).
    static let personalRecords: Set<String> = [
        "User", "Users", "Profile", "Profiles", "Coworker", "Coworkers", "Team", "Teams",
        "AllTeamMembers", "TeamMembers", "Members", "Contracts", "CoworkerContracts",
    ]

    /// URL path segments after which a number is such an id (`/api/public/teams/55/profile`).
    static let personalCollections: Set<String> = [
        "users", "coworkers", "profiles", "teams", "members", "contracts", "coworkercontracts",
    ]

    /// A `--field` rule: the values at `path` are personal, of `kind` (or of the kind their
    /// shape says when nil).
    public struct Rule: Sendable {
        public let path: JSONPath
        public let kind: PersonalKind?

        /// `.Records[*].Notes`, `.Records[*].Notes=text`.
        public init(_ text: String) throws(RuleError) {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard let first = parts.first else { throw RuleError(message: "empty rule") }
            do {
                path = try JSONPath(first)
            } catch {
                throw RuleError(message: "\(error)")
            }
            if parts.count == 2 {
                guard let kind = PersonalKind(rawValue: parts[1].lowercased()) else {
                    throw RuleError(message: "unknown kind '\(parts[1])' (one of \(PersonalKind.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                self.kind = kind
            } else {
                kind = nil
            }
        }
    }

    public struct RuleError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public let rules: [Rule]

    public init(rules: [Rule] = []) {
        self.rules = rules
    }

    /// The kind of the member `key`, inside the member `parent` (the nearest named one).
    func kind(ofMember key: String, parent: String?) -> PersonalKind? {
        if let kind = Self.builtInMembers[key] { return kind }
        if key == "Id", let parent, Self.personalRecords.contains(parent) { return .id }
        return nil
    }

    /// Members whose numbers are ids of some record: a known personal id there is the same
    /// record's (`.[0].Id` of a contract list, `.Team.IdString`).
    static func isIdMember(_ key: String) -> Bool {
        key == "Id" || key.hasSuffix("Id") || key.hasSuffix("IdString") || key.hasSuffix("Ids")
    }

    /// A query parameter or form field named as a personal id member (`coworkerId=102`).
    static func isPersonalIdParameter(_ name: String) -> Bool {
        builtInMembers.contains { $0.value == .id && $0.key.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// The kind a `--field` value without one is given.
    static func inferredKind(of value: JSONValue) -> PersonalKind? {
        switch value {
        case .number(let number): (number.intValue ?? -1) >= 0 ? .id : .text
        case .string(let text): PersonalPatterns.isEmail(text) ? .email : .text
        default: nil
        }
    }
}

import JSONValues

// Models of the Nexudus customer-portal answers, named and shaped as the API documentation
// shows them.
//
// Every property is optional: `_shape` lets a caller trim any field from an answer, and the
// portal itself treats fields as possibly absent. `null` and absent both decode as nil; fields
// these models do not name are ignored, so new server fields never break decoding.

/// `GET /api/public/coworkers/profiles`: the signed-in user, their default location and
/// every customer profile they can switch to.
public struct CoworkerProfiles: Sendable, Hashable, Codable {
    public var user: UserAccount?
    public var defaultBusiness: Business?
    public var profiles: [CoworkerProfile]?

    enum CodingKeys: String, CodingKey {
        case user = "User"
        case defaultBusiness = "DefaultBusiness"
        case profiles = "Profiles"
    }

    /// The profile the session acts as (`IsDefaultProfile`).
    public var activeProfile: CoworkerProfile? {
        profiles?.first { $0.isDefaultProfile == true }
    }
}

public struct UserAccount: Sendable, Hashable, Codable {
    public var id: Int?
    public var fullName: String?
    public var email: String?
    public var active: Bool?
    public var isAdmin: Bool?
    /// Mirrors the bearer token of the request.
    public var accessToken: String?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case fullName = "FullName"
        case email = "Email"
        case active = "Active"
        case isAdmin = "IsAdmin"
        case accessToken = "AccessToken"
    }
}

/// A location (`DefaultBusiness`, and `GET /api/public/businesses/current`).
public struct Business: Sendable, Hashable, Codable {
    public var id: Int?
    public var name: String?
    public var webAddress: String?
    /// An IANA name (`Europe/London`); only the current-business answer carries it.
    public var timeZone: String?
    public var currency: Currency?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case name = "Name"
        case webAddress = "WebAddress"
        case timeZone = "TimeZone"
        case currency = "Currency"
    }
}

public struct CoworkerProfile: Sendable, Hashable, Codable {
    public var id: Int?
    public var fullName: String?
    public var companyName: String?
    public var active: Bool?
    /// True for the profile the session currently acts as.
    public var isDefaultProfile: Bool?
    /// 1 = Individual, 2 = Company.
    public var coworkerType: Int?
    public var hasVirtualOffice: Bool?
    public var virtualOfficePaused: Bool?
    public var virtualOfficeContractId: Int?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case fullName = "FullName"
        case companyName = "CompanyName"
        case active = "Active"
        case isDefaultProfile = "IsDefaultProfile"
        case coworkerType = "CoworkerType"
        case hasVirtualOffice = "HasVirtualOffice"
        case virtualOfficePaused = "VirtualOfficePaused"
        case virtualOfficeContractId = "VirtualOfficeContractId"
    }

    /// `102 Acme Design Co.` (with `(inactive)` when it cannot be selected).
    public var summary: String {
        let name = fullName ?? companyName ?? "?"
        let id = id.map(String.init) ?? "?"
        return active == false ? "\(id) \(name) (inactive)" : "\(id) \(name)"
    }
}

/// The envelope of portal actions such as switching profile. `WasSuccessful: false` is a
/// failure even under HTTP 200.
public struct ActionConfirmation: Sendable, Hashable, Codable {
    public var wasSuccessful: Bool?
    public var value: JSONValue?
    /// HTTP-style status code mirrored in the body.
    public var status: Int?
    public var message: String?
    public var errors: JSONValue?

    enum CodingKeys: String, CodingKey {
        case wasSuccessful = "WasSuccessful"
        case value = "Value"
        case status = "Status"
        case message = "Message"
        case errors = "Errors"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        wasSuccessful = try container.decodeIfPresent(Bool.self, forKey: .wasSuccessful)
        value = try container.decodeIfPresent(JSONValue.self, forKey: .value)
        status = try container.decodeIfPresent(Int.self, forKey: .status)
        // Documented as `string | null`; anything else is kept readable rather than rejected.
        switch try container.decodeIfPresent(JSONValue.self, forKey: .message) {
        case nil, .null?: message = nil
        case .string(let text)?: message = text
        case let other?: message = other.serialized()
        }
        errors = try container.decodeIfPresent(JSONValue.self, forKey: .errors)
    }

    /// The `Errors` entries as `PropertyName: Message` lines.
    public var validationMessages: [String] {
        guard case .array(let entries)? = errors else { return [] }
        return entries.compactMap { entry in
            guard let message = entry["Message"]?.stringValue else { return nil }
            return entry["PropertyName"]?.stringValue.map { "\($0): \(message)" } ?? message
        }
    }
}

/// The answer of `POST /api/token`.
public struct TokenGrant: Sendable, Hashable, Codable {
    public var accessToken: String?
    public var tokenType: String?
    /// Lifetime of the access token, in seconds.
    public var expiresIn: Int?
    public var refreshToken: String?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case refreshToken = "refresh_token"
    }
}

/// The OAuth error body of `POST /api/token` (`invalid_grant`, `two_factor_auth_check`, …).
public struct TokenError: Sendable, Hashable, Codable {
    public var error: String?
    public var errorDescription: String?

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
    }
}

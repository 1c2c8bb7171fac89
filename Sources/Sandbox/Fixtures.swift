/// The people, profiles, teams and contracts the sandbox serves. Jane Doe's data are the
/// documentation's examples; the other accounts exist to exercise the error paths (another
/// account's profile, an inactive profile, two-factor sign-in, a password that must be reset, a
/// sign-in the service fails).
struct Fixtures: Sendable {
    var revision = SandboxRevision.documented

    struct Business: Sendable {
        var id: Int
        var name: String
        var webAddress: String
        /// IANA; the service writes its dates in this zone's wall-clock time.
        var timeZone: String
        var currencyCode: String
    }

    struct Account: Sendable {
        var userId: Int
        var fullName: String
        var email: String
        var password: String
        /// The code the sandbox accepts as `totp` when two-factor authentication is on.
        var totpCode: String?
        var isAdmin = false
        var active = true
        /// What the token endpoint answers to the right password, when not tokens.
        var signInRefusal: SignInRefusal?
        var businessId: Int
        var profileIds: [Int]
        var initialProfileId: Int
    }

    /// Sign-ins the real service refuses in ways nexsh must handle.
    enum SignInRefusal: Sendable {
        /// `must_reset_password`, whose `error_description` the service may fill with a
        /// password-reset token: here a fake one, so that a test can prove nexsh never shows or
        /// records it.
        case mustResetPassword(resetToken: String)
        /// HTTP 500, as the service answers for an account it fails on (an unknown one, observed).
        case serverError
    }

    struct Profile: Sendable {
        var id: Int
        var fullName: String
        var companyName: String
        var email: String
        var active: Bool
        /// 1 = Individual, 2 = Company.
        var coworkerType: Int
        var virtualOfficeContractId: Int?
    }

    struct Membership: Sendable {
        var profileId: Int
        var canAddNewMembers: Bool
        var canRemoveMembers: Bool
        var canCancelMembers: Bool
        /// Administrators can book on behalf of the team (`bookForTeam=true`).
        var isAdministrator: Bool
    }

    struct Team: Sendable {
        var id: Int
        var name: String
        var uniqueId: String
        var businessName: String
        var profileSummary: String
        var maxTeamMemberCount: Int?
        var memberships: [Membership]
        var createdOn: String
    }

    struct Contract: Sendable {
        var id: Int
        var coworkerId: Int
        var tariffId: Int
        var tariffName: String
        var price: Double
        var currencyCode: String
        var startDate: String
        var nextInvoice: String
        var billingDay: Int
    }

    struct BookingCredit: Sendable {
        var id: Int
        var name: String
        var totalCredit: Double
        var remainingCredit: Double
        var expireDate: String?
    }

    struct ExtraService: Sendable {
        var id: Int
        var serviceId: Int
        var name: String
        var isPrintingCredit: Bool
        var totalUses: Int
        var remainingUses: Int
    }

    struct TimePass: Sendable {
        var id: Int
        var passId: Int
        var name: String
        var totalUses: Int?
        var remainingUses: Int?
        var expireDate: String?
    }

    struct Benefits: Sendable {
        var bookingCredits: [BookingCredit] = []
        var extraServices: [ExtraService] = []
        var timePasses: [TimePass] = []
    }

    var businesses: [Business]
    var accounts: [Account]
    var profiles: [Profile]
    var teams: [Team]
    var contracts: [Contract]
    var profileBenefits: [Int: Benefits]
    var teamBenefits: [Int: Benefits]
    /// Bookings, invoices, events, visitors, deliveries: what the member endpoints list.
    var activity = Activity.standard

    func business(_ id: Int) -> Business? { businesses.first { $0.id == id } }
    func profile(_ id: Int) -> Profile? { profiles.first { $0.id == id } }
    func contract(_ id: Int) -> Contract? { contracts.first { $0.id == id } }
    func team(_ id: Int) -> Team? { teams.first { $0.id == id } }

    func account(email: String) -> Account? {
        accounts.first { $0.email.lowercased() == email.lowercased() }
    }

    func account(userId: Int) -> Account? { accounts.first { $0.userId == userId } }

    func teams(of profileId: Int) -> [(Team, Membership)] {
        teams.compactMap { team in
            team.memberships.first { $0.profileId == profileId }.map { (team, $0) }
        }
    }

    func contracts(of profileId: Int) -> [Contract] {
        contracts.filter { $0.coworkerId == profileId }
    }

    /// A contract is visible to its holder and to the administrators of a team its holder is in.
    func contract(_ id: Int, visibleTo profileId: Int) -> Contract? {
        let managedMembers = Set(teams(of: profileId).filter { $0.1.isAdministrator }.flatMap { $0.0.memberships.map(\.profileId) })
        return contract(id).flatMap { $0.coworkerId == profileId || managedMembers.contains($0.coworkerId) ? $0 : nil }
    }
}

extension Fixtures {
    static let standard = Fixtures(
        businesses: [
            Business(id: 7, name: "Nexudus HQ", webAddress: "nexudushq", timeZone: "Europe/London", currencyCode: "GBP"),
        ],
        accounts: [
            Account(
                userId: 42, fullName: "Jane Doe", email: "jane.doe@example.com", password: "correct-horse",
                businessId: 7, profileIds: [101, 102], initialProfileId: 101
            ),
            Account(
                userId: 43, fullName: "Sam Roe", email: "sam.roe@example.com", password: "battery-staple",
                businessId: 7, profileIds: [201, 202], initialProfileId: 201
            ),
            Account(
                userId: 44, fullName: "Alex Kim", email: "alex.kim@example.com", password: "tr0ub4dor-3",
                totpCode: "123456", businessId: 7, profileIds: [301], initialProfileId: 301
            ),
            Account(
                userId: 45, fullName: "Robin Vale", email: "robin.vale@example.com", password: "expired-pass",
                signInRefusal: .mustResetPassword(resetToken: SandboxServer.fakeResetToken), businessId: 7, profileIds: [],
                initialProfileId: 0
            ),
            Account(
                userId: 46, fullName: "Broken Account", email: "broken@example.com", password: "any-password",
                signInRefusal: .serverError, businessId: 7, profileIds: [], initialProfileId: 0
            ),
        ],
        profiles: [
            Profile(
                id: 101, fullName: "Jane Doe", companyName: "", email: "jane.doe@example.com", active: true,
                coworkerType: 1
            ),
            Profile(
                id: 102, fullName: "Acme Design Co.", companyName: "Acme Design Co.", email: "jane.doe@example.com",
                active: true, coworkerType: 2, virtualOfficeContractId: 55
            ),
            Profile(
                id: 201, fullName: "Sam Roe", companyName: "", email: "sam.roe@example.com", active: true,
                coworkerType: 1
            ),
            Profile(
                id: 202, fullName: "Roe Ventures Ltd", companyName: "Roe Ventures Ltd", email: "sam.roe@example.com",
                active: false, coworkerType: 2
            ),
            Profile(
                id: 301, fullName: "Alex Kim", companyName: "", email: "alex.kim@example.com", active: true,
                coworkerType: 1
            ),
        ],
        teams: [
            Team(
                id: 55, name: "Tech Innovators", uniqueId: "5f0c9a3e-55aa-4c1e-9d55-000000000055",
                businessName: "Downtown Coworking Hub", profileSummary: "Building the future", maxTeamMemberCount: 20,
                memberships: [
                    Membership(profileId: 101, canAddNewMembers: true, canRemoveMembers: true, canCancelMembers: false, isAdministrator: true),
                    Membership(profileId: 102, canAddNewMembers: false, canRemoveMembers: false, canCancelMembers: false, isAdministrator: false),
                ],
                createdOn: "2023-09-01T09:00:00"
            ),
            Team(
                id: 56, name: "Acme Design Studio", uniqueId: "5f0c9a3e-56aa-4c1e-9d56-000000000056",
                businessName: "Nexudus HQ", profileSummary: "Brand and product design", maxTeamMemberCount: nil,
                memberships: [
                    Membership(profileId: 102, canAddNewMembers: true, canRemoveMembers: true, canCancelMembers: true, isAdministrator: true),
                ],
                createdOn: "2024-03-01T09:00:00"
            ),
            Team(
                id: 57, name: "Roe & Co", uniqueId: "5f0c9a3e-57aa-4c1e-9d57-000000000057",
                businessName: "Nexudus HQ", profileSummary: "Consulting", maxTeamMemberCount: 5,
                memberships: [
                    Membership(profileId: 201, canAddNewMembers: true, canRemoveMembers: true, canCancelMembers: true, isAdministrator: true),
                ],
                createdOn: "2024-05-20T09:00:00"
            ),
        ],
        contracts: [
            Contract(
                id: 5001, coworkerId: 101, tariffId: 11, tariffName: "Hot Desk Monthly", price: 250.0, currencyCode: "GBP",
                startDate: "2024-01-15T00:00:00", nextInvoice: "2025-02-01T00:00:00", billingDay: 1
            ),
            Contract(
                id: 55, coworkerId: 102, tariffId: 12, tariffName: "Virtual Office", price: 49.0, currencyCode: "GBP",
                startDate: "2024-03-01T00:00:00", nextInvoice: "2025-02-01T00:00:00", billingDay: 1
            ),
            Contract(
                id: 6001, coworkerId: 201, tariffId: 13, tariffName: "Dedicated Desk", price: 400.0, currencyCode: "GBP",
                startDate: "2024-05-20T00:00:00", nextInvoice: "2025-02-20T00:00:00", billingDay: 20
            ),
        ],
        profileBenefits: [
            101: Benefits(
                bookingCredits: [
                    BookingCredit(id: 9001, name: "Meeting room hours", totalCredit: 10.0, remainingCredit: 6.5, expireDate: "2025-02-01T00:00:00"),
                ],
                extraServices: [
                    ExtraService(id: 9101, serviceId: 31, name: "Printing credit", isPrintingCredit: true, totalUses: 100, remainingUses: 88),
                ]
            ),
            102: Benefits(
                extraServices: [
                    ExtraService(id: 9102, serviceId: 32, name: "Mail handling", isPrintingCredit: false, totalUses: 30, remainingUses: 27),
                ],
                timePasses: [
                    TimePass(id: 9201, passId: 12, name: "Day pass", totalUses: 5, remainingUses: 3, expireDate: "2025-03-01T00:00:00"),
                ]
            ),
            201: Benefits(
                bookingCredits: [
                    BookingCredit(id: 9002, name: "Event credit", totalCredit: 50.0, remainingCredit: 50.0, expireDate: nil),
                ]
            ),
        ],
        teamBenefits: [
            55: Benefits(
                bookingCredits: [
                    BookingCredit(id: 9501, name: "Team meeting room hours", totalCredit: 40.0, remainingCredit: 31.0, expireDate: "2025-02-01T00:00:00"),
                ]
            ),
        ]
    )
}

/// How each fixture is written on the wire: field names, order and envelopes follow the
/// Nexudus documentation.
extension Fixtures {
    /// `pausedContracts`: the contracts paused through the sandbox, so that a paused virtual office shows as paused.
    func profilesAnswer(for account: Account, activeProfileId: Int, accessToken: String, pausedContracts: Set<Int>) -> JSON {
        var business = business(account.businessId)
        if revision == .revised { business?.name += " (Headquarters)" }
        let answer: JSON = [
            "User": [
                "Id": .int(account.userId),
                "FullName": .string(account.fullName),
                "Email": .string(account.email),
                "Active": .bool(account.active),
                "IsAdmin": .bool(account.isAdmin),
                "AccessToken": .string(accessToken),
            ],
            "DefaultBusiness": business.map { business in
                ["Id": .int(business.id), "Name": .string(business.name), "WebAddress": .string(business.webAddress)]
            } ?? .null,
            "Profiles": .array(account.profileIds.compactMap(profile).map { profile in
                [
                    "Id": .int(profile.id),
                    "FullName": .string(profile.fullName),
                    "CompanyName": .string(profile.companyName),
                    "Active": .bool(profile.active),
                    "IsDefaultProfile": .bool(profile.id == activeProfileId),
                    "CoworkerType": .int(profile.coworkerType),
                    "HasVirtualOffice": .bool(profile.virtualOfficeContractId != nil),
                    "VirtualOfficePaused": profile.virtualOfficeContractId.map { pausedContracts.contains($0) }.json,
                    "VirtualOfficeContractId": profile.virtualOfficeContractId.json,
                ]
            }),
        ]
        return revision == .revised ? Self.revisedProfiles(answer) : answer
    }

    /// Profiles as a later release might send them: one member gone, one new.
    private static func revisedProfiles(_ answer: JSON) -> JSON {
        guard case .object(let root) = answer else { return answer }
        return .object(root.map { key, value in
            guard key == "Profiles", case .array(let profiles) = value else { return (key, value) }
            return (key, .array(profiles.map { profile in
                guard case .object(let members) = profile else { return profile }
                return .object(members.filter { $0.0 != "VirtualOfficePaused" } + [("PortalTheme", .string("light"))])
            }))
        })
    }

    /// `added`: the people added through the sandbox, who count as members.
    func teamJSON(_ team: Team, added: [SandboxState.AddedMember] = []) -> JSON {
        let administrators = team.memberships.filter(\.isAdministrator).compactMap { profile($0.profileId) }
        return [
            "Id": .int(team.id),
            "Name": .string(team.name),
            "BusinessName": .string(team.businessName),
            "TeamMembersCount": .int(team.memberships.count + added.count),
            "ProfileSummary": .string(team.profileSummary),
            "MaxTeamMemberCount": team.maxTeamMemberCount.json,
            "UniqueId": .string(team.uniqueId),
            "IdString": .string(String(team.id)),
            "Description": .null,
            "ProfileIsPublic": false,
            "ProfileWebsite": .null,
            "TeamAdministratorsFullNames": .array(administrators.map { .string($0.fullName) }),
            "HasTeamLogo": false,
            "CreatedOn": .string(team.createdOn),
            "UpdatedOn": .string(team.createdOn),
        ]
    }

    /// One element of `GET /en/team/profiles`, seen by the member `membership`, with the people
    /// added and the contracts paused through the sandbox.
    func teamProfileJSON(
        _ team: Team, seenBy membership: Membership, added: [SandboxState.AddedMember], contracts changes: SandboxState.ContractChanges
    ) -> JSON {
        let members: [JSON] = team.memberships.compactMap { profile($0.profileId) }.map { member in
            [
                "Id": .int(member.id),
                "FullName": .string(member.fullName),
                "Email": .string(member.email),
                "Contracts": .array(contracts(of: member.id).map { memberContractJSON($0, changes) }),
            ]
        }
        // The service names a customer it makes from an address after the address.
        let newcomers: [JSON] = added.map { ["Id": .int($0.id), "FullName": .string($0.email), "Email": .string($0.email), "Contracts": []] }
        return [
            "CanAddNewMembers": .bool(membership.canAddNewMembers),
            "CanRemoveMembers": .bool(membership.canRemoveMembers),
            "CanCancelMembers": .bool(membership.canCancelMembers),
            "Team": teamJSON(team, added: added),
            "RecentBookings": .null,
            "AllTeamMembers": .array(members + newcomers),
        ]
    }

    func memberContractJSON(_ contract: Contract, _ changes: SandboxState.ContractChanges) -> JSON {
        [
            "Id": .int(contract.id),
            "StartDate": .string(contract.startDate),
            "NextInvoice": .string(contract.nextInvoice),
            "Price": .double(contract.price),
            "CurrencyCode": .string(contract.currencyCode),
            "TariffName": .string(contract.tariffName),
            "CancellationDate": cancellationDate(of: contract, changes),
            "IsPaused": .bool(changes.paused.contains(contract.id)),
        ]
    }

    /// A cancelled plan ends with the billing period it is in: on its next invoice's date.
    func cancellationDate(of contract: Contract, _ changes: SandboxState.ContractChanges) -> JSON {
        changes.cancelled.contains(contract.id) ? .string(contract.nextInvoice) : .null
    }

    /// `GET /api/public/billing/coworkerContracts/{id}`.
    func contractDetailJSON(_ contract: Contract, _ changes: SandboxState.ContractChanges) -> JSON {
        [
            "Id": .int(contract.id),
            "CoworkerId": .int(contract.coworkerId),
            "TariffId": .int(contract.tariffId),
            "TariffName": .string(contract.tariffName),
            "Price": .double(contract.price),
            "PriceFormatted": .string(Self.formatPrice(contract.price, currencyCode: contract.currencyCode)),
            "CurrencyCode": .string(contract.currencyCode),
            "Quantity": 1,
            "StartDate": .string(contract.startDate),
            "RenewalDate": .string(contract.nextInvoice),
            "BillingDay": .int(contract.billingDay),
            "CancellationDate": cancellationDate(of: contract, changes),
            "Active": true,
            "Cancelled": false,
            "MainContract": true,
            "IsPaused": .bool(changes.paused.contains(contract.id)),
        ]
    }

    func benefitsJSON(profileId: Int) -> JSON {
        let teamIds = teams(of: profileId).map(\.0.id)
        let shared = teamIds.compactMap { teamBenefits[$0] }
        let team: JSON = teamIds.isEmpty ? .null : Self.benefitsJSON(Benefits(
            bookingCredits: shared.flatMap(\.bookingCredits),
            extraServices: shared.flatMap(\.extraServices),
            timePasses: shared.flatMap(\.timePasses)
        ))
        return [
            "Personal": Self.benefitsJSON(profileBenefits[profileId] ?? Benefits()),
            "Team": team,
        ]
    }

    private static func benefitsJSON(_ benefits: Benefits) -> JSON {
        [
            "BookingCredits": .array(benefits.bookingCredits.map { credit in
                [
                    "Id": .int(credit.id),
                    "Name": .string(credit.name),
                    "TotalCredit": .double(credit.totalCredit),
                    "RemainingCredit": .double(credit.remainingCredit),
                    "CaneBeUsedForBookings": true,
                    "CaneBeUsedForEvents": false,
                    "IsUniversalCredit": false,
                    "IsFromTariff": true,
                    "ExpireDate": credit.expireDate.json,
                ]
            }),
            "ExtraServices": .array(benefits.extraServices.map { service in
                [
                    "Id": .int(service.id),
                    "ExtraService": [
                        "Id": .int(service.serviceId),
                        "Name": .string(service.name),
                        "IsPrintingCredit": .bool(service.isPrintingCredit),
                    ],
                    "TotalUses": .int(service.totalUses),
                    "RemainingUses": .int(service.remainingUses),
                    "ChargePeriod": "Monthly",
                    "IsFromTariff": true,
                    "ExpireDate": .null,
                ]
            }),
            "TimePasses": .array(benefits.timePasses.map { pass in
                [
                    "Id": .int(pass.id),
                    "TimePass": ["Id": .int(pass.passId), "Name": .string(pass.name)],
                    "TotalUses": pass.totalUses.json,
                    "RemainingUses": pass.remainingUses.json,
                    "Used": .bool(pass.remainingUses == 0),
                    "IsFromTariff": true,
                    "ExpireDate": pass.expireDate.json,
                ]
            }),
        ]
    }

    /// The `ApiListResult` envelope of the public list endpoints.
    static func listEnvelope(
        _ records: [JSON], page: Int, pageSize: Int, orderField: String = "Name", sortDirection: String = "ASC"
    ) -> JSON {
        let total = records.count
        let pages = max(1, (total + pageSize - 1) / pageSize)
        // Saturating: a page number far past the end (`_page=9223372036854775807`) is an empty
        // page, not an overflow that stops the server.
        let (offset, overflowed) = (page - 1).multipliedReportingOverflow(by: pageSize)
        let first = overflowed ? Int.max : offset
        let slice = first < total ? Array(records[first..<min(total, first + pageSize)]) : []
        return [
            "Records": .array(slice),
            "CurrentPageSize": .int(pageSize),
            "CurrentPage": .int(page),
            "CurrentOrderField": .string(orderField),
            "CurrentSortDirection": .string(sortDirection),
            "FirstItem": .int(slice.isEmpty ? 0 : first + 1),
            "HasNextPage": .bool(page < pages),
            "HasPreviousPage": .bool(page > 1),
            "LastItem": .int(first + slice.count),
            "PageNumber": .int(page),
            "PageSize": .int(pageSize),
            "TotalItems": .int(total),
            "TotalPages": .int(pages),
        ]
    }

    static func actionConfirmation(
        successful: Bool,
        status: Int,
        message: String? = nil,
        errors: [(property: String, attempted: String?, message: String)] = []
    ) -> JSON {
        [
            "WasSuccessful": .bool(successful),
            "Value": .null,
            "Status": .int(status),
            "Message": message.json,
            "Errors": errors.isEmpty ? .null : .array(errors.map { error in
                [
                    "AttemptedValue": error.attempted.json,
                    "Message": .string(error.message),
                    "PropertyName": .string(error.property),
                ]
            }),
        ]
    }

    static func formatPrice(_ price: Double, currencyCode: String) -> String {
        let symbol = ["GBP": "£", "USD": "$", "EUR": "€"][currencyCode] ?? "\(currencyCode) "
        let cents = Int((price * 100).rounded())
        let fraction = cents % 100
        return "\(symbol)\(cents / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

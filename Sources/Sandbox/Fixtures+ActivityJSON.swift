/// How the member endpoints' records are written on the wire (PascalCase members, in the order
/// the documentation's examples list them).
extension Fixtures {
    func bookingJSON(_ booking: Booking) -> JSON {
        let resource = resource(booking.resourceId)
        return [
            "Id": .int(booking.id),
            "ResourceId": .int(booking.resourceId),
            "ResourceName": resource.map(\.name).json,
            "FromTime": .string(booking.fromTime),
            "ToTime": .string(booking.toTime),
            "CoworkerId": .int(booking.coworkerId),
            "CoworkerFullName": profile(booking.coworkerId).map(\.fullName).json,
            "BusinessId": resource.map(\.businessId).json,
            "Notes": .null,
            "Cancelled": false,
        ]
    }

    func invoiceJSON(_ invoice: Invoice) -> JSON {
        let contract = contract(invoice.contractId)
        let currency = contract?.currencyCode ?? "GBP"
        return [
            "Id": .int(invoice.id),
            "InvoiceNumber": .string("\(invoice.isCreditNote ? "CN" : "INV")-\(invoice.id)"),
            "CoworkerId": .int(invoice.coworkerId),
            "CoworkerContractId": .int(invoice.contractId),
            "BusinessId": .int(account(profileId: invoice.coworkerId)?.businessId ?? 7),
            "Description": .string(contract?.tariffName ?? ""),
            "IssuedOn": .string(invoice.issuedOn),
            "TotalAmount": .double(invoice.amount),
            "TotalAmountFormatted": .string(Self.formatPrice(invoice.amount, currencyCode: currency)),
            "CurrencyCode": .string(currency),
            "Paid": .bool(invoice.paid),
            "IsCreditNote": .bool(invoice.isCreditNote),
        ]
    }

    func eventJSON(_ event: Event) -> JSON {
        let resource = resource(event.resourceId)
        return [
            "Id": .int(event.id),
            "Name": .string(event.name),
            "StartDate": .string(event.startDate),
            "EndDate": .string(event.endDate),
            "Location": resource.map(\.name).json,
            "ResourceId": .int(event.resourceId),
            "BusinessId": resource.map(\.businessId).json,
            "Attendees": .array(event.attendeeIds.compactMap(profile).map { attendee in
                ["CoworkerId": .int(attendee.id), "FullName": .string(attendee.fullName)]
            }),
        ]
    }

    func visitorJSON(_ visitor: Visitor) -> JSON {
        [
            "Id": .int(visitor.id),
            "FullName": .string(visitor.fullName),
            "Email": .string(visitor.email),
            "CoworkerId": .int(visitor.hostId),
            "CoworkerFullName": profile(visitor.hostId).map(\.fullName).json,
            "ExpectedArrival": .string(visitor.expectedArrival),
            "CheckedIn": .bool(visitor.expectedArrival < Self.today),
        ]
    }

    func deliveryJSON(_ delivery: Delivery) -> JSON {
        [
            "Id": .int(delivery.id),
            "CoworkerId": .int(delivery.coworkerId),
            "CoworkerFullName": profile(delivery.coworkerId).map(\.fullName).json,
            "Carrier": .string(delivery.carrier),
            "Location": "Reception",
            "ReceivedOn": .string(delivery.receivedOn),
            "CollectedOn": delivery.collectedOn.json,
            "Collected": .bool(delivery.collectedOn != nil),
        ]
    }

    /// A plan of `GET /api/public/plans/my`: the profile's contract as the portal lists it.
    func planJSON(_ contract: Contract, _ changes: SandboxState.ContractChanges) -> JSON {
        [
            "Id": .int(contract.id),
            "TariffId": .int(contract.tariffId),
            "Name": .string(contract.tariffName),
            "Price": .double(contract.price),
            "PriceFormatted": .string(Self.formatPrice(contract.price, currencyCode: contract.currencyCode)),
            "CurrencyCode": .string(contract.currencyCode),
            "StartDate": .string(contract.startDate),
            "NextInvoice": .string(contract.nextInvoice),
            "IsPaused": .bool(changes.paused.contains(contract.id)),
            "CancellationDate": cancellationDate(of: contract, changes),
        ]
    }

    func businessJSON(_ business: Business) -> JSON {
        [
            "Id": .int(business.id),
            "Name": .string(business.name),
            "WebAddress": .string(business.webAddress),
            "TimeZone": .string(business.timeZone),
            "Currency": ["Code": .string(business.currencyCode)],
        ]
    }

    /// `GET /en/profile?_resource=Coworker`: the fields the member can edit.
    func editableProfileJSON(_ profile: Profile) -> JSON {
        [
            "Id": .int(profile.id),
            "FullName": .string(profile.fullName),
            "Email": .string(profile.email),
            "CompanyName": .string(profile.companyName),
            "CoworkerType": .int(profile.coworkerType),
            "BillingName": .string(profile.companyName.isEmpty ? profile.fullName : profile.companyName),
            "MobilePhone": .null,
            "Address": .null,
            "PostCode": .null,
            "CityName": "London",
            "ProfileSummary": .null,
            "ProfileWebsite": .null,
            "ProfileIsPublic": false,
        ]
    }

    /// `GET /api/public/teams/published/{id}`: what any member may see of a team.
    func publishedTeamJSON(_ team: Team) -> JSON {
        [
            "Id": .int(team.id),
            "Name": .string(team.name),
            "BusinessName": .string(team.businessName),
            "ProfileSummary": .string(team.profileSummary),
            "TeamMembersCount": .int(team.memberships.count),
            "Members": .array(team.memberships.compactMap { profile($0.profileId) }.map { member in
                ["Id": .int(member.id), "FullName": .string(member.fullName)]
            }),
        ]
    }

    func account(profileId: Int) -> Account? { accounts.first { $0.profileIds.contains(profileId) } }
}

import Hummingbird

/// The member's own lists: bookings, invoices, events, visitors, deliveries, plans. Each is the
/// active profile's. The documentation pages events and deliveries (each in its own convention);
/// the others come as bare arrays, as the portal sends them.
///
/// Filters: `showUpcoming=true` and `showPending=true` narrow the list (any other value shows
/// everything); `paid` and `creditNotes` are three-way: `true`, `false`, or absent for both.
extension SandboxRoutes {
    func registerMemberListRoutes(on router: Router<BasicRequestContext>) {
        router.get("/api/public/bookings/my", use: bookings)
        router.get("/api/public/billing/invoices/my", use: invoices)
        router.get("/api/public/events/my", use: events)
        router.get("/api/public/visitors/my", use: visitors)
        router.get("/api/public/deliveries/my", use: deliveries)
        router.get("/api/public/plans/my", use: plans)
    }

    @Sendable func bookings(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            let active = await state.activeProfileId(of: account)
            let records = fixtures.activity.bookings.filter { $0.coworkerId == active }.map(fixtures.bookingJSON)
            return Self.shaped(.array(records), request)
        }
    }

    @Sendable func invoices(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            let query = request.uri.queryParameters
            let paid = query["paid"].flatMap { Self.strictFlag($0) }
            let creditNotes = query["creditNotes"].flatMap { Self.strictFlag($0) }
            let active = await state.activeProfileId(of: account)
            let contractIds = Set(fixtures.contracts(of: active).map(\.id))
            let records = fixtures.activity.invoices
                .filter { contractIds.contains($0.contractId) }
                .filter { paid == nil || $0.paid == paid }
                .filter { creditNotes == nil || $0.isCreditNote == creditNotes }
                .sorted { $0.issuedOn > $1.issuedOn }
                .map(fixtures.invoiceJSON)
            return Self.shaped(.array(records), request)
        }
    }

    @Sendable func events(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            let query = request.uri.queryParameters
            let upcomingOnly = Self.flag(query["showUpcoming"])
            let active = await state.activeProfileId(of: account)
            let records = fixtures.activity.events
                .filter { $0.attendeeIds.contains(active) }
                .filter { !upcomingOnly || $0.startDate >= Fixtures.today }
                .map(fixtures.eventJSON)
            let paging = ListPaging(query, convention: .underscored, defaultPageSize: 25, defaultOrder: "StartDate")
            return Self.shaped(paging.envelope(records), request)
        }
    }

    @Sendable func visitors(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            let upcomingOnly = Self.flag(request.uri.queryParameters["showUpcoming"])
            let active = await state.activeProfileId(of: account)
            let records = fixtures.activity.visitors
                .filter { $0.hostId == active }
                .filter { !upcomingOnly || $0.expectedArrival >= Fixtures.today }
                .map(fixtures.visitorJSON)
            return Self.shaped(.array(records), request)
        }
    }

    @Sendable func deliveries(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            let query = request.uri.queryParameters
            let pendingOnly = Self.flag(query["showPending"])
            let active = await state.activeProfileId(of: account)
            let records = fixtures.activity.deliveries
                .filter { $0.coworkerId == active }
                .filter { !pendingOnly || $0.collectedOn == nil }
                .map(fixtures.deliveryJSON)
            // The newest parcel first, as the portal lists them.
            let paging = ListPaging(query, convention: .plain, defaultPageSize: 15, defaultOrder: "ReceivedOn", defaultDescending: true)
            return Self.shaped(paging.envelope(records), request)
        }
    }

    @Sendable func plans(request: Request, context: BasicRequestContext) async throws -> Response {
        try await signedIn(request) { account, _ in
            let active = await state.activeProfileId(of: account)
            let changes = await state.contractChanges()
            let records = fixtures.contracts(of: active).map { fixtures.planJSON($0, changes) }
            return Self.shaped(.array(records), request)
        }
    }
}

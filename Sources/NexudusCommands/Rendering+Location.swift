import Foundation
import NexudusAPI
import ShellCore

/// The location and the member's own standing in it, read on a terminal.
extension Rendering {
    static func business(_ business: Business, style: TextStyle) -> String {
        let heading = style.bold(Terminal.safe(business.name ?? "?")) + " (business \(business.id.map(String.init) ?? "?"))"
        let fields: [(String, String?)] = [
            ("web address", business.webAddress),
            ("time zone", business.timeZone),
            ("currency", business.currency?.code),
        ]
        return ([heading] + keyValues(fields)).joined(separator: "\n")
    }

    static func plans(_ plans: [Plan], style: TextStyle) -> String {
        guard !plans.isEmpty else { return "no plans" }
        var table = TextTable(headers: ["ID", "PLAN", "PRICE", "STARTED", "NEXT INVOICE", "STATUS"], alignments: [.right, .left, .right, .left, .left, .left])
        for plan in plans {
            let status = plan.cancellationDate.map { "cancels " + day($0) } ?? (plan.isPaused == true ? "paused" : "active")
            table.add([
                plan.id.map(String.init) ?? "?",
                plan.name ?? "",
                // The amount and the ISO code, as `contract` shows them (not the locale's PriceFormatted).
                plan.price.map { money($0, plan.currencyCode) } ?? plan.priceFormatted ?? "",
                plan.startDate.map(day) ?? "",
                plan.nextInvoice.map(day) ?? "",
                status,
            ])
        }
        return table.render(style: style).joined(separator: "\n")
    }

    static func bookings(_ bookings: [Booking], style: TextStyle) -> String {
        guard !bookings.isEmpty else { return "no bookings" }
        var table = TextTable(headers: ["ID", "DATE", "TIME", "RESOURCE", "STATUS"], alignments: [.right, .left, .left, .left, .left])
        for booking in bookings {
            let (date, time) = period(from: booking.fromTime, to: booking.toTime)
            table.add([
                booking.id.map(String.init) ?? "?",
                date,
                time,
                booking.resourceName ?? booking.resourceId.map { "resource \($0)" } ?? "",
                booking.cancelled == true ? "cancelled" : "booked",
            ])
        }
        return table.render(style: style).joined(separator: "\n")
    }

    static func editableProfile(_ profile: EditableProfile, style: TextStyle) -> String {
        let heading = style.bold(Terminal.safe(profile.fullName ?? profile.companyName ?? "?")) + " (profile \(profile.id.map(String.init) ?? "?"))"
        let fields: [(String, String?)] = [
            ("email", profile.email),
            ("company", profile.companyName.flatMap { $0.isEmpty ? nil : $0 }),
            ("type", profile.coworkerType.map { $0 == 2 ? "company" : $0 == 1 ? "individual" : String($0) }),
            ("billing name", profile.billingName),
            ("mobile phone", profile.mobilePhone),
            ("address", profile.address),
            ("post code", profile.postCode),
            ("city", profile.cityName),
            ("summary", profile.profileSummary),
            ("website", profile.profileWebsite),
            ("public", profile.profileIsPublic.map { $0 ? "yes" : "no" }),
        ]
        return ([heading] + keyValues(fields)).joined(separator: "\n")
    }

    /// `2025-01-21T09:00:00`…`2025-01-21T12:00:00` → (`2025-01-21`, `09:00–12:00`), the en dash
    /// of the events' spans; a period that ends on another day names that day too. Text that is
    /// not such a date-time is kept.
    static func period(from start: String?, to end: String?) -> (date: String, time: String) {
        func split(_ text: String?) -> (day: String, time: String)? {
            guard let text, let mark = text.firstIndex(of: "T") else { return nil }
            return (String(text[..<mark]), String(text[text.index(after: mark)...].prefix(5)))
        }
        guard let from = split(start) else { return (start ?? "?", "") }
        guard let to = split(end) else { return (from.day, from.time + "–" + (end ?? "?")) }
        return (from.day, from.time + "–" + (to.day == from.day ? to.time : to.day + " " + to.time))
    }
}

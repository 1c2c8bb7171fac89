import Foundation
import NexudusAPI
import ShellCore

/// The tables of the member's activity lists. Each fits 80 columns with the sandbox's records;
/// a longer name gives way (``TextTable`` cuts the widest column).
extension Rendering {
    static func invoices(_ invoices: [Invoice], style: TextStyle) -> String {
        guard !invoices.isEmpty else { return "no invoices" }
        var table = TextTable(headers: ["ID", "NUMBER", "ISSUED", "DESCRIPTION", "AMOUNT", "STATUS"], alignments: [.right, .left, .left, .left, .right, .left])
        for invoice in invoices {
            let status = invoice.isCreditNote == true ? "credit note" : invoice.paid.map { $0 ? "paid" : "unpaid" } ?? ""
            table.add([
                id(invoice.id), invoice.invoiceNumber ?? "", invoice.issuedOn.map(calendarDay) ?? "", invoice.description ?? "",
                invoice.totalAmount.map { money($0, invoice.currencyCode) } ?? invoice.totalAmountFormatted ?? "", status,
            ])
        }
        return table.render(style: style).joined(separator: "\n")
    }

    static func events(_ events: [Event], upcoming: Bool, style: TextStyle) -> String {
        guard !events.isEmpty else { return upcoming ? "no upcoming events" : "no events" }
        var table = TextTable(headers: ["ID", "EVENT", "WHEN", "WHERE", "ATTENDEES"], alignments: [.right, .left, .left, .left, .right])
        for event in events {
            table.add([
                id(event.id), event.name ?? "", span(event.startDate, event.endDate), event.location ?? "",
                event.attendees.map { String($0.count) } ?? "",
            ])
        }
        return table.render(style: style).joined(separator: "\n")
    }

    static func visitors(_ visitors: [Visitor], upcoming: Bool, style: TextStyle) -> String {
        guard !visitors.isEmpty else { return upcoming ? "no visitors expected" : "no visitors" }
        var table = TextTable(headers: ["ID", "VISITOR", "EMAIL", "EXPECTED", "CHECKED IN"], alignments: [.right, .left, .left, .left, .left])
        for visitor in visitors {
            table.add([
                id(visitor.id), visitor.fullName ?? "", visitor.email ?? "", visitor.expectedArrival.map(moment) ?? "",
                visitor.checkedIn.map { $0 ? "yes" : "no" } ?? "",
            ])
        }
        return table.render(style: style).joined(separator: "\n")
    }

    static func deliveries(_ deliveries: [Delivery], pending: Bool, style: TextStyle) -> String {
        guard !deliveries.isEmpty else { return pending ? "no parcels waiting" : "no deliveries" }
        var table = TextTable(headers: ["ID", "CARRIER", "WHERE", "RECEIVED", "COLLECTED"], alignments: [.right, .left, .left, .left, .left])
        for delivery in deliveries {
            let collected = delivery.collectedOn.map(moment) ?? (delivery.collected == true ? "yes" : "waiting")
            table.add([id(delivery.id), delivery.carrier ?? "", delivery.location ?? "", delivery.receivedOn.map(moment) ?? "", collected])
        }
        return table.render(style: style).joined(separator: "\n")
    }

    private static func id(_ id: Int?) -> String { id.map(String.init) ?? "?" }

    /// `2025-01-21T18:00:00` → `2025-01-21 18:00`: the API's local date-times, seconds dropped
    /// (the service sets none).
    static func moment(_ text: String) -> String {
        guard text.count == 19, text.dropFirst(10).first == "T", text.hasSuffix(":00") else { return text }
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
    }

    /// `2025-01-01T09:00:00` → `2025-01-01`: for what happens on a day, not at an hour.
    static func calendarDay(_ text: String) -> String {
        text.count == 19 && text.dropFirst(10).first == "T" ? String(text.prefix(10)) : text
    }

    /// `2025-01-21 18:00–20:00` for a span within one day, both moments in full otherwise.
    static func span(_ start: String?, _ end: String?) -> String {
        let from = start.map(moment) ?? "?"
        guard let end else { return from }
        let to = moment(end)
        return from.prefix(11) == to.prefix(11) && to.count == 16 ? from + "–" + to.dropFirst(11) : from + " – " + to
    }
}

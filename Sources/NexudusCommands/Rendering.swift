import Foundation
import NexudusAPI
import ShellCore

/// How Nexudus answers read on a terminal: tables and short lines, everything from the server
/// made safe to print.
enum Rendering {
    static func profileName(_ profile: CoworkerProfile, withId: Bool = true) -> String {
        let name = Terminal.safe(profile.fullName ?? profile.companyName ?? "?")
        let kind = profile.coworkerType.map { $0 == 2 ? "company" : "individual" }
        let text = withId ? "\(profile.id.map(String.init) ?? "?") \(name)" : name
        return kind.map { "\(text) (\($0))" } ?? text
    }

    static func signedIn(_ profiles: CoworkerProfiles, style: TextStyle) -> String {
        let user = profiles.user
        let who = "\(Terminal.safe(user?.fullName ?? "?")) <\(Terminal.safe(user?.email ?? "?"))>"
        let active = profiles.activeProfile.map { " · active profile " + profileName($0) } ?? ""
        return "signed in as " + style.bold(who) + active
    }

    /// `server`: the session's ``NexudusSession/serverDescription``.
    static func whoami(_ profiles: CoworkerProfiles, server: String, style: TextStyle) -> String {
        var lines: [String] = []
        if let user = profiles.user {
            lines.append(style.bold("\(Terminal.safe(user.fullName ?? "?")) <\(Terminal.safe(user.email ?? "?"))>")
                + (user.id.map { " (user \($0))" } ?? ""))
        }
        if let business = profiles.defaultBusiness {
            lines.append("business: \(Terminal.safe(business.name ?? "?")) (\(business.id.map(String.init) ?? "?"), \(Terminal.safe(business.webAddress ?? "?")))")
        }
        lines.append("profile:  " + (profiles.activeProfile.map { profileName($0) } ?? "none active"))
        lines.append("server:   \(Terminal.safe(server))")
        return lines.joined(separator: "\n")
    }

    static func profiles(_ answer: CoworkerProfiles, style: TextStyle) -> String {
        let profiles = answer.profiles ?? []
        guard !profiles.isEmpty else { return "no profiles" }
        var table = TextTable(headers: ["", "ID", "NAME", "COMPANY", "TYPE", "STATUS", "VIRTUAL OFFICE"], alignments: [.left, .right, .left, .left, .left, .left, .left])
        for profile in profiles {
            let virtualOffice: String
            if profile.hasVirtualOffice == true {
                let paused = profile.virtualOfficePaused == true ? "paused" : "active"
                virtualOffice = paused + (profile.virtualOfficeContractId.map { " (contract \($0))" } ?? "")
            } else {
                virtualOffice = "-"
            }
            table.add([
                profile.isDefaultProfile == true ? "*" : "",
                profile.id.map(String.init) ?? "?",
                profile.fullName ?? "",
                profile.companyName ?? "",
                profile.coworkerType.map { $0 == 2 ? "company" : $0 == 1 ? "individual" : String($0) } ?? "",
                profile.active == false ? "inactive" : "active",
                virtualOffice,
            ])
        }
        let activeRows = Set(profiles.indices.filter { profiles[$0].isDefaultProfile == true })
        return table.render(style: style) { row, _, text in activeRows.contains(row) ? style.bold(text) : text }.joined(separator: "\n")
    }

    static func teamProfiles(_ teams: [TeamProfile], bookable: Bool, style: TextStyle) -> String {
        guard !teams.isEmpty else { return bookable ? "no teams this profile can book for" : "no teams" }
        return teams.map { entry in
            var lines: [String] = []
            let team = entry.team
            var heading = style.bold(Terminal.safe(team?.name ?? "?")) + " (team \(team?.id.map(String.init) ?? "?"))"
            if let business = team?.businessName { heading += " · \(Terminal.safe(business))" }
            if let count = team?.teamMembersCount {
                heading += " · \(count) \(count == 1 ? "member" : "members")" + (team?.maxTeamMemberCount.map { " of \($0)" } ?? "")
            }
            lines.append(Terminal.wrapped(heading, width: style.columns, indent: "  "))
            let rights = [
                entry.canAddNewMembers == true ? "add members" : nil,
                entry.canRemoveMembers == true ? "remove members" : nil,
                entry.canCancelMembers == true ? "cancel contracts" : nil,
            ].compactMap { $0 }
            lines.append(Terminal.wrapped("  you can: " + (rights.isEmpty ? "view only" : rights.joined(separator: ", ")), width: style.columns, indent: "    "))
            var table = TextTable(headers: ["ID", "MEMBER", "EMAIL", "CONTRACTS"], alignments: [.right, .left, .left, .left])
            for member in entry.allTeamMembers ?? [] {
                let contracts = (member.contracts ?? []).map(contractSummary).joined(separator: "; ")
                table.add([member.id.map(String.init) ?? "?", member.fullName ?? "", member.email ?? "", contracts.isEmpty ? "-" : contracts])
            }
            if !table.rows.isEmpty { lines += table.render(style: style, indent: "  ") }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    static func contractSummary(_ contract: CoworkerContract) -> String {
        var parts = [contract.id.map(String.init) ?? "?"]
        if let name = contract.tariffName { parts.append(name) }
        var text = parts.joined(separator: " ")
        if let price = contract.price { text += ", " + money(price, contract.currencyCode) }
        if let next = contract.nextInvoice ?? contract.renewalDate { text += ", next invoice " + day(next) }
        if contract.isPaused == true { text += ", paused" }
        return text
    }

    static func team(_ team: Team, style: TextStyle) -> String {
        var lines = [style.bold(Terminal.safe(team.name ?? "?")) + " (team \(team.id.map(String.init) ?? "?"))"]
        let fields: [(String, String?)] = [
            ("business", team.businessName),
            ("summary", team.profileSummary),
            ("members", team.teamMembersCount.map { count in "\(count)" + (team.maxTeamMemberCount.map { " of \($0)" } ?? "") }),
            ("administrators", team.teamAdministratorsFullNames.map { $0.joined(separator: ", ") }),
            ("created", team.createdOn.map(day)),
        ]
        lines += keyValues(fields)
        return lines.joined(separator: "\n")
    }

    static func contract(_ contract: CoworkerContract, style: TextStyle) -> String {
        var lines = [style.bold("contract \(contract.id.map(String.init) ?? "?")") + (contract.tariffName.map { " · \(Terminal.safe($0))" } ?? "")]
        let status = contract.cancelled == true ? "cancelled" : contract.isPaused == true ? "paused" : contract.active == false ? "inactive" : "active"
        let fields: [(String, String?)] = [
            ("status", status),
            // The amount and the ISO code, as everywhere: the server's PriceFormatted follows the
            // space's locale, so the same price would read differently in two tables.
            ("price", contract.price.map { money($0, contract.currencyCode) } ?? contract.priceFormatted),
            ("quantity", contract.quantity.map(String.init)),
            ("started", contract.startDate.map(day)),
            ("renews", (contract.renewalDate ?? contract.nextInvoice).map(day)),
            ("billing day", contract.billingDay.map(String.init)),
            ("cancels", contract.cancellationDate.map(day)),
        ]
        lines += keyValues(fields)
        return lines.joined(separator: "\n")
    }

    static func benefits(_ benefits: ProfileBenefits, style: TextStyle) -> String {
        var lines: [String] = []
        for (title, set) in [("personal", benefits.personal), ("team", benefits.team)] {
            guard let set else { continue }
            lines.append(style.bold(title))
            var items: [String] = []
            for credit in set.bookingCredits ?? [] {
                let amounts = [credit.remainingCredit, credit.totalCredit].compactMap { $0.map(number) }
                var text = "  booking credit  \(Terminal.safe(credit.name ?? "?")): " + (amounts.count == 2 ? "\(amounts[0]) of \(amounts[1]) left" : "?")
                if let expiry = credit.expireDate { text += " (expires \(day(expiry)))" }
                items.append(text)
            }
            for service in set.extraServices ?? [] {
                let name = Terminal.safe(service.extraService?.name ?? "?")
                items.append("  extra service   \(name): \(service.remainingUses.map(String.init) ?? "?") of \(service.totalUses.map(String.init) ?? "?") uses left")
            }
            for pass in set.timePasses ?? [] {
                var text = "  time pass       \(Terminal.safe(pass.timePass?.name ?? "?"))"
                if let remaining = pass.remainingUses { text += ": \(remaining) of \(pass.totalUses.map(String.init) ?? "?") uses left" }
                if let expiry = pass.expireDate { text += " (expires \(day(expiry)))" }
                items.append(text)
            }
            lines += items.isEmpty ? ["  none"] : items
        }
        return lines.isEmpty ? "no benefits" : lines.joined(separator: "\n")
    }

    static func keyValues(_ fields: [(String, String?)]) -> [String] {
        let width = fields.map(\.0.count).max() ?? 0
        return fields.compactMap { key, value in
            value.map { "  " + (key + ":").padding(toLength: width + 2, withPad: " ", startingAt: 0) + Terminal.safe($0) }
        }
    }

    /// `2024-01-15T00:00:00` → `2024-01-15` (the API's local date-times; the time is midnight).
    static func day(_ text: String) -> String {
        text.hasSuffix("T00:00:00") ? String(text.dropLast(9)) : text
    }

    /// `49.00 GBP`: every price nexsh shows, in tables and in details alike.
    static func money(_ amount: Double, _ currency: String?) -> String {
        String(format: "%.2f", amount) + (currency.map { " \($0)" } ?? "")
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

/// Where a nexsh script names personal data, so that the anonymized script sends the
/// anonymized requests and expects the anonymized answers: learned texts (emails, names) are
/// replaced everywhere, comments included; numbers that are learned ids are replaced in a
/// command's arguments (`switch 102`, `get /api/public/teams/55/profile`) and in an `expect`
/// on an id member (`expect .Profiles[*].Id == [101, 102]`), never in other expectations
/// (`expect count(.) == 2`, `expect status 404`).
///
/// Reading line by line is enough: a number the rules would take for an id is replaced by a
/// number, which keeps every word of the line a word.
enum ScriptLiterals {
    static func rewrite(_ script: String, _ replace: (_ line: String, _ numbers: PersonalText.Numbers, _ isCommand: Bool) -> String) -> String {
        script.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let isComment = line.drop(while: \.isWhitespace).hasPrefix("#")
            return replace(String(line), numbers(in: line), !isComment)
        }.joined(separator: "\n")
    }

    private static func numbers(in line: Substring) -> PersonalText.Numbers {
        let words = line.split(whereSeparator: \.isWhitespace)
        guard let command = words.first, !command.hasPrefix("#") else { return .kept }
        guard command == "expect" else { return .argument }
        guard words.count > 1, let member = lastMember(of: words[1]) else { return .kept }
        return PersonalFields.isIdMember(member) || PersonalFields.builtInMembers[member] == .id ? .argument : .kept
    }

    /// `VirtualOfficeContractId` for `.Profiles[1].VirtualOfficeContractId`, `Id` for `.[0].Id`.
    private static func lastMember(of path: Substring) -> String? {
        let trimmed = path.hasSuffix("]") ? path[..<(path.lastIndex(of: "[") ?? path.endIndex)] : path
        let member = trimmed.split(separator: ".").last.map(String.init)
        return member?.split(separator: "[").first.map(String.init)
    }
}

/// The mapping from personal values to fakes, kept only in memory for one run: each fake is
/// drawn at random (not derived from the value), so nothing in the written file, and nothing
/// that could be rerun on it, leads back to the original. Within a run the same value always
/// gets the same fake, and no two values share one.
public struct Pseudonyms {
    /// Personal values learned, with their kind (the first field a value was seen in decides,
    /// but for a company's name).
    private(set) var kinds: [String: PersonalKind] = [:]
    private(set) var ids: Set<Int> = []
    private var fakes: [String: String] = [:]
    private var fakeIDs: [Int: Int] = [:]
    private var usedFakes: Set<String> = []
    /// Every integer of the file: a fake id is never one of them, so it cannot be taken for a
    /// record that was not renamed.
    private var numbersInFile: Set<Int> = []
    private var random: any RandomNumberGenerator

    /// How many distinct values of each kind were replaced, and how many places in all.
    public private(set) var replacedValues: [PersonalKind: Int] = [:]
    public private(set) var replacements = 0

    public init(random: any RandomNumberGenerator = SystemRandomNumberGenerator()) {
        self.random = random
    }

    mutating func learn(_ value: String, kind: PersonalKind) {
        guard !value.isEmpty, !PersonalPatterns.isPseudonym(value) else { return }
        // A company profile's `FullName` is the company's name: `CompanyName` says so.
        if kinds[value] == nil || (kinds[value] == .name && kind == .company) { kinds[value] = kind }
    }

    mutating func learnID(_ id: Int) {
        if id >= 0 { ids.insert(id) }
    }

    mutating func noteNumber(_ number: Int) {
        numbersInFile.insert(number)
    }

    func isKnown(_ value: String) -> Bool { kinds[value] != nil }
    func isKnownID(_ id: Int) -> Bool { ids.contains(id) }

    /// The fake for a learned value (nil for one never learned).
    mutating func fake(for value: String) -> String? {
        guard let kind = kinds[value] else { return nil }
        replacements += 1
        if let fake = fakes[value] { return fake }
        var fake: String
        var (length, attempts) = (4, 0)
        repeat {
            // A phone too short to have enough fakes of its shape becomes a plain value.
            let shape = attempts < 100 ? kind : .text
            fake = Self.shape(value, kind: shape, tag: randomTag(length: length), random: &random)
            length += usedFakes.count > 1 << (4 * length - 2) ? 1 : 0
            attempts += 1
        } while usedFakes.contains(fake) || kinds[fake] != nil
        usedFakes.insert(fake)
        fakes[value] = fake
        replacedValues[kind, default: 0] += 1
        return fake
    }

    /// The fake for a learned id (nil for one never learned): six digits or more, never an id
    /// or number of the file, never another id's.
    mutating func fakeID(for id: Int) -> Int? {
        guard ids.contains(id) else { return nil }
        replacements += 1
        if let fake = fakeIDs[id] { return fake }
        let taken = Set(fakeIDs.values)
        var upper = 999_999
        var fake: Int
        repeat {
            fake = Int.random(in: 100_000...upper, using: &random)
            if taken.count > upper / 4 { upper = upper * 10 + 9 }
        } while taken.contains(fake) || numbersInFile.contains(fake) || ids.contains(fake)
        fakeIDs[id] = fake
        replacedValues[.id, default: 0] += 1
        return fake
    }

    private mutating func randomTag(length: Int) -> String {
        String((0..<length).map { _ in Self.hexDigits.randomElement(using: &random)! })
    }

    private static let hexDigits = Array("0123456789ABCDEF")

    /// A fake that keeps the value's kind recognisable: `user-3f2a@example.invalid`,
    /// `Person 3F2A`; a phone keeps its length and separators with digits starting `000`.
    static func shape(_ value: String, kind: PersonalKind, tag: String, random: inout any RandomNumberGenerator) -> String {
        switch kind {
        case .email: "user-\(tag.lowercased())@\(PersonalPatterns.fakeEmailDomain)"
        case .name: "Person \(tag)"
        case .company: "Company \(tag)"
        case .address: "\(tag) Example Street"
        case .postCode: "ZZ\(tag)"
        case .city: "City \(tag)"
        case .text, .id: "Value \(tag)"
        case .phone: fakePhone(value, random: &random)
        }
    }

    private static func fakePhone(_ value: String, random: inout any RandomNumberGenerator) -> String {
        var digitsSoFar = 0
        return String(value.map { character -> Character in
            guard character.isASCIIDigit else { return character }
            digitsSoFar += 1
            return digitsSoFar <= 3 ? "0" : Character(String(Int.random(in: 0...9, using: &random)))
        })
    }
}

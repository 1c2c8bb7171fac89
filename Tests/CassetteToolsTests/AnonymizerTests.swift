import CassetteTools
import Foundation
import HTTPCassette
import HTTPValues
import JSONValues
import Testing

/// The anonymizer on cassettes built in memory: one fake per value wherever it appears, fakes
/// of the value's shape, placeholders untouched, and a check that finds what is left.
@Suite struct AnonymizerTests {
    func entry(_ method: HTTPMethod = .get, _ url: String, requestBody: String? = nil, contentType: String = "application/json", body: String)
        throws -> HAR.Entry
    {
        let headers = HTTPHeaders(requestBody == nil ? [] : [("Content-Type", "application/x-www-form-urlencoded")])
        return HAR.Entry(
            request: try HTTPRequest(method: method, url: url, headers: headers, body: requestBody.map { Data($0.utf8) } ?? Data()),
            response: HTTPResponse(status: 200, headers: [("Content-Type", contentType), ("X-Echo", "for jane@corp.test")], body: Data(body.utf8))
        )
    }

    func recording() throws -> Cassette {
        var cassette = Cassette()
        cassette.entries = [
            try entry(.post, "https://h.test/api/token", requestBody: "grant_type=password&username=jane%40corp.test&password=%3Credacted%3Apassword%3E",
                      body: #"{"access_token":"<redacted:access_token>"}"#),
            try entry(.get, "https://h.test/api/public/coworkers/profiles", body: """
                {"User":{"Id":42,"FullName":"Jane Roe","FirstName":"Jane","Email":"jane@corp.test"},"Profiles":[{"Id":101,"MobilePhone":"+44 7700 900123",\
                "CompanyName":"Roe Ltd","PostCode":"SW1A 1AA","Notes":"Call Jane Roe","Message":"Profile 101 is active since 2024-01-01"}]}
                """),
            try entry(.put, "https://h.test/api/public/coworkers/profiles/current?coworkerId=101", body: #"{"Status":200}"#),
            try entry(.get, "https://h.test/en/team/101/page", contentType: "text/html", body: "<p>Jane Roe (jane@corp.test), Roe Ltd, Room 1</p>"),
        ]
        return cassette
    }

    func anonymize(_ cassette: Cassette, rules: [String] = []) throws -> (Cassette, CassetteAnonymizer) {
        var anonymizer = CassetteAnonymizer(fields: PersonalFields(rules: try rules.map { try PersonalFields.Rule($0) }))
        anonymizer.learn(from: cassette)
        var anonymized = cassette
        anonymized.entries = cassette.entries.map { anonymizer.anonymize($0) }
        return (anonymized, anonymizer)
    }

    @Test func everyValueGetsOneFakeOfItsShapeWhereverItAppears() throws {
        let (anonymized, anonymizer) = try anonymize(try recording())
        let text = String(decoding: anonymized.encoded(), as: UTF8.self)
        for personal in ["jane@corp.test", "jane%40corp.test", "Jane Roe", "Roe Ltd", "7700 900123", "SW1A 1AA", "coworkerId=101", "/101/", "Profile 101"] {
            #expect(!text.contains(personal), "\(personal)")
        }
        let profile = try JSONValue.parse(Array(anonymized.entries[1].response.content.text!.utf8))
        let email = try #require(profile["User"]?["Email"]?.stringValue)
        #expect(email.hasPrefix("user-") && email.hasSuffix("@example.invalid"))
        #expect(anonymized.entries[0].request.postData?.text?.contains("username=\(PercentEncoder.unreserved.encode(email))") == true)
        #expect(anonymized.entries[0].response.headers.contains { $0.value == "for \(email)" })
        let name = try #require(profile["User"]?["FullName"]?.stringValue)
        #expect(name.hasPrefix("Person "))
        #expect(profile["Profiles"]?.arrayValue?.first?["Notes"]?.stringValue == "Call \(name)")
        let phone = try #require(profile["Profiles"]?.arrayValue?.first?["MobilePhone"]?.stringValue)
        #expect(phone.count == "+44 7700 900123".count && phone.hasPrefix("+00") && phone != "+44 7700 900123")
        let id = try #require(profile["Profiles"]?.arrayValue?.first?["Id"]?.numberValue?.intValue)
        #expect(id != 101 && id > 99_999)
        #expect(profile["User"]?["Id"]?.numberValue?.intValue != 42)
        #expect(profile["Profiles"]?.arrayValue?.first?["Message"]?.stringValue == "Profile \(id) is active since 2024-01-01")
        #expect(anonymized.entries[2].request.url.hasSuffix("coworkerId=\(id)"))
        let company = try #require(profile["Profiles"]?.arrayValue?.first?["CompanyName"]?.stringValue)
        #expect(anonymized.entries[3].request.url == "https://h.test/en/team/\(id)/page")
        #expect(anonymized.entries[3].response.content.text == "<p>\(name) (\(email)), \(company), Room 1</p>")
        // Secrets are the redactor's: placeholders stay.
        #expect(anonymized.entries[0].request.postData?.text?.hasSuffix("password=%3Credacted%3Apassword%3E") == true)
        #expect(anonymizer.pseudonyms.replacedValues == [.email: 1, .name: 2, .company: 1, .phone: 1, .postCode: 1, .id: 2])
    }

    @Test func aScriptNamesTheSameFakesWhereItNamesPersonalData() throws {
        var anonymizer = CassetteAnonymizer()
        anonymizer.learn(from: try recording())
        let recorded = anonymizer.anonymize(try recording().entries[1])
        let profile = try JSONValue.parse(Array(recorded.response.content.text!.utf8))
        let (email, first) = (profile["User"]?["Email"]?.stringValue ?? "", profile["User"]?["FirstName"]?.stringValue ?? "")
        let (user, id) = (profile["User"]?["Id"]?.numberValue?.intValue ?? 0, profile["Profiles"]?.arrayValue?.first?["Id"]?.numberValue?.intValue ?? 0)
        let script = anonymizer.anonymize(script: """
            # Jane Roe (jane@corp.test) switches to 101
            login jane@corp.test --password-env NEXSH_PASSWORD
            expect .User.Id == 42
            expect .User.FirstName == Jane
            switch 101
            expect .Profiles[*].Id == [101]
            expect count(.Profiles) == 101
            get /api/public/coworkers/101 coworkerId=101
            """)
        #expect(script == """
            # \(profile["User"]?["FullName"]?.stringValue ?? "") (\(email)) switches to 101
            login \(email) --password-env NEXSH_PASSWORD
            expect .User.Id == \(user)
            expect .User.FirstName == "\(first)"
            switch \(id)
            expect .Profiles[*].Id == [\(id)]
            expect count(.Profiles) == 101
            get /api/public/coworkers/\(id) coworkerId=\(id)
            """)
    }

    @Test func fieldRulesAddPersonalValuesAndTheCheckFindsWhatIsLeft() throws {
        let original = try recording()
        let check = PersonalDataCheck.findings(in: original, script: "login jane@corp.test", variables: [], fields: PersonalFields())
        #expect(check.contains { $0.location == "script line 1" && $0.value == "jane@corp.test" })
        #expect(check.contains { $0.location == "entry 2 response body .Profiles[0].MobilePhone" && $0.reason == "a phone number" })
        #expect(!check.contains { $0.value.contains("2024-01-01") })

        let (anonymized, _) = try anonymize(original, rules: [".Profiles[*].Notes=text"])
        #expect(PersonalDataCheck.findings(in: anonymized, script: nil, variables: [], fields: PersonalFields()).isEmpty)
        let notes = try JSONValue.parse(Array(anonymized.entries[1].response.content.text!.utf8))["Profiles"]?.arrayValue?.first?["Notes"]
        #expect(notes?.stringValue?.hasPrefix("Value ") == true)
        #expect(throws: PersonalFields.RuleError.self) { try PersonalFields.Rule(".Notes=shoe-size") }
    }
}

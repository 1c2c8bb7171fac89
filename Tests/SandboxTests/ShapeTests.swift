@testable import Sandbox
import Testing

@Suite struct ShapeTests {
    let profiles: JSON = [
        "User": ["Id": 42, "FullName": "Jane Doe", "Email": "jane.doe@example.com"],
        "DefaultBusiness": ["Id": 7, "Name": "Nexudus HQ"],
        "Profiles": [
            ["Id": 101, "FullName": "Jane Doe", "VirtualOfficeContractId": nil],
            ["Id": 102, "FullName": "Acme Design Co.", "VirtualOfficeContractId": 55],
        ],
    ]

    func shaped(_ parameter: String, _ value: JSON) throws -> String {
        try #require(Shape(parameter)).apply(to: value).serialized
    }

    @Test func keepsOnlyTheNamedNestedFields() throws {
        #expect(try shaped("User.FullName,Profiles.Id", profiles)
            == #"{"User":{"FullName":"Jane Doe"},"Profiles":[{"Id":101},{"Id":102}]}"#)
    }

    @Test func aPathEndingOnAnObjectKeepsItWhole() throws {
        #expect(try shaped("DefaultBusiness,User.Id", profiles)
            == #"{"User":{"Id":42},"DefaultBusiness":{"Id":7,"Name":"Nexudus HQ"}}"#)
        #expect(try shaped("Profiles", profiles) == profiles["Profiles"].map { JSON.object([("Profiles", $0)]).serialized })
    }

    @Test func appliesToEveryElementOfATopLevelArray() throws {
        let teams: JSON = [
            ["CanAddNewMembers": true, "Team": ["Id": 55, "Name": "Tech Innovators"]],
            ["CanAddNewMembers": false, "Team": ["Id": 56, "Name": "Acme Design Studio"]],
        ]
        let expected = #"[{"Team":{"Name":"Tech Innovators"}},{"Team":{"Name":"Acme Design Studio"}}]"#
        #expect(try shaped("Team.Name", teams) == expected)
        #expect(try shaped("[].Team.Name", teams) == expected, "the documentation's array notation")
    }

    @Test func unknownPathsSelectNothing() throws {
        #expect(try shaped("Records.FullName", profiles) == "{}")
        #expect(try shaped("User.Id.Deeper,Nope", profiles) == "{}")
        #expect(try shaped("Nope,User.Email", profiles) == #"{"User":{"Email":"jane.doe@example.com"}}"#)
        #expect(try shaped("Anything", [1, 2]) == "[{},{}]")
    }

    @Test func keysMatchWithoutRegardToCaseAndKeepTheirSpelling() throws {
        #expect(try shaped("user.fullname, PROFILES[].id", profiles)
            == #"{"User":{"FullName":"Jane Doe"},"Profiles":[{"Id":101},{"Id":102}]}"#)
    }

    @Test func nullValuesAndEmptyParametersAreHandled() throws {
        #expect(try shaped("Profiles.VirtualOfficeContractId", profiles)
            == #"{"Profiles":[{"VirtualOfficeContractId":null},{"VirtualOfficeContractId":55}]}"#)
        #expect(Shape(nil) == nil)
        #expect(Shape(" , ,") == nil)
    }

    @Test func serializesLikeTheDocumentation() {
        let value: JSON = ["Price": 250.0, "Rate": 0.5, "Text": "a \"quote\"\n\u{1}", "Big": .double(1e20)]
        #expect(value.serialized == #"{"Price":250.0,"Rate":0.5,"Text":"a \"quote\"\n\u0001","Big":1e+20}"#)
    }
}

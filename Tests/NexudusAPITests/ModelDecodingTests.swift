import Foundation
import NexshTesting
@testable import NexudusAPI
import Testing

/// The documentation's own examples decode into the models.
@Suite struct ModelDecodingTests {
    @Test func profilesExample() throws {
        let answer = try JSONDecoder().decode(CoworkerProfiles.self, from: SeedExamples.profiles)
        #expect(answer.user?.id == 42)
        #expect(answer.user?.email == "jane.doe@example.com")
        #expect(answer.user?.accessToken == "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9...")
        #expect(answer.user?.isAdmin == false)
        #expect(answer.defaultBusiness == Business(id: 7, name: "Nexudus HQ", webAddress: "nexudushq"))
        #expect(answer.profiles?.map(\.id) == [101, 102])
        #expect(answer.activeProfile?.id == 101)
        let company = try #require(answer.profiles?.last)
        #expect(company.coworkerType == 2)
        #expect(company.hasVirtualOffice == true)
        #expect(company.virtualOfficePaused == false)
        #expect(company.virtualOfficeContractId == 55)
        let individual = try #require(answer.profiles?.first)
        #expect(individual.virtualOfficePaused == nil)
        #expect(individual.virtualOfficeContractId == nil)
        #expect(individual.companyName == "")
    }

    @Test func switchProfileExample() throws {
        let confirmation = try JSONDecoder().decode(ActionConfirmation.self, from: SeedExamples.switchProfile)
        #expect(confirmation.wasSuccessful == true)
        #expect(confirmation.status == 200)
        #expect(confirmation.message == nil)
        #expect(confirmation.value == nil, "null and absent both decode as nil")
        #expect(confirmation.errors == nil)
    }

    /// The schema block of the switch page has placeholder values of other types and extra
    /// keys; decoding must survive it.
    @Test func switchProfileSchemaWithUnknownKeys() throws {
        let confirmation = try JSONDecoder().decode(ActionConfirmation.self, from: SeedExamples.switchProfileSchema)
        #expect(confirmation.wasSuccessful == true)
        #expect(confirmation.status == 123)
        #expect(confirmation.message == "{}")
        #expect(confirmation.errors == .string("<any>"))
    }

    @Test func teamProfilesExample() throws {
        let teams = try JSONDecoder().decode([TeamProfile].self, from: SeedExamples.teamProfiles)
        let entry = try #require(teams.first)
        #expect(teams.count == 1)
        #expect(entry.canAddNewMembers == true)
        #expect(entry.canRemoveMembers == true)
        #expect(entry.canCancelMembers == false)
        #expect(entry.recentBookings == nil)
        #expect(entry.team?.id == 55)
        #expect(entry.team?.name == "Tech Innovators")
        #expect(entry.team?.businessName == "Downtown Coworking Hub")
        #expect(entry.team?.teamMembersCount == 12)
        #expect(entry.team?.profileSummary == "Building the future")
        #expect(entry.team?.maxTeamMemberCount == 20)
        let member = try #require(entry.allTeamMembers?.first)
        #expect(member.id == 101)
        #expect(member.email == "jane@techinnovators.com")
        let contract = try #require(member.contracts?.first)
        #expect(contract.id == 5001)
        #expect(contract.startDate == "2024-01-15T00:00:00")
        #expect(contract.nextInvoice == "2025-02-01T00:00:00")
        #expect(contract.price == 250.0)
        #expect(contract.currencyCode == "GBP")
    }

    @Test func tokenAnswerAndTokenError() throws {
        let grant = try JSONDecoder().decode(TokenGrant.self, from: Data("""
            {"access_token": "abc", "token_type": "bearer", "expires_in": 604799, "refresh_token": "8xLOxBtZp8"}
            """.utf8))
        #expect(grant == TokenGrant(accessToken: "abc", tokenType: "bearer", expiresIn: 604799, refreshToken: "8xLOxBtZp8"))
        let failure = try JSONDecoder().decode(TokenError.self, from: Data("""
            {"error": "invalid_grant", "error_description": "The user name or password is incorrect."}
            """.utf8))
        #expect(failure.error == "invalid_grant")
        #expect(failure.errorDescription == "The user name or password is incorrect.")
    }

    @Test func shapedAnswersDecodeWithTheMissingFieldsNil() throws {
        let answer = try JSONDecoder().decode(CoworkerProfiles.self, from: Data("""
            {"Profiles": [{"FullName": "Jane Doe"}], "Extra": {"Nested": [1, 2]}}
            """.utf8))
        #expect(answer.user == nil)
        #expect(answer.profiles?.first?.fullName == "Jane Doe")
        #expect(answer.profiles?.first?.id == nil)
    }
}

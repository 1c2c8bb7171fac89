import Bundles
import CassetteTools
import Foundation
import HTTPCassette
import HTTPValues
import JSONValues
import NexudusCommands
import Testing

/// A bundle's own fields, called directly: written into a log and read back, checked for
/// credentials as `cassette verify` checks them, and redacted as `cassette redact` does.
@Suite struct ReproductionBundleTests {
    /// The shell's own check for secrets written in a script: what the app hands the bundle.
    let secrets = NexudusCommands.secretWords()

    func signIn(token: String) throws -> HAR.Entry {
        HAR.Entry(
            request: try HTTPRequest(method: .get, url: "https://a.example.com/api/public/coworkers/profiles", headers: [("Authorization", "Bearer \(token)")]),
            response: HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Data("{}".utf8))
        )
    }

    @Test func aBundleReadsBackAsItWasWrittenWithSecretVariablesHeldAsPlaceholders() throws {
        let bundle = ReproductionBundle(
            scriptName: "switch.nexsh", script: "profiles\nswitch 102\n", variables: [("who", "jane"), ("password", "hunter2")],
            nexshVersion: "9.9.9", server: "https://a.example.com", matchRules: MatchRules(headers: ["X-Api-Key"])
        )
        #expect(bundle.variables.map(\.value) == ["jane", RedactionRules.placeholder("password")])
        let cassette = bundle.cassette(around: HAR.Log(creator: Cassette.defaultCreator, entries: [try signIn(token: "abc")]))
        let read = try #require(try ReproductionBundle(log: Cassette.parse(cassette.encoded(), path: "b.har").log, path: "b.har"))
        #expect(read == bundle)
        #expect(try ReproductionBundle(log: HAR.Log(creator: Cassette.defaultCreator), path: "plain.har") == nil)
    }

    @Test func theVerifierFindsWhatABundlesFieldsStillHoldAndRedactingTakesItOut() throws {
        let token = "tok-0123456789abcdef"
        var log = HAR.Log(creator: Cassette.defaultCreator, entries: [try signIn(token: token)])
        ReproductionBundle(scriptName: "s.nexsh", script: "", variables: [], nexshVersion: "1", server: "").store(in: &log)
        // Written by hand, as by a tool that knows nothing of redaction.
        log.extensions["_script"] = ["name": "s.nexsh", "text": .string("login jane@example.com --password hunter2\necho \(token)\n")]
        log.extensions["_variables"] = ["password": "hunter2", "note": .string("uses \(token)")]
        let check = ReproductionBundle.secretFindings(script: secrets.findings)

        let found = CassetteVerifier.findings(in: Cassette(log: log), logFields: check)
        #expect(found.contains { $0.location == "log._script.text" && $0.message.hasPrefix("line 1:") }, "\(found)")
        // The token was learned from the entry's header, and is found in the fields too.
        #expect(found.contains { $0.location == "log._script.text" && $0.message.contains("<redacted:authorization>") }, "\(found)")
        #expect(found.contains { $0.location == "log._variables.password" && $0.message == "variable 'password' is not redacted" }, "\(found)")
        #expect(found.contains { $0.location == "log._variables.note" }, "\(found)")

        var redacted = Cassette(log: log)
        var redactor = Redactor(rules: .standard)
        redacted.entries = redacted.entries.map { redactor.redact($0) }
        ReproductionBundle.redactFields(of: &redacted.log, redactor: &redactor, script: secrets.scrub)
        #expect(CassetteVerifier.findings(in: redacted, logFields: check).isEmpty)
        #expect(!String(decoding: redacted.encoded(), as: UTF8.self).contains(token))
        #expect(!String(decoding: redacted.encoded(), as: UTF8.self).contains("hunter2"))
    }

    @Test func rewritingTheScriptLeavesAPlainCassetteAsItIs() {
        var plain = HAR.Log(creator: Cassette.defaultCreator)
        ReproductionBundle.rewriteScript(in: &plain) { _ in "changed" }
        #expect(plain == HAR.Log(creator: Cassette.defaultCreator))
        var bundled = plain
        ReproductionBundle(scriptName: "s.nexsh", script: "profiles\n", variables: [], nexshVersion: "1", server: "").store(in: &bundled)
        ReproductionBundle.rewriteScript(in: &bundled) { $0.uppercased() }
        #expect(bundled.extensions["_script"]?["text"]?.stringValue == "PROFILES\n")
    }
}

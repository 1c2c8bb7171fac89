import Foundation
import NexshTesting
import Sandbox
import Testing

/// `nexsh sandbox` as a separate process, answering `curl`: a client that is not ours.
@Suite struct SandboxCommandTests {
    let curlPath = BuildProducts.tool("curl")

    func curl(_ arguments: [String]) async throws -> String {
        let curl = try #require(curlPath, "curl is needed for these tests")
        let result = try await ChildProcess.run(curl, ["--silent", "--show-error", "--max-time", "20"] + arguments)
        #expect(result.status == 0, "curl \(arguments): \(result.standardError)")
        return result.standardOutput
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    /// Starts `nexsh sandbox` on a free port and returns it with its base URL.
    func startSandbox(_ extra: [String] = ["--quiet"]) async throws -> (ChildProcess, String) {
        let child = try ChildProcess(BuildProducts.nexsh, ["sandbox", "--port", "0"] + extra)
        let line = try await child.waitForOutput(matching: #"listening on http://127\.0\.0\.1:\d+"#)
        return (child, String(line.dropFirst("listening on ".count)))
    }

    @Test func answersCurlAsTheDocumentationDescribes() async throws {
        let (sandbox, base) = try await startSandbox()
        defer { sandbox.stop() }

        let token = try json(try await curl([
            "-X", "POST", "\(base)/api/token",
            "-H", "Content-Type: application/x-www-form-urlencoded",
            "--data", "grant_type=password&username=jane.doe%40example.com&password=correct-horse",
        ]))
        #expect(token["token_type"] as? String == "bearer")
        let accessToken = try #require(token["access_token"] as? String)
        let auth = ["-H", "Authorization: Bearer \(accessToken)"]

        let profiles = try json(try await curl(auth + ["\(base)/api/public/coworkers/profiles"]))
        let user = try #require(profiles["User"] as? [String: Any])
        #expect(user["Email"] as? String == "jane.doe@example.com")
        #expect(user["AccessToken"] as? String == accessToken)
        #expect((profiles["Profiles"] as? [[String: Any]])?.compactMap { $0["Id"] as? Int } == [101, 102])

        let shaped = try await curl(auth + ["\(base)/api/public/coworkers/profiles?_shape=Profiles.Id,Profiles.IsDefaultProfile"])
        #expect(shaped == #"{"Profiles":[{"Id":101,"IsDefaultProfile":true},{"Id":102,"IsDefaultProfile":false}]}"#)

        let switched = try await curl(auth + ["-X", "PUT", "\(base)/api/public/coworkers/profiles/current?coworkerId=102"])
        #expect(switched == #"{"WasSuccessful":true,"Value":null,"Status":200,"Message":null,"Errors":null}"#)
        let after = try json(try await curl(auth + ["\(base)/api/public/coworkers/profiles"]))
        #expect((after["Profiles"] as? [[String: Any]])?.compactMap { $0["IsDefaultProfile"] as? Bool } == [false, true])

        let status = { (arguments: [String]) in try await self.curl(["--output", "/dev/null", "--write-out", "%{http_code}"] + arguments) }
        #expect(try await status(auth + ["-X", "PUT", "\(base)/api/public/coworkers/profiles/current?coworkerId=201"]) == "404")
        #expect(try await status(auth + ["-X", "PUT", "\(base)/api/public/coworkers/profiles/current?coworkerId=abc"]) == "400")
        #expect(try await status(["-X", "PUT", "\(base)/api/public/coworkers/profiles/current?coworkerId=102"]) == "401")
        #expect(try await status(["\(base)/api/public/coworkers/profiles"]) == "401")

        let jsonGrant = try json(try await curl([
            "-X", "POST", "\(base)/api/token", "-H", "Content-Type: application/json",
            "--data", #"{"grant_type":"password","username":"jane.doe@example.com","password":"correct-horse"}"#,
        ]))
        #expect(jsonGrant["error"] as? String == "unsupported_grant_type")

        sandbox.signal(SIGTERM)
        #expect(try await sandbox.waitForExit() == 0)
        #expect(sandbox.standardError.contains("nexsh sandbox: stopped"))
    }

    @Test func bannerListsTheSignInDetailsAndCtrlCStopsCleanly() async throws {
        let (sandbox, base) = try await startSandbox([])
        defer { sandbox.stop() }
        #expect(sandbox.standardOutput.contains("jane.doe@example.com / correct-horse"))
        #expect(sandbox.standardOutput.contains("alex.kim@example.com / tr0ub4dor-3, totp 123456"))
        _ = try await curl(["--output", "/dev/null", "\(base)/api/public/coworkers/profiles"])
        sandbox.signal(SIGINT)
        #expect(try await sandbox.waitForExit() == 0)
        #expect(sandbox.standardError.contains("GET /api/public/coworkers/profiles → 401"))
    }

    @Test func aTakenPortIsAClearError() async throws {
        try await withSandbox { running in
            let port = running.baseURL.port!
            let result = try await ChildProcess.run(BuildProducts.nexsh, ["sandbox", "--port", String(port)])
            #expect(result.status == 1)
            #expect(result.standardError == "nexsh sandbox: cannot listen on 127.0.0.1:\(port): the port is already in use\n")
        }
    }

    @Test func badOptionsAreRefusedWithTheReason() async throws {
        let fault = try await ChildProcess.run(BuildProducts.nexsh, ["sandbox", "--fault", "explode"])
        #expect(fault.status == 3)
        #expect(fault.standardError.contains("--fault: unknown fault 'explode'"))
        let rate = try await ChildProcess.run(BuildProducts.nexsh, ["sandbox", "--fault", "drop", "--fault-rate", "2"])
        #expect(rate.status == 3)
        #expect(rate.standardError.contains("--fault-rate <rate>': expected a number from 0 to 1"))
    }

    @Test func helpAndVersion() async throws {
        let result = try await ChildProcess.run(BuildProducts.nexsh, ["--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("USAGE: nexsh"))
        #expect(result.standardOutput.contains("sandbox"))
        let version = try await ChildProcess.run(BuildProducts.nexsh, ["--version"])
        #expect(version.standardOutput == "0.1.0\n")
    }
}

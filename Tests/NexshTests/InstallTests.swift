import Foundation
import HTTPCassette
import NexshTesting
import Testing

/// `make install` and `make uninstall` as a person runs them, into a temporary prefix. They install
/// the debug binary these tests were built with (`BINARY=`), so no release build runs here.
@Suite struct InstallTests {
    static let installedFiles = [
        "bin/nexsh", "share/bash-completion/completions/nexsh", "share/zsh/site-functions/_nexsh",
        "share/fish/vendor_completions.d/nexsh.fish", "share/man/man1/nexsh.1",
    ]

    func make(_ target: String, prefix: URL) async throws -> ProcessResult {
        try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["make", "--no-print-directory", "-C", ReadmeTests.repository.path, target, "PREFIX=\(prefix.path)", "BINARY=\(BuildProducts.nexsh.path)"]
        )
    }

    func contents(_ file: String, in prefix: URL) throws -> String {
        try String(contentsOf: prefix.appendingPathComponent(file), encoding: .utf8)
    }

    @Test func installPutsTheBinaryCompletionsAndManPageInThePrefixAndUninstallTakesThemAway() async throws {
        try await withTemporaryDirectory { prefix in
            let install = try await make("install", prefix: prefix)
            #expect(install.status == 0, "\(install.standardOutput)\(install.standardError)")

            let version = try await ChildProcess.run(prefix.appendingPathComponent("bin/nexsh"), ["--version"])
            #expect(version.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == NexshVersion.current)
            let permissions = try FileManager.default.attributesOfItem(atPath: prefix.appendingPathComponent("bin/nexsh").path)[.posixPermissions]
            #expect(permissions as? Int == 0o755)

            #expect(try contents("share/bash-completion/completions/nexsh", in: prefix).contains("-F _nexsh nexsh"))
            #expect(try contents("share/zsh/site-functions/_nexsh", in: prefix).hasPrefix("#compdef nexsh"))
            #expect(try contents("share/fish/vendor_completions.d/nexsh.fish", in: prefix).contains("complete -c 'nexsh'"))
            let manPage = try contents("share/man/man1/nexsh.1", in: prefix)
            #expect(manPage.contains(".TH NEXSH 1"))
            // Every subcommand of the tree has its section, and `run`'s options are described.
            for section in ["nexsh run", "nexsh cassette verify", "nexsh bundle create", "nexsh sandbox"] {
                #expect(manPage.contains(".SS \(section.replacingOccurrences(of: "-", with: "\\-"))\n"), "no section for \(section)")
            }
            #expect(manPage.contains(#"\-\-shard <I/N>"#))

            let uninstall = try await make("uninstall", prefix: prefix)
            #expect(uninstall.status == 0, "\(uninstall.standardOutput)\(uninstall.standardError)")
            for file in Self.installedFiles {
                #expect(!FileManager.default.fileExists(atPath: prefix.appendingPathComponent(file).path), "\(file) is still there")
            }
            let left = FileManager.default.enumerator(at: prefix, includingPropertiesForKeys: [.isRegularFileKey])?
                .compactMap { $0 as? URL }.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            #expect(left == [], "uninstall left files behind")
        }
    }
}

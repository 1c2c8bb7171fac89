// swift-tools-version:6.2
import PackageDescription

// Module arrows point one way (see README "Architecture"); each target lists exactly the
// modules its files import:
//   Diagnostics, JSONValues, SecureFiles depend on nothing; HTTPValues → Diagnostics;
//   Secrets → HTTPValues (its one codec);
//   Transport (the live network: AsyncHTTPClient, NIOSSL) → HTTPValues, and only the app, its
//   recording probe and the tests import it: ShellCore, NexudusAPI, HTTPCassette, the fuzz
//   targets and the test support never do.
//   ShellCore → Diagnostics, HTTPValues, JSONValues, Secrets, SecureFiles;
//   NexudusAPI → Diagnostics, HTTPValues, JSONValues;
//   HTTPCassette (the cassette engine: what a run needs to record, replay and verify)
//     → Diagnostics, HTTPValues, JSONValues, Secrets, SecureFiles, CZlib;
//   CassetteTools (import, diff, verify) → HTTPCassette, HTTPValues, JSONValues, Yams;
//   Bundles → HTTPCassette, CassetteTools, JSONValues, Secrets;
//   NexudusCommands → ShellCore, NexudusAPI, HTTPCassette, HTTPValues, JSONValues, SecureFiles;
//   NexshApp (the command line and the interactive shell) → NexudusCommands and what it builds
//   on, Bundles, CassetteTools, LineEditor, Sandbox, Transport;  nexsh (the binary) → NexshApp.
// Sandbox never imports NexudusAPI: it serves JSON shaped like the API documentation, so the
// client's models are checked against an independent source.
let package = Package(
    name: "nexsh",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "nexsh", targets: ["nexsh"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Requests, responses, headers, the transport protocol and the transports that need no
        // network: Foundation only, so that whatever handles HTTP values links no HTTP stack.
        .target(name: "HTTPValues", dependencies: ["Diagnostics"]),
        // The live network transport.
        .target(
            name: "Transport",
            dependencies: [
                "HTTPValues",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(name: "JSONValues"),
        // What every error the shell reports has: a message, a hint, an exit category.
        .target(name: "Diagnostics"),
        // The one definition of a secret: which names hold one, and how a known value may be
        // written. Redaction, the checkers, history and saved scripts all ask it.
        .target(name: "Secrets", dependencies: ["HTTPValues"]),
        // The one way nexsh creates and replaces files: atomically, never through a planted
        // link, with private or shared permissions; and lock files checked before use.
        .target(name: "SecureFiles"),
        .target(
            name: "ShellCore",
            dependencies: ["Diagnostics", "HTTPValues", "JSONValues", "Secrets", "SecureFiles"]
        ),
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .target(
            name: "LineEditor",
            dependencies: ["CEditLine", "SecureFiles"]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "HTTPCassette",
            dependencies: [
                "Diagnostics",
                "HTTPValues",
                "JSONValues",
                "Secrets",
                "SecureFiles",
                "CZlib",
            ]
        ),
        // What is done to cassettes outside a run: import from other tools' formats, diff, verify.
        .target(
            name: "CassetteTools",
            dependencies: [
                "HTTPCassette",
                "HTTPValues",
                "JSONValues",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // A cassette's exchanges for other tools: curl commands and a Hurl file.
        .target(
            name: "CassetteExport",
            dependencies: ["HTTPCassette", "HTTPValues", "JSONValues", "Secrets", "ShellCore"]
        ),
        // Bug reports as one HAR file: a script, its variables and the exchanges it needs.
        .target(
            name: "Bundles",
            dependencies: ["HTTPCassette", "CassetteTools", "JSONValues", "Secrets"]
        ),
        // Its endpoint catalogue, Catalogue/endpoints.json, is built into the module by the
        // CatalogueGenerator plugin (a release binary linked on its own carries no resource files).
        .target(
            name: "NexudusAPI",
            dependencies: ["Diagnostics", "HTTPValues", "JSONValues"],
            exclude: ["Catalogue/endpoints.json"],
            plugins: ["CatalogueGenerator"]
        ),
        .plugin(name: "CatalogueGenerator", capability: .buildTool()),
        .target(
            name: "NexudusCommands",
            dependencies: ["ShellCore", "NexudusAPI", "HTTPCassette", "HTTPValues", "JSONValues", "SecureFiles"]
        ),
        .target(
            name: "Sandbox",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The app as a library: tests run a whole command line in-process (`Nexsh.run(_:in:)`).
        .target(
            name: "NexshApp",
            dependencies: [
                "Bundles",
                "CassetteExport",
                "CassetteTools",
                "Diagnostics",
                "LineEditor",
                "NexudusAPI",
                "NexudusCommands",
                "ShellCore",
                "HTTPCassette",
                "HTTPValues",
                "JSONValues",
                "Sandbox",
                "SecureFiles",
                "Transport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The binary: its main only calls into NexshApp.
        .executableTarget(
            name: "nexsh", dependencies: ["NexshApp"],
            // The Swift driver exports every public symbol of the linked modules (39,000 with the
            // runtime linked in). Nothing looks them up, but at every start the runtime's
            // backtrace set-up searched them all to find its own path (dladdr), and the loader
            // bound the shared libraries' symbols against them: `nexsh --version` took 0.3 ms
            // longer (about 6%).
            linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"])]
        ),
        // posix_openpt and posix_spawn with POSIX_SPAWN_SETSID, which Swift's Glibc hides.
        .target(name: "CPseudoTerminal"),
        // A recording that runs until killed: the crash-safety test's child process.
        .executableTarget(
            name: "RecordingProbe",
            dependencies: ["HTTPCassette", "HTTPValues", "NexudusAPI", "Transport"]
        ),
        // What must hold for any input; the fuzz targets and the random-input test share it.
        .target(
            name: "InputChecks",
            dependencies: ["ShellCore", "NexudusCommands", "HTTPCassette", "HTTPValues"]
        ),
        // libFuzzer targets (no main; built by `make fuzz` with --sanitize=fuzzer).
        .executableTarget(name: "FuzzScript", dependencies: ["InputChecks"]),
        .executableTarget(name: "FuzzCassette", dependencies: ["InputChecks"]),
        .target(
            name: "NexshTesting",
            dependencies: [
                "Sandbox",
                "HTTPValues",
                "NexudusAPI",
                "CPseudoTerminal",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            resources: [.copy("Seeds"), .copy("Interop")]
        ),
        // `nexsh` run in the test process (InProcessNexsh), for tests that need no process of its own.
        .target(name: "NexshAppTesting", dependencies: ["NexshApp", "NexshTesting", "ShellCore"]),
        .testTarget(
            name: "JSONValuesTests",
            // Yams reads back the YAML JSONValue writes.
            dependencies: ["JSONValues", .product(name: "Yams", package: "Yams")]
        ),
        .testTarget(
            name: "ShellCoreTests",
            dependencies: ["ShellCore", "HTTPValues", "NexshTesting"]
        ),
        .testTarget(
            name: "NexudusCommandsTests",
            dependencies: ["Diagnostics", "NexudusCommands", "ShellCore", "NexudusAPI", "HTTPCassette", "NexshTesting", "Sandbox", "HTTPValues", "JSONValues"]
        ),
        // "RecordingProbe" is the program the crash-safety test launches, not an import.
        .testTarget(
            name: "HTTPCassetteTests",
            dependencies: ["HTTPCassette", "NexshTesting", "JSONValues", "Secrets", "HTTPValues", "Transport", "NexudusAPI", "Sandbox", "RecordingProbe"]
        ),
        .testTarget(
            name: "CassetteToolsTests",
            dependencies: ["CassetteTools", "HTTPCassette", "NexshTesting", "JSONValues", "HTTPValues", "Transport"]
        ),
        .testTarget(
            name: "CassetteExportTests",
            dependencies: ["CassetteExport", "HTTPCassette", "HTTPValues", "JSONValues", "NexshTesting", "ShellCore"]
        ),
        .testTarget(
            name: "BundlesTests",
            dependencies: ["Bundles", "CassetteTools", "HTTPCassette", "HTTPValues", "JSONValues", "NexudusCommands"]
        ),
        .testTarget(
            name: "HTTPValuesTests",
            dependencies: ["HTTPValues"]
        ),
        .testTarget(
            name: "TransportTests",
            dependencies: ["Transport", "HTTPValues", "NexshTesting", "Sandbox"]
        ),
        .testTarget(
            name: "NexudusAPITests",
            dependencies: ["NexudusAPI", "HTTPValues", "Transport", "NexshTesting", "Sandbox"]
        ),
        .testTarget(
            name: "SandboxTests",
            dependencies: [
                "Sandbox",
                "NexshTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // One test per attack of the "Security" issue: each plants the file, header, bytes or
        // input, runs nexsh, and checks what it wrote, printed and used.
        // "nexsh" here is the program these tests launch, not an import.
        .testTarget(
            name: "SecurityTests",
            dependencies: ["nexsh", "NexshAppTesting", "NexshTesting", "HTTPCassette", "NexudusAPI", "Sandbox", "SecureFiles", "HTTPValues", "Transport", "CZlib"]
        ),
        // "nexsh" here is both the program these tests launch and a module some of them import.
        .testTarget(
            name: "NexshTests",
            dependencies: [
                "nexsh", "NexshApp", "NexshAppTesting", "NexshTesting", "InputChecks", "Sandbox", "HTTPCassette", "NexudusAPI",
                "HTTPValues", "Transport", "JSONValues", "ShellCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)

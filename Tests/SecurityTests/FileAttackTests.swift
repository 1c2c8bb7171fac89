import Foundation
import HTTPCassette
import HTTPValues
import NexshAppTesting
import NexshTesting
import NexudusAPI
import Sandbox
import Testing
import Transport

/// The "Files" attacks of the Security issue: each test plants a link, a second name, a fifo,
/// a folder or another user's file where nexsh will write, runs nexsh (in-process; the binary
/// under a umask or on a terminal), and checks
/// that the file the attacker aimed at is unchanged byte for byte, that the error names the
/// path, and that nothing in the folder changed but what was meant to.
@Suite struct FileAttackTests {
    static let isRoot = geteuid() == 0
    /// The user files are handed to, to plant them as "another user's" (tests run as root).
    static let nobody: uid_t = 65534
    static let script = "login jane.doe@example.com --password correct-horse\nprofiles\n"

    /// A folder to attack in: `work/`, where nexsh runs (with `two.nexsh`), and
    /// `home/precious`, the file the attacker wants overwritten.
    struct Scene {
        let root: URL
        static let preciousBytes = Data("the only copy of something that matters\n".utf8)

        init(_ directory: URL) throws {
            root = directory.resolvingSymlinksInPath()
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            try Data(FileAttackTests.script.utf8).write(to: work.appendingPathComponent("two.nexsh"))
            try Self.preciousBytes.write(to: precious)
        }

        var work: URL { root.appendingPathComponent("work") }
        var home: URL { root.appendingPathComponent("home") }
        var precious: URL { home.appendingPathComponent("precious") }

        /// The absolute path of `name` in `work/`.
        func path(_ name: String) -> String { work.appendingPathComponent(name).path }

        var preciousIsIntact: Bool { (try? Data(contentsOf: precious)) == Self.preciousBytes }
    }

    /// What an attacker can plant where nexsh will open a lock file.
    enum LockAttack: CaseIterable {
        case linkToPreciousFile
        case hardLinkToPreciousFile
        case fifo
        case anotherUsersFile

        /// The attacks this user can stage (handing a file to another user needs root).
        static var available: [LockAttack] { isRoot ? allCases : allCases.filter { $0 != .anotherUsersFile } }

        func plant(at path: String, in scene: Scene) throws {
            switch self {
            case .linkToPreciousFile:
                try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: scene.precious.path)
            case .hardLinkToPreciousFile:
                try #require(link(scene.precious.path, path) == 0)
            case .fifo:
                try #require(mkfifo(path, 0o644) == 0)
            case .anotherUsersFile:
                try Data("4242\n".utf8).write(to: URL(fileURLWithPath: path))
                try #require(lchown(path, FileAttackTests.nobody, FileAttackTests.nobody) == 0)
            }
        }

        /// What nexsh says of the planted lock file, after its path.
        var refusal: String {
            switch self {
            case .linkToPreciousFile: "is a symbolic link; nexsh does not open this file through a link"
            case .hardLinkToPreciousFile: "has 2 hard links (other names share the file); nexsh does not write it"
            case .fifo: "is a fifo, not a regular file"
            case .anotherUsersFile: "belongs to another user (uid 65534); nexsh does not use it"
            }
        }
    }

    /// Runs nexsh in `directory`, under `umask` when one is given.
    func nexsh(_ arguments: [String], in directory: URL, umask: String? = nil) async throws -> ProcessResult {
        let environment = ["NO_COLOR": "1", "NEXSH_SERVER": ""]
        // The umask belongs to the process: a run under one of its own is a process of its own.
        guard let umask else {
            return try await InProcessNexsh.run(arguments, environment: environment, currentDirectory: directory)
        }
        return try await ChildProcess.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "umask \(umask) && exec \"$0\" \"$@\"", BuildProducts.nexsh.path] + arguments,
            environment: environment, currentDirectory: directory
        )
    }

    /// The interactive shell on a terminal, started in `directory` under `umask`.
    func shell(_ arguments: [String] = [], in directory: URL, umask: String = "022", environment: [String: String] = [:]) throws -> PseudoTerminal {
        let base = [
            "HOME": directory.path, "TERM": "xterm", "LANG": "C.UTF-8", "NO_COLOR": "1", "NEXSH_SERVER": "",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
        return try PseudoTerminal(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "cd \"$1\" && umask \(umask) && shift && exec \"$0\" \"$@\"", BuildProducts.nexsh.path, directory.path] + arguments,
            environment: base.merging(environment) { $1 }
        )
    }

    func prompt(_ terminal: PseudoTerminal) async throws {
        try await terminal.waitFor("> ")
        try await terminal.waitForMode(raw: true)
    }

    static func mode(_ path: String) -> Int {
        var info = stat()
        return lstat(path, &info) == 0 ? Int(info.st_mode & 0o7777) : -1
    }

    static func inode(_ path: String) -> ino_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_ino : 0
    }

    // MARK: Lock files

    /// `nexsh run --mode record` with `attack` planted at `c.har.lock`: refused before the
    /// script's first request, the target untouched, the folder unchanged.
    func expectRunRefusesLock(_ attack: LockAttack) async throws {
        try await withTemporaryDirectory { directory in
            let scene = try Scene(directory)
            let lock = scene.path("c.har.lock")
            try attack.plant(at: lock, in: scene)
            let before = FileTree(scene.root)

            let result = try await nexsh(["run", "two.nexsh", "--sandbox", "--cassette", "c.har", "--mode", "record"], in: scene.work)
            #expect(result.status == 2, "as for an unwritable cassette")
            #expect(result.standardError.contains(
                "error: could not write the cassette \(scene.path("c.har")): the lock file \(lock) \(attack.refusal); the previous file is unchanged"
            ), "\(result.standardOutput)")
            #expect(!result.standardOutput.contains("signed in as"), "refused before the first request")
            #expect(scene.preciousIsIntact)
            #expect(before.changes(to: FileTree(scene.root)) == [], "nothing created, truncated or written")
        }
    }

    @Test func aLockLinkPlantedToAPreciousFileIsRefusedAndTheFileKept() async throws {
        try await expectRunRefusesLock(.linkToPreciousFile)
    }

    @Test func aLockThatIsAHardLinkToAPreciousFileIsRefused() async throws {
        try await expectRunRefusesLock(.hardLinkToPreciousFile)
    }

    @Test func aLockThatIsAFifoIsRefusedWithoutHanging() async throws {
        try await expectRunRefusesLock(.fifo)
    }

    @Test(.enabled(if: isRoot, "needs root to hand a file to another user"))
    func aLockOwnedByAnotherUserIsRefused() async throws {
        try await expectRunRefusesLock(.anotherUsersFile)
    }

    @Test func theShellsRecordCommandAndRecordOptionRefuseEveryPlantedLock() async throws {
        try await withTemporaryDirectory { directory in
            let scene = try Scene(directory)
            for (index, attack) in LockAttack.available.enumerated() {
                try attack.plant(at: scene.path("c\(index).har.lock"), in: scene)
            }
            try LockAttack.linkToPreciousFile.plant(at: scene.path("start.har.lock"), in: scene)
            let before = FileTree(scene.root)

            // `nexsh --record FILE` stops before the shell starts.
            let started = try shell(["--record", "start.har"], in: scene.work)
            defer { started.stop() }
            try await started.waitFor(
                "nexsh: could not write the cassette \(scene.path("start.har")): the lock file \(scene.path("start.har.lock")) "
                    + LockAttack.linkToPreciousFile.refusal
            )
            #expect(try await started.waitForExit() == 2)

            // `record FILE` at the prompt: an error, and the shell goes on.
            let terminal = try shell(in: scene.work)
            defer { terminal.stop() }
            try await prompt(terminal)
            for (index, attack) in LockAttack.available.enumerated() {
                terminal.type("record c\(index).har\r")
                try await terminal.waitFor(
                    "error: could not write the cassette \(scene.path("c\(index).har")): the lock file \(scene.path("c\(index).har.lock")) \(attack.refusal)"
                )
                try await prompt(terminal)
            }
            terminal.type("exit\r")
            #expect(try await terminal.waitForExit() == 0)

            #expect(scene.preciousIsIntact)
            // The shell's history (in HOME, the work folder) is the one file that may appear.
            #expect(before.changes(to: FileTree(scene.root)) == ["work/.nexsh_history"])
        }
    }

    @Test func bundleCreateRefusesEveryPlantedLockBeforeTheScriptRuns() async throws {
        try await withTemporaryDirectory { directory in
            let scene = try Scene(directory)
            for attack in LockAttack.available {
                let lock = scene.path("bug.har.lock")
                try attack.plant(at: lock, in: scene)
                let before = FileTree(scene.root)
                let result = try await nexsh(["bundle", "create", "bug.har", "--script", "two.nexsh"], in: scene.work)
                #expect(result.status == 2, "\(attack)")
                #expect(result.standardError.contains(
                    "nexsh bundle create: could not write the cassette \(scene.path("bug.har")): the lock file \(lock) \(attack.refusal)"
                ), "\(result.standardError)")
                #expect(!result.standardOutput.contains("signed in as"), "\(attack): the script never ran")
                #expect(scene.preciousIsIntact, "\(attack)")
                #expect(before.changes(to: FileTree(scene.root)) == [], "\(attack)")
                try FileManager.default.removeItem(atPath: lock)
            }
        }
    }

    // MARK: Cassette paths that are not regular files

    /// Every recording mode refuses the cassette `name` (planted by `plant`) before the first
    /// request, saying `reason` of it, and changes nothing.
    func expectRecordingRefuses(
        _ name: String = "c.har", cassetteOption: String? = nil, reason: (Scene) -> String, plant: (Scene) throws -> Void
    ) async throws {
        try await withTemporaryDirectory { directory in
            let scene = try Scene(directory)
            try plant(scene)
            let before = FileTree(scene.root)
            for mode in ["record", "once", "new"] {
                let result = try await nexsh(
                    ["run", "two.nexsh", "--sandbox", "--cassette", cassetteOption ?? name, "--mode", mode], in: scene.work
                )
                #expect(result.status == 2, "\(mode): \(result.standardOutput)")
                #expect(result.standardError.contains("error: could not write the cassette \(scene.path(name)): \(reason(scene))"),
                        "\(mode): \(result.standardError)")
                #expect(!result.standardOutput.contains("signed in as"), "\(mode): refused before the first request")
            }
            #expect(scene.preciousIsIntact)
            #expect(before.changes(to: FileTree(scene.root)) == [], "nothing written, no lock or temporary file left")
        }
    }

    @Test func aCassettePathThatIsAFifoIsRefusedBeforeAnyRequest() async throws {
        try await expectRecordingRefuses(reason: { _ in "it is a fifo, not a regular file" }) { scene in
            try #require(mkfifo(scene.path("c.har"), 0o644) == 0)
        }
    }

    @Test func aCassettePathThatIsADirectoryIsRefusedBeforeAnyRequest() async throws {
        // With --cassette FOLDER, each script's cassette is FOLDER/<script>.har: here a folder.
        try await expectRecordingRefuses("cassettes/two.har", cassetteOption: "cassettes", reason: { _ in "it is a directory, not a regular file" }) { scene in
            try FileManager.default.createDirectory(atPath: scene.path("cassettes/two.har"), withIntermediateDirectories: true)
        }
    }

    @Test func aDanglingCassetteLinkIsRefused() async throws {
        try await expectRecordingRefuses(
            reason: { "it is a symbolic link to \($0.work.path)/../home/missing.har, which does not exist; nexsh does not write through it" }
        ) { scene in
            try FileManager.default.createSymbolicLink(atPath: scene.path("c.har"), withDestinationPath: "../home/missing.har")
        }
    }

    @Test func aCassetteLinkToAFifoIsRefused() async throws {
        try await expectRecordingRefuses(
            reason: { "it is a symbolic link to \($0.work.path)/../home/pipe, a fifo, not a regular file; nexsh does not write through it" }
        ) { scene in
            try #require(mkfifo(scene.home.appendingPathComponent("pipe").path, 0o644) == 0)
            try FileManager.default.createSymbolicLink(atPath: scene.path("c.har"), withDestinationPath: "../home/pipe")
        }
    }

    @Test(.enabled(if: isRoot, "needs root to hand a link to another user"))
    func aCassetteLinkOwnedByAnotherUserIsRefusedEvenToYourOwnFile() async throws {
        try await expectRecordingRefuses(reason: { _ in "it is a symbolic link owned by another user; nexsh does not write through it" }) { scene in
            try Data("{}\n".utf8).write(to: scene.home.appendingPathComponent("mine.har"))
            try FileManager.default.createSymbolicLink(atPath: scene.path("c.har"), withDestinationPath: scene.home.appendingPathComponent("mine.har").path)
            try #require(lchown(scene.path("c.har"), Self.nobody, Self.nobody) == 0)
        }
    }

    @Test(.enabled(if: isRoot, "needs root to hand a file to another user"))
    func aCassetteLinkToAnotherUsersFileIsRefused() async throws {
        try await expectRecordingRefuses(
            reason: { "it is a symbolic link to \($0.work.path)/../home/precious, a file owned by another user; nexsh does not write through it" }
        ) { scene in
            try #require(chown(scene.precious.path, Self.nobody, Self.nobody) == 0)
            try FileManager.default.createSymbolicLink(atPath: scene.path("c.har"), withDestinationPath: "../home/precious")
        }
    }

    @Test func aBundlePathThatIsAFifoIsRefusedBeforeTheScriptRuns() async throws {
        try await withTemporaryDirectory { directory in
            let scene = try Scene(directory)
            try #require(mkfifo(scene.path("bug.har"), 0o644) == 0)
            let before = FileTree(scene.root)
            let result = try await nexsh(["bundle", "create", "bug.har", "--script", "two.nexsh"], in: scene.work)
            #expect(result.status == 2)
            #expect(result.standardError.contains(
                "nexsh bundle create: could not write the cassette \(scene.path("bug.har")): it is a fifo, not a regular file"
            ), "\(result.standardError)")
            #expect(!result.standardOutput.contains("signed in as"), "the script never ran")
            #expect(before.changes(to: FileTree(scene.root)) == [])
        }
    }

    @Test func theCassetteToolsRefuseAFifoOrAForeignLink() async throws {
        try await withTemporaryDirectory { directory in
            let scene = try Scene(directory)
            let recorded = try await nexsh(["run", "two.nexsh", "--sandbox", "--cassette", "c.har", "--mode", "record"], in: scene.work)
            try #require(recorded.status == 0)
            try #require(mkfifo(scene.path("out.har"), 0o644) == 0)
            let before = FileTree(scene.root)

            let imported = try await nexsh(["cassette", "import", "c.har", "-o", "out.har", "--force"], in: scene.work)
            #expect(imported.status == 2)
            #expect(imported.standardError.contains("nexsh cassette import: could not write the cassette \(scene.path("out.har")): it is a fifo, not a regular file"))
            #expect(before.changes(to: FileTree(scene.root)) == [])

            if Self.isRoot {
                // A link handed to another user in place of the cassette: redact and volatile
                // rewrite the file, so they refuse it.
                try FileManager.default.moveItem(atPath: scene.path("c.har"), toPath: scene.home.appendingPathComponent("c.har").path)
                try FileManager.default.createSymbolicLink(atPath: scene.path("c.har"), withDestinationPath: "../home/c.har")
                try #require(lchown(scene.path("c.har"), Self.nobody, Self.nobody) == 0)
                let planted = FileTree(scene.root)
                for arguments in [["redact", "c.har", "--redact-header", "Content-Type"], ["volatile", "c.har", "--add", ".Profiles[*].Id"]] {
                    let result = try await nexsh(["cassette"] + arguments, in: scene.work)
                    #expect(result.status == 2, "\(arguments)")
                    #expect(result.standardError.contains("could not write the cassette \(scene.path("c.har")): it is a symbolic link owned by another user"),
                            "\(result.standardError)")
                }
                #expect(planted.changes(to: FileTree(scene.root)) == [])
            }
        }
    }

    // MARK: Links nexsh writes through

    @Test func aCassetteLinkOfYourOwnIsWrittenThroughAtomicallyAndStaysALink() async throws {
        try await withTemporaryDirectory { directory in
            let scene = try Scene(directory)
            let target = scene.home.appendingPathComponent("mine.har")
            try Data("{}\n".utf8).write(to: target)
            try #require(chmod(target.path, 0o640) == 0)
            try FileManager.default.createSymbolicLink(atPath: scene.path("c.har"), withDestinationPath: "../home/mine.har")
            let before = FileTree(scene.root)
            let inodeBefore = Self.inode(target.path)

            let result = try await nexsh(["run", "two.nexsh", "--sandbox", "--cassette", "c.har", "--mode", "record"], in: scene.work)
            #expect(result.status == 0, "\(result.standardOutput)")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: scene.path("c.har")) == "../home/mine.har", "still a link")
            #expect(try Cassette.load(from: target).entries.count == 3, "the target holds the recording: sign-in (2) and profiles")
            #expect(Self.inode(target.path) != inodeBefore, "replaced by a rename, not rewritten in place")
            #expect(Self.mode(target.path) == 0o640, "the target keeps its mode")
            #expect(before.changes(to: FileTree(scene.root)) == ["home/mine.har"], "no temporary or lock file left")
        }
    }

    @Test func anExistingCassetteKeeps0640WhenReRecorded() async throws {
        try await withTemporaryDirectory { directory in
            let scene = try Scene(directory)
            let first = try await nexsh(["run", "two.nexsh", "--sandbox", "--cassette", "c.har", "--mode", "record"], in: scene.work)
            try #require(first.status == 0)
            try #require(chmod(scene.path("c.har"), 0o640) == 0)
            for mode in ["record", "new"] {
                let again = try await nexsh(["run", "two.nexsh", "--sandbox", "--cassette", "c.har", "--mode", mode], in: scene.work, umask: "000")
                #expect(again.status == 0, "\(mode): \(again.standardOutput)")
                #expect(Self.mode(scene.path("c.har")) == 0o640, "\(mode)")
            }
        }
    }

    /// In-process: the recorder's appends go to the file its first write put in place, even
    /// after that name is taken by a link to a precious file.
    @Test func appendsGoToTheRecordedFileNotToALinkPlantedSince() async throws {
        try await withTemporaryDirectory { directory in
            let scene = try Scene(directory)
            let file = URL(fileURLWithPath: scene.path("c.har"))
            let moved = URL(fileURLWithPath: scene.path("moved.har"))
            try await withSandbox { sandbox in
                try await withLiveTransport { live in
                    let cassette = try CassetteTransport(file: file, mode: .record, upstream: live)
                    let client = NexudusClient(baseURL: sandbox.baseURL, transport: cassette)
                    _ = try await client.login(email: "jane.doe@example.com", password: "correct-horse")
                    try cassette.flush()
                    // The first write is done: now the name is moved away and a link planted.
                    try FileManager.default.moveItem(at: file, to: moved)
                    try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: scene.precious.path)
                    _ = try await client.profiles()
                    _ = try await client.profiles()
                    try cassette.finish()
                }
            }
            #expect(scene.preciousIsIntact)
            #expect(try Cassette.load(from: moved).entries.count == 3, "every append went to the file recorded: sign-in, then two appends")
        }
    }

    // MARK: Modes of the files nexsh creates

    @Test func newCassettesBundlesAndImportsAreOwnerOnlyUnderUmask000() async throws {
        try await withTemporaryDirectory { directory in
            let scene = try Scene(directory)
            let recorded = try await nexsh(["run", "two.nexsh", "--sandbox", "--cassette", "c.har", "--mode", "record"], in: scene.work, umask: "000")
            #expect(recorded.status == 0, "\(recorded.standardOutput)")
            #expect(Self.mode(scene.path("c.har")) == 0o600)

            let bundled = try await nexsh(["bundle", "create", "bug.har", "--script", "two.nexsh"], in: scene.work, umask: "000")
            #expect(bundled.status == 0, "\(bundled.standardOutput)\(bundled.standardError)")
            #expect(Self.mode(scene.path("bug.har")) == 0o600)

            let imported = try await nexsh(["cassette", "import", "c.har", "-o", "imported.har"], in: scene.work, umask: "000")
            #expect(imported.status == 0, "\(imported.standardError)")
            #expect(Self.mode(scene.path("imported.har")) == 0o600)
        }
    }

    @Test func reportsFollowTheUmask() async throws {
        try await withTemporaryDirectory { directory in
            let scene = try Scene(directory)
            let result = try await nexsh(
                ["run", "two.nexsh", "--sandbox", "--report", "junit:r.xml", "--report", "tap:r.tap", "--report", "html:r.html"],
                in: scene.work, umask: "027"
            )
            #expect(result.status == 0, "\(result.standardOutput)")
            for report in ["r.xml", "r.tap", "r.html"] {
                #expect(Self.mode(scene.path(report)) == 0o640, "\(report): 0666 & ~027")
            }
        }
    }

    @Test func theShellsHistoryAndBundlesAreOwnerOnlyAndSavedScriptsFollowTheUmask() async throws {
        try await withTemporaryDirectory { directory in
            let scene = try Scene(directory)
            let state = scene.root.appendingPathComponent("state")
            let terminal = try shell(in: scene.work, umask: "000", environment: ["XDG_STATE_HOME": state.path])
            defer { terminal.stop() }
            try await prompt(terminal)
            terminal.type("login jane.doe@example.com --password correct-horse\r")
            try await terminal.waitFor("signed in as")
            try await prompt(terminal)
            terminal.type("save-script s.nexsh\r")
            try await terminal.waitFor("saved s.nexsh")
            try await prompt(terminal)
            terminal.type("bundle b.har\r")
            try await terminal.waitFor("wrote b.har")
            try await prompt(terminal)
            terminal.type("exit\r")
            #expect(try await terminal.waitForExit() == 0)

            #expect(Self.mode(scene.path("s.nexsh")) == 0o666, "shared: 0666 & ~000")
            #expect(Self.mode(scene.path("b.har")) == 0o600)
            #expect(Self.mode(state.appendingPathComponent("nexsh/history").path) == 0o600)
            #expect(Self.mode(state.appendingPathComponent("nexsh").path) == 0o700)
            #expect(Self.mode(state.path) == 0o700, "$XDG_STATE_HOME did not exist: made too, for the owner alone")
        }
    }

    @Test(.enabled(if: isRoot, "needs root to hand a link to another user"))
    func aHistoryLinkPlantedByAnotherUserIsNotWrittenThrough() async throws {
        try await withTemporaryDirectory { directory in
            let scene = try Scene(directory)
            let history = scene.path(".nexsh_history")
            try FileManager.default.createSymbolicLink(atPath: history, withDestinationPath: scene.precious.path)
            try #require(lchown(history, Self.nobody, Self.nobody) == 0)
            let before = FileTree(scene.root)

            let terminal = try shell(in: scene.work)
            defer { terminal.stop() }
            try await prompt(terminal)
            terminal.type("echo hello\r")
            try await terminal.waitFor("nexsh: cannot save the history: \(history) is a symbolic link owned by another user; nexsh does not write through it")
            try await prompt(terminal)
            terminal.type("exit\r")
            #expect(try await terminal.waitForExit() == 0)
            #expect(scene.preciousIsIntact)
            #expect(before.changes(to: FileTree(scene.root)) == [])
        }
    }
}

import Foundation
import NexshTesting
import SecureFiles
import Testing

/// The SecureFiles module on its own: what it writes through, what it refuses, and the modes
/// it gives. The attacks on nexsh itself are in ``FileAttackTests``.
@Suite struct SecureFilesTests {
    static let isRoot = geteuid() == 0

    func mode(_ path: String) -> Int {
        var info = stat()
        return lstat(path, &info) == 0 ? Int(info.st_mode & 0o7777) : -1
    }

    @Test func aLoopOfLinksIsRefusedAndNothingIsWritten() async throws {
        try await withTemporaryDirectory { directory in
            let a = directory.appendingPathComponent("a").path
            let b = directory.appendingPathComponent("b").path
            try FileManager.default.createSymbolicLink(atPath: a, withDestinationPath: "b")
            try FileManager.default.createSymbolicLink(atPath: b, withDestinationPath: "a")
            let before = FileTree(directory)
            let error = #expect(throws: SecureFileError.self) { try AtomicFile.write(Data("x".utf8), to: a, permissions: .private) }
            #expect(error?.problem == .untrustedLink(.loop))
            #expect(error?.description == "\(a) is a symbolic link in a loop of links; nexsh does not write through it")
            #expect(before.changes(to: FileTree(directory)) == [])
        }
    }

    @Test(.enabled(if: isRoot, "needs root to hand a link to another user"))
    func aChainThroughAnotherUsersLinkIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let mine = directory.appendingPathComponent("mine").path
            let theirs = directory.appendingPathComponent("theirs").path
            try Data("kept\n".utf8).write(to: directory.appendingPathComponent("file"))
            try FileManager.default.createSymbolicLink(atPath: mine, withDestinationPath: "theirs")
            try FileManager.default.createSymbolicLink(atPath: theirs, withDestinationPath: "file")
            try #require(lchown(theirs, 65534, 65534) == 0)
            let error = #expect(throws: SecureFileError.self) { try FileDestination.check(mine) }
            #expect(error?.description == "\(mine) is a symbolic link that leads through \(directory.path)/theirs, a link owned by another user; nexsh does not write through it")
            #expect(try Data(contentsOf: directory.appendingPathComponent("file")) == Data("kept\n".utf8))
        }
    }

    @Test func aChainOfYourOwnLinksIsWrittenThroughToItsLastTarget() async throws {
        try await withTemporaryDirectory { directory in
            let first = directory.appendingPathComponent("first").path
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("real"), withIntermediateDirectories: true)
            try Data("old".utf8).write(to: directory.appendingPathComponent("real/file"))
            try FileManager.default.createSymbolicLink(atPath: first, withDestinationPath: "second")
            try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("second").path, withDestinationPath: "real/file")
            try AtomicFile.write(Data("new".utf8), to: first, permissions: .private)
            #expect(try Data(contentsOf: directory.appendingPathComponent("real/file")) == Data("new".utf8))
            #expect(FileTree(directory).items["first"] == "link -> second")
            #expect(FileTree(directory).items["second"] == "link -> real/file")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("real").path) == ["file"], "no temporary file left")
        }
    }

    @Test func newPrivateFilesAre0600AndExistingFilesKeepOnlyTheirReadWriteBits() async throws {
        try await withTemporaryDirectory { directory in
            let fresh = directory.appendingPathComponent("fresh").path
            try AtomicFile.write(Data("x".utf8), to: fresh, permissions: .private)
            #expect(mode(fresh) == 0o600)

            let existing = directory.appendingPathComponent("existing").path
            for (before, after) in [(0o640, 0o640), (0o644, 0o644), (0o755, 0o644), (0o4750, 0o640), (0o777, 0o666)] {
                try Data("old".utf8).write(to: URL(fileURLWithPath: existing))
                try #require(chmod(existing, mode_t(before)) == 0)
                for permissions in [FilePermissions.private, .shared] {
                    try AtomicFile.write(Data("new".utf8), to: existing, permissions: permissions)
                    #expect(mode(existing) == after, "\(String(before, radix: 8)) with \(permissions)")
                }
            }
        }
    }

    @Test func theFileHandedBackIsTheOneRenamedIntoPlace() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("c").path
            let moved = directory.appendingPathComponent("moved").path
            let file = try AtomicFile.write(Data("one,".utf8), to: path, permissions: .private)
            try FileManager.default.moveItem(atPath: path, toPath: moved)
            try Data("planted".utf8).write(to: URL(fileURLWithPath: path))
            try file.write(Data("two".utf8), at: 4)
            #expect(try Data(contentsOf: URL(fileURLWithPath: moved)) == Data("one,two".utf8))
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("planted".utf8))
        }
    }

    @Test func lockFilesAreCreatedPrivateAndRefusedUnlessARegularFileOfTheirOwnWithOneName() async throws {
        try await withTemporaryDirectory { directory in
            func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
            #expect(try LockFile.openExisting(path("none.lock")) == nil, "no lock file: none is created")
            #expect(!FileManager.default.fileExists(atPath: path("none.lock")))
            _ = try LockFile.open(path("new.lock"))
            #expect(mode(path("new.lock")) == 0o600)

            try Data("precious".utf8).write(to: URL(fileURLWithPath: path("precious")))
            try FileManager.default.createSymbolicLink(atPath: path("link.lock"), withDestinationPath: "precious")
            #expect(link(path("precious"), path("hard.lock")) == 0)
            #expect(mkfifo(path("fifo.lock"), 0o600) == 0)
            try FileManager.default.createDirectory(atPath: path("folder.lock"), withIntermediateDirectories: false)
            let cases: [(String, SecureFileError.Problem)] = [
                ("link.lock", .symbolicLink),
                ("hard.lock", .hardLinks(count: 2)),
                ("fifo.lock", .notRegularFile(kind: "fifo")),
                ("folder.lock", .notRegularFile(kind: "directory")),
            ]
            for (name, problem) in cases {
                let refusal = SecureFileError(path: path(name), problem: problem)
                #expect(throws: refusal) { try LockFile.open(path(name)) }
                #expect(throws: refusal) { try LockFile.openExisting(path(name)) }
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path("precious"))) == Data("precious".utf8))

            if Self.isRoot {
                try Data("4242\n".utf8).write(to: URL(fileURLWithPath: path("theirs.lock")))
                try #require(chown(path("theirs.lock"), 65534, 65534) == 0)
                let error = #expect(throws: SecureFileError.self) { try LockFile.open(path("theirs.lock")) }
                #expect(error?.description == "\(path("theirs.lock")) belongs to another user (uid 65534); nexsh does not use it")
            }
        }
    }

    @Test func theCheckNamesAFolderThatIsMissing() {
        let error = #expect(throws: SecureFileError.self) { try FileDestination.check("/nonexistent/x.har") }
        #expect(error?.reason == "the folder /nonexistent does not exist")
        #expect(error?.description == "/nonexistent/x.har: the folder /nonexistent does not exist")
    }

    @Test func aScannedFileIsReadWholeThenInPartsAndACutIsNamed() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("c.har").path
            // Larger than the steps in which a scan lets pages go, so that letting go is exercised.
            let text = String(repeating: "0123456789abcdef", count: 1 << 19)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let file = try ScannedFile(path: path, limit: 16 << 20, what: "a cassette")
            let (count, sum) = file.scan { bytes, release in
                var sum = 0
                for offset in stride(from: 0, to: bytes.count, by: 4096) {
                    sum += Int(bytes[offset])
                    release(offset)
                }
                return (bytes.count, sum)
            }
            #expect(count == 8 << 20)
            #expect(sum == 2048 * Int(UInt8(ascii: "0")))
            #expect(try file.bytes(in: 16..<20) == Array("0123".utf8))
            #expect(try file.bytes(in: (8 << 20) - 3..<(8 << 20)) == Array("def".utf8))

            // Cut short after it was scanned: a part beyond the new end is refused, in words.
            #expect(truncate(path, 100) == 0)
            let cut = #expect(throws: SecureFileError.self) { try file.bytes(in: 96..<200) }
            #expect(cut?.description == "\(path) was cut short while nexsh was reading it")
            #expect(try file.bytes(in: 0..<4) == Array("0123".utf8))

            // A file past the bound is refused before it is read.
            let large = #expect(throws: SecureFileError.self) { try ScannedFile(path: path, limit: 10, what: "a cassette") }
            #expect(large?.problem == .tooLarge(limit: 10, what: "a cassette"))
        }
    }
}

import Foundation
import NexshTesting
import Testing

/// The oracles the attacks are judged by must themselves find what they claim to.
@Suite struct OracleTests {
    @Test func theSecretOracleFindsEverySpelling() {
        let secret = "tok/en+Secret=42"
        let spellings = [
            "tok/en+Secret=42",
            #"tok\/en+Secret=42"#,
            #"\u0074\u006F\u006B\/en\u002BSecret=42"#,
            "tok%2Fen%2BSecret%3D42",
            "tok%2fen%2bSecret%3d42",
            Data("prefix: tok/en+Secret=42 :suffix".utf8).base64EncodedString(),
            Data("xtok/en+Secret=42".utf8).base64EncodedString(),
            Data("xxtok/en+Secret=42".utf8).base64EncodedString(),
        ]
        for spelling in spellings {
            #expect(SecretOracle.leaks(of: [secret], in: Data("{\"a\": \"\(spelling)\"}".utf8)).count == 1, "\(spelling)")
        }
        #expect(SecretOracle.leaks(of: [secret], in: Data(#"{"a": "<redacted:token>"}"#.utf8)).isEmpty)
    }

    @Test func theControlOracleFindsC0C1DelAndBidi() {
        #expect(ControlOracle.hostile(in: "plain text\nwith a tab\t").isEmpty)
        for hostile in ["\u{1B}]0;x\u{07}", "\u{9B}2J", "\u{7F}", "\u{202E}", "\u{2066}", "\r"] {
            #expect(!ControlOracle.hostile(in: "a\(hostile)b").isEmpty, "\(hostile.unicodeScalars.map(\.value))")
        }
    }

    @Test func aFileTreeSeesChangedContentsModesAndLinks() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("precious")
            try Data("keep".utf8).write(to: file)
            let before = FileTree(directory)
            try Data("gone".utf8).write(to: file)
            #expect(before.changes(to: FileTree(directory)) == ["precious"])
            try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("l").path, withDestinationPath: "precious")
            #expect(FileTree(directory).items["l"] == "link -> precious")
        }
    }
}

// A recording session that runs until it is killed, for the crash-safety test of cassettes:
//
//     RecordingProbe BASE_URL CASSETTE
//
// It signs in to the sandbox at BASE_URL through a cassette in record mode, then asks for the
// profiles again and again, printing "recorded N" once the N-th exchange is on disk.
import Foundation
import HTTPCassette
import HTTPValues
import NexudusAPI
import Transport

let arguments = CommandLine.arguments
guard arguments.count == 3, let baseURL = URL(string: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: RecordingProbe BASE_URL CASSETTE\n".utf8))
    exit(2)
}

let live = LiveTransport()
let cassette = try CassetteTransport(file: URL(fileURLWithPath: arguments[2]), mode: .record, upstream: live)
let client = NexudusClient(baseURL: baseURL, transport: cassette)
try await client.login(email: "jane.doe@example.com", password: "correct-horse")
try cassette.flush()
var count = 1
FileHandle.standardOutput.write(Data("recorded \(count)\n".utf8))
while true {
    _ = try await client.profiles()
    try cassette.flush()
    count += 1
    FileHandle.standardOutput.write(Data("recorded \(count)\n".utf8))
}

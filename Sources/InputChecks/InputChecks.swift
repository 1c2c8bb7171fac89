import Foundation
import HTTPCassette
import HTTPValues
import NexudusCommands
import ShellCore

/// What must hold for any input at all, however broken: shared by the fuzz targets and the
/// seeded random-input test. A violation stops the process (`preconditionFailure`), which is
/// what both a fuzzer and an exit test detect.
public enum InputChecks {
    /// Every command of the shell, so that reading exercises each command's own checks.
    public static let commands = NexudusCommands.table

    /// Reading a script either succeeds or fails with an error that has a place in it.
    public static func checkScript(_ bytes: some Collection<UInt8>) {
        let data = Data(bytes)
        do {
            let script = try Script(data: data, file: "fuzz.nexsh", commands: commands, knownVariables: ["known"], environment: [:])
            precondition(script.lines.allSatisfy { $0.location.line >= 1 && $0.location.column >= 1 })
        } catch {
            if case .mistakes(let mistakes, let more) = error {
                precondition(mistakes.count > 1 && mistakes.count <= Script.shownMistakes && more >= 0, "mistakes miscounted: \(error)")
                precondition(more == 0 || mistakes.count == Script.shownMistakes, "fewer mistakes shown than the limit, and more counted: \(error)")
                let places = mistakes.map { checkPlace($0, in: data) }
                precondition(zip(places, places.dropFirst()).allSatisfy { ($0.line, $0.column) <= ($1.line, $1.column) }, "mistakes out of order: \(error)")
            } else {
                _ = checkPlace(error, in: data)
            }
            _ = error.rendered()
        }
    }

    /// A mistake found by reading has a place in the script read.
    private static func checkPlace(_ error: ShellError, in data: Data) -> SourceLocation {
        guard let place = error.location else {
            preconditionFailure("reading a script failed without a place: \(error)")
        }
        precondition(place.file == "fuzz.nexsh" && place.line >= 1 && place.column >= 1, "error without a place: \(error)")
        // Counted in bytes: "\r\n" is one Character, and a lone "\r" may end a line too.
        let lineCount = data.count { $0 == 10 || $0 == 13 } + 1
        precondition(place.line <= lineCount, "error past the last line: \(error)")
        return place
    }

    /// Reading a cassette either succeeds, and then what nexsh writes of it reads back with as
    /// many entries, or fails with a ``CassetteError`` (typed throws: nothing else can escape).
    /// The replay index reads every cassette the whole reading reads, with the same entries,
    /// and fails only with a ``CassetteError`` on the rest.
    public static func checkCassette(_ bytes: some Collection<UInt8>) {
        let whole = Result { () throws(CassetteError) in try Cassette.parse(Array(bytes), path: "fuzz.har") }
        checkIndex(bytes, against: try? whole.get())
        do {
            let cassette = try whole.get()
            let again = try Cassette.parse(Array(cassette.encoded()), path: "fuzz.har")
            precondition(again.entries.count == cassette.entries.count, "a cassette changed when written and read back")
            // What a replay does with each entry: its request to match on, its response to answer.
            for entry in cassette.entries.prefix(50) {
                _ = try? entry.request.httpRequest()
                _ = try? entry.response.httpResponse()
            }
        } catch {
            _ = error.description
        }
    }

    private static func checkIndex(_ bytes: some Collection<UInt8>, against cassette: Cassette?) {
        do {
            let index = try CassetteIndex(bytes: bytes, path: "fuzz.har")
            if let cassette {
                precondition(index.count == cassette.entries.count, "the index and the whole reading count other entries")
            }
            for number in 0..<min(index.count, 50) {
                let request = try? index.request(at: number)
                let response = try? index.response(at: number)
                guard let cassette else { continue }
                precondition(request == cassette.entries[number].request, "the index reads entry \(number)'s request otherwise")
                precondition(response == cassette.entries[number].response, "the index reads entry \(number)'s response otherwise")
            }
        } catch {
            precondition(cassette == nil, "the index refuses a cassette the whole reading reads: \(error)")
            _ = error.description
        }
    }
}

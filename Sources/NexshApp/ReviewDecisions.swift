import ArgumentParser
import Foundation
import HTTPCassette
import ShellCore

/// `--accept unchanged,value`: the kinds of change a re-recording review takes without asking.
struct AcceptedKinds: RunArgument, Equatable {
    let kinds: Set<RecordingReview.Kind>

    init(_ kinds: Set<RecordingReview.Kind>) {
        self.kinds = kinds
    }

    init?(argument: String) {
        var kinds: Set<RecordingReview.Kind> = []
        for word in argument.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            switch word {
            case "all": kinds.formUnion(RecordingReview.Kind.allCases)
            case "none": break
            default:
                guard let kind = RecordingReview.Kind(rawValue: word) else { return nil }
                kinds.insert(kind)
            }
        }
        self.kinds = kinds
    }

    static func refusal(of text: String) -> String {
        "--accept must list unchanged, value, schema, new or gone (or all, or none), separated by commas, not '\(text)'"
    }

    /// An unchanged exchange differs only in what the drift check leaves out (dates, timings,
    /// headers, volatile values): taking it loses nothing, and dates the recording.
    static let standard = AcceptedKinds([.unchanged])
}

/// Which changes of a review are accepted: those of the kinds accepted beforehand, and on a
/// terminal the others as the person answers, one by one.
enum ReviewDecisions {
    /// nil when the person quit: the old file stays as it is.
    static func decide(_ review: RecordingReview, accepting accepted: AcceptedKinds, asking: Bool) async -> [Bool]? {
        var kinds = accepted.kinds
        var decisions: [Bool] = []
        let prompter = TerminalPrompter()
        let asked = review.changes.filter { !kinds.contains($0.kind) }.count
        var number = 0
        for change in review.changes {
            guard asking, !kinds.contains(change.kind) else {
                decisions.append(kinds.contains(change.kind))
                continue
            }
            number += 1
            Console.error("[\(number)/\(asked)] " + Terminal.safe(change.description))
            answering: while true {
                let answer = await prompter.readLine(prompt: "  a accept, r reject, A accept every \(change.kind.name), q quit keeping the old file: ")
                switch answer?.trimmingCharacters(in: .whitespaces) {
                case "a": decisions.append(true)
                case "r": decisions.append(false)
                case "A":
                    kinds.insert(change.kind)
                    decisions.append(true)
                case "q", nil: return nil
                default: continue answering
                }
                break answering
            }
        }
        return decisions
    }
}

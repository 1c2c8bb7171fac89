import ArgumentParser
import Bundles
import Foundation
import HTTPCassette
import NexudusCommands
import SecureFiles
import ShellCore

struct BundleShrinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shrink",
        abstract: "Cut a failing bundle down to the script lines and exchanges its failure needs.",
        discussion: """
            Replays the bundle offline again and again (delta debugging), removing script lines and \
            cassette entries while the replay still fails the same way: the same line (by its text) \
            first fails, with the same expected and actual values in the answer to the same request, \
            or the same error once line and entry numbers are set aside. It stops when no single line or entry can go, or after \
            --max-runs replays, and writes the smallest failing bundle found, with a comment at the \
            top of its script listing what was removed. A bundle that replays without failing is \
            refused (exit status 2).
            """
    )

    @Argument(help: ArgumentHelp("The failing bundle.", valueName: "bug.har"))
    var bundle: String

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The smaller bundle to write (.har).", valueName: "min.har"))
    var output: String

    @Option(
        name: .customLong("max-runs"), help: ArgumentHelp("Replays at most, the first included (\(OptionRanges.maxRuns.help)).", valueName: "N"),
        transform: OptionRanges.maxRuns.parse
    )
    var maxRuns = OptionRanges.maxRuns.standard

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func validate() throws {
        guard output.hasSuffix(".har") else { throw ValidationError("the bundle must be a .har file, not '\(output)'") }
    }

    func run() async throws {
        let outputURL = TypedPath.fileURL(output)
        try Console.refuseToReplace(output, force: force, command: "bundle shrink")
        let shrink = try load()
        let started = ContinuousClock.now
        let replay = try BundleReplay(shrink, file: bundle)
        defer { replay.remove() }

        var budget = DeltaDebugging.Budget(limit: maxRuns)
        _ = budget.spend()
        let original = await replay.replay(shrink.everything)
        let failure: FailureSignature
        switch original.outcome {
        case .failed(let found):
            failure = found
        case .passed:
            Console.error("nexsh bundle shrink: \(Terminal.safe(bundle)) replays without failing, so there is nothing to shrink; "
                + "shrink a bundle whose 'nexsh run \(Terminal.safe(bundle))' fails")
            throw ExitCode(2)
        case .unreadable:
            Console.error("nexsh bundle shrink: the script of \(Terminal.safe(bundle)) does not read; 'nexsh run \(Terminal.safe(bundle))' says why")
            throw ExitCode(2)
        }
        let progress = StandardErrorProgress()
        let (kept, finished) = await shrink.minimize(requested: original.requested, budget: &budget) { selection in
            progress.show("shrinking \(bundle): replay \(replay.runs + 1) of at most \(maxRuns), \(selection.lines.count) lines, \(selection.entries.count) entries")
            return await replay.replay(selection).outcome == .failed(failure)
        }
        progress.clear()

        let header = shrink.header(for: kept, finished: finished, maximumRuns: maxRuns)
        try BundleFile.write(shrink.cassette(kept, header: header), to: outputURL, command: "bundle shrink")
        let took = HTMLReport.format(ContinuousClock.now - started)
        Console.output("shrunk \(Terminal.safe(bundle)): kept \(kept.lines.count) of \(shrink.lines.count) lines and \(kept.entries.count) of \(entriesText(shrink.log.entries.count)) in \(replay.runs) replays (\(took))")
        Console.output("it fails as before: \(Terminal.safe(failure.description))")
        if !finished {
            Console.output("note: stopped at --max-runs \(maxRuns); this is the smallest failing bundle found, and a smaller one may exist")
        }
        Console.output("wrote \(Terminal.safe(output)) (replay it with: nexsh run \(Terminal.safe(output)))")
    }

    private func load() throws -> BundleShrink {
        do {
            let cassette = try Cassette.load(from: TypedPath.fileURL(bundle))
            guard let found = try ReproductionBundle(log: cassette.log, path: bundle) else {
                Console.error("nexsh bundle shrink: \(Terminal.safe(bundle)) is a HAR file without a nexsh script (not a bundle)")
                throw ExitCode(2)
            }
            return BundleShrink(found, log: cassette.log)
        } catch let error as CassetteError {
            throw Console.failure("bundle shrink", error)
        }
    }
}

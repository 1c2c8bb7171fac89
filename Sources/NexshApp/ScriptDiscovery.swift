import ArgumentParser
import Bundles
import Foundation
import HTTPCassette
import NexudusCommands
import ShellCore

/// The scripts a run names, each read and checked before any runs: files, folders of them,
/// standard input and bundles, sliced to the run's shard, each with its cassette and mode.
struct ScriptDiscovery: Sendable {
    /// The scripts that were read, in the order named.
    let jobs: [ScriptJob]
    /// Scripts that could not be read (reported, exit status 2).
    let unreadable: [ScriptOutcome]

    /// Throws a usage error for options that do not fit the scripts found.
    init(_ configuration: RunConfiguration) throws {
        var files = configuration.oneShotText == nil ? Self.scriptFiles(configuration.scripts) : [Self.oneShotName]
        if let shard = configuration.shard { files = shard.slice(files) }
        let cassetteFolder = configuration.cassette.map { path -> Bool in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: TypedPath.filePath(path), isDirectory: &isDirectory) && isDirectory.boolValue
        } ?? false
        if files.count > 1, configuration.cassette != nil, !cassetteFolder {
            throw ValidationError("with several scripts, --cassette must name a folder (each script gets <folder>/<name>.har)")
        }

        // A single script's replay: its cassette is indexed while the script is read.
        let readAhead = files.count == 1 && !cassetteFolder && [.replay, .verify].contains(configuration.scriptMode)
            ? configuration.cassette.map { CassetteReadAhead(file: TypedPath.fileURL($0), rules: .standard) } : nil

        let variables = VariableAssignment.dictionary(configuration.variables)
        let templateTable = NexudusCommands.table
        var jobs: [ScriptJob] = []
        var unreadable: [ScriptOutcome] = []
        func refuse(_ file: String, _ error: ShellError) {
            var outcome = ScriptOutcome(file: file)
            outcome.parseError = error
            unreadable.append(outcome)
        }
        for file in files {
            if file.hasSuffix(".har") {
                // A bundle carries its script, variables and cassette.
                let bundleMode = configuration.mode ?? .replay
                guard [.replay, .verify].contains(bundleMode), configuration.cassette == nil else {
                    throw ValidationError("a bundle (\(file)) replays its own cassette: --mode may only be replay or verify, and --cassette is not used")
                }
                switch Self.readBundle(file, commands: templateTable, variables: variables) {
                case .success(let (script, bundle)):
                    let merged = Dictionary(bundle.variables.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
                        .merging(variables) { _, commandLine in commandLine }
                    jobs.append(ScriptJob(
                        script: script, cassette: TypedPath.fileURL(file), mode: bundleMode, variables: merged, matchRules: bundle.matchRules,
                        replayAdvice: .bundle
                    ))
                case .failure(let error):
                    refuse(file, error)
                }
                continue
            }
            switch Self.readScript(file, commands: templateTable, knownVariables: Set(variables.keys), oneShotText: configuration.oneShotText) {
            case .success(let script):
                let cassette = configuration.cassette.map { path in
                    cassetteFolder
                        ? TypedPath.fileURL(path).appendingPathComponent(((file as NSString).lastPathComponent as NSString).deletingPathExtension + ".har")
                        : TypedPath.fileURL(path)
                }
                jobs.append(ScriptJob(
                    script: script, cassette: cassette, mode: configuration.scriptMode, variables: variables, matchRules: .standard,
                    replayAdvice: configuration.replayAdvice, readAhead: readAhead
                ))
            case .failure(let error):
                refuse(file, error)
            }
        }
        self.jobs = jobs
        self.unreadable = unreadable
    }

    /// What a one-shot's text is called in its messages (`-c:1:10: …`).
    static let oneShotName = "-c"

    /// Scripts named, folders expanded to their `.nexsh` files (sorted, so shards are stable).
    static func scriptFiles(_ arguments: [String]) -> [String] {
        var files: [String] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            let folder = TypedPath.filePath(argument)
            if argument != "-", FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
                files += names.filter { $0.hasSuffix(".nexsh") }.sorted().map { (argument as NSString).appendingPathComponent($0) }
            } else {
                files.append(argument)
            }
        }
        return files
    }

    static func readScript(
        _ file: String, commands: CommandTable, knownVariables: Set<String>, oneShotText: String? = nil
    ) -> Result<Script, ShellError> {
        Result { () throws(ShellError) in
            if let oneShotText {
                return try Script(text: oneShotText, file: oneShotName, commands: commands, knownVariables: knownVariables,
                    environment: AppEnvironment.current.variables)
            }
            if file == "-" {
                // Read as a file, within the same bound as one.
                return try Script(contentsOfFile: AppEnvironment.current.standardInputPath, displayName: "<stdin>", commands: commands, knownVariables: knownVariables,
                    environment: AppEnvironment.current.variables)
            }
            return try Script(contentsOfFile: TypedPath.filePath(file), displayName: file, commands: commands, knownVariables: knownVariables,
                    environment: AppEnvironment.current.variables)
        }
    }

    /// The script a bundle carries; its lines are numbered as `nexsh bundle show` prints them.
    static func readBundle(_ file: String, commands: CommandTable, variables: [String: String]) -> Result<(Script, ReproductionBundle), ShellError> {
        Result { () throws(ShellError) in
            let found: ReproductionBundle?
            do throws(CassetteError) {
                found = try ReproductionBundle(log: Cassette.load(from: TypedPath.fileURL(file)).log, path: file)
            } catch {
                throw .failed("\(error)")
            }
            guard let bundle = found else {
                throw .failed("\(file) is a HAR file without a nexsh script (not a bundle); replay a cassette with: nexsh run SCRIPT --cassette \(file)")
            }
            let known = Set(bundle.variables.map(\.name)).union(variables.keys)
            let script = try Script(
                text: bundle.script, file: file, commands: commands, knownVariables: known, environment: AppEnvironment.current.variables
            )
            return (script, bundle)
        }
    }
}

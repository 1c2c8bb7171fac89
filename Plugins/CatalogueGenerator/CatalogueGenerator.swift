import Foundation
import PackagePlugin

/// Turns a target's `Catalogue/endpoints.json` into a Swift file that holds it, so the program
/// carries its endpoint catalogue without a resource bundle beside the binary.
@main struct CatalogueGenerator: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let input = target.directoryURL.appending(path: "Catalogue/endpoints.json")
        let output = context.pluginWorkDirectoryURL.appending(path: "EndpointCatalogue+Embedded.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(target.name)'s endpoint catalogue",
                executable: try context.tool(named: "CatalogueEmbedder").url,
                arguments: [input.path, output.path],
                inputFiles: [input],
                outputFiles: [output]
            ),
        ]
    }
}

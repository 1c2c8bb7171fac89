import Foundation

/// How a command that shows an answer shows it, and whether it shows the exchange too: the
/// options every such command takes, declared once (`--json`, `-o`, `-v`).
public enum Presentation {
    /// The body as received, in JSON or YAML; `table` is the command's own rendering.
    public enum Format: String, ArgumentValue, CaseIterable {
        case table, json, yaml

        public static func parse(_ text: String) throws(ArgumentError) -> Format {
            guard let format = Format(rawValue: text) else {
                throw ArgumentError("'\(text)' is not an output format: expected table, json or yaml")
            }
            return format
        }

        public static var completion: CompletionKind { .choices(allCases.map(\.rawValue)) }
    }

    public static let output = ValueOption<Format>(
        "output", short: "o", value: "format",
        help: "table (the readable rendering, the default), json (the body as received, as --json) or yaml (the body as YAML)."
    )
    public static let verbose = FlagOption(
        "verbose", short: "v",
        help: "Show each request as sent and its answer's status line and headers, on standard error (set verbose on: for every command)."
    )

    /// `--json`, `-o <format>` and `-v`, in that order, for a signature.
    public static let options = Group()

    public struct Group: ArgumentDeclaration {
        public var elements: [CommandSignature.Element] { [FlagOption.json.element, output.element, verbose.element] }
    }

    /// The variable that turns `-v` on for every command: `set verbose on`.
    public static let verboseVariable = "verbose"
}

extension Invocation {
    /// How the line asks for its answer: `-o` if given, else json for `--json`, else the table.
    public var format: Presentation.Format {
        get throws(ShellError) {
            try self[Presentation.output] ?? (self[FlagOption.json] ? .json : .table)
        }
    }

    /// The body's format when the line asks for the body (json, yaml) rather than the table.
    public var bodyFormat: BodyRenderer.Format? {
        get throws(ShellError) {
            switch try format {
            case .table: nil
            case .json: .json
            case .yaml: .yaml
            }
        }
    }
}

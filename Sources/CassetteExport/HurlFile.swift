import Foundation
import HTTPCassette
import HTTPValues
import JSONValues
import Secrets
import ShellCore

/// A cassette as a Hurl file (https://hurl.dev): each entry's request, its status, and with
/// ``Asserts/body`` its JSON body's top-level values. Secrets, which the cassette holds as
/// placeholders, become Hurl variables (`{{token}}`, `{{password}}`) that the file's header
/// comment lists.
///
/// What it writes, of Hurl's grammar: `METHOD URL`, `Name: value` header lines, a body (JSON as
/// JSON, a form as `[FormParams]`, anything else as `base64,…;`, which is exact), then
/// `HTTP <status>` and an `[Asserts]` section of `jsonpath "$.Name" == value`,
/// `jsonpath "$.Name" exists` (a redacted value) and `jsonpath "$" count == N` (an array).
/// A form's fields are sent again encoded by Hurl: the same fields, perhaps not the same bytes.
public struct HurlFile {
    public enum Asserts: String, Sendable, CaseIterable {
        /// `HTTP <status>` alone.
        case status
        /// The status and the JSON body's top-level scalar values.
        case body
    }

    /// The Hurl variable the bearer token goes in.
    public static let tokenVariable = "token"

    private var variables: [String] = []

    public static func render(_ entries: [(number: Int, entry: HAR.Entry)], source: String, asserts: Asserts) throws(CassetteExport.Failure) -> String {
        var file = HurlFile()
        var blocks: [String] = []
        for (number, entry) in entries {
            do {
                blocks.append(try file.block(number: number, entry: entry, asserts: asserts))
            } catch {
                throw CassetteExport.Failure(description: "entry \(number): \(error)")
            }
        }
        var header = ["# Exported by nexsh from \(Terminal.safe(source)): \(entries.count) \(entries.count == 1 ? "request" : "requests")."]
        if !file.variables.isEmpty {
            header.append("# The secrets are variables; pass them to hurl:")
            for name in file.variables {
                header.append("#   --variable \(name)=…" + (name == tokenVariable ? "   (the bearer token: --variable token=\"$NEXSH_TOKEN\")" : ""))
            }
        }
        return (header + [""] + blocks).joined(separator: "\n")
    }

    private mutating func block(number: Int, entry: HAR.Entry, asserts: Asserts) throws -> String {
        let request = try entry.request.httpRequest()
        var lines = [Terminal.safe("# \(number): \(request.method.rawValue) \(entry.request.target) → \(entry.response.status)")]
        lines.append("\(request.method.rawValue) \(value(request.url.absoluteString))")
        for header in request.headers where !CurlCommand.omittedHeaders.contains(header.name.lowercased()) {
            let name = Self.escaped(header.name, also: ":#")
            if CurlCommand.isBearerCredential(header) {
                lines.append("\(name): Bearer {{\(variable(for: "authorization"))}}")
            } else {
                lines.append("\(name): \(value(header.value))")
            }
        }
        lines += body(of: request)
        lines += ["", "HTTP \(entry.response.status)"]
        if asserts == .body { lines += Self.bodyAsserts(try entry.response.bodyData()) }
        return (lines + [""]).joined(separator: "\n")
    }

    private mutating func body(of request: HTTPRequest) -> [String] {
        guard !request.body.isEmpty else { return [] }
        let contentType = request.headers["Content-Type"] ?? ""
        if let json = try? JSONValue.parse(request.body) {
            return [Self.jsonEscapingHostile(templated(json).serialized(.pretty))]
        }
        if FormBody.isForm(contentType), let text = String(data: request.body, encoding: .utf8) {
            return ["[FormParams]"] + FormBody.fields(in: text).map { "\(Self.escaped($0.name, also: ":#")): \(value($0.value))" }
        }
        return ["base64,\(request.body.base64EncodedString());"]
    }

    /// The entry's JSON body's top-level values, those Hurl can write as literals.
    static func bodyAsserts(_ body: Data) -> [String] {
        guard let json = try? JSONValue.parse(body) else { return [] }
        var asserts: [String] = []
        switch json {
        case .array(let items):
            asserts.append(#"jsonpath "$" count == \#(items.count)"#)
        case .object(let object):
            for (name, member) in object where name.wholeMatch(of: /[A-Za-z_][A-Za-z0-9_]*/) != nil {
                let query = "jsonpath \"$.\(name)\""
                switch member {
                case .string(let text) where Placeholder.isPlaceholder(text): asserts.append("\(query) exists")
                case .string(let text): asserts.append("\(query) == \(quoted(text))")
                case .bool(let flag): asserts.append("\(query) == \(flag)")
                case .null: asserts.append("\(query) == null")
                // Hurl's numbers have no exponent; a value it cannot write is left out.
                case .number(let number) where number.description.wholeMatch(of: /-?[0-9]{1,18}(\.[0-9]+)?/) != nil:
                    asserts.append("\(query) == \(number.description)")
                default: break
                }
            }
        default: break
        }
        return asserts.isEmpty ? [] : ["[Asserts]"] + asserts
    }

    // MARK: Text

    /// A value (a URL, a header's or a field's value) with each placeholder a variable.
    private mutating func value(_ text: String) -> String {
        Placeholder.pieces(of: text).map { piece in
            switch piece {
            case .text(let text): Self.escaped(String(text), also: "#")
            case .placeholder(let name): "{{\(variable(for: name))}}"
            }
        }.joined()
    }

    /// A JSON body with each placeholder in its strings a variable.
    private mutating func templated(_ json: JSONValue) -> JSONValue {
        switch json {
        case .string(let text):
            .string(Placeholder.pieces(of: text).map { piece in
                switch piece {
                case .text(let text): String(text)
                case .placeholder(let name): "{{\(variable(for: name))}}"
                }
            }.joined())
        case .array(let items): .array(items.map { templated($0) })
        case .object(let object): .object(JSONObject(object.map { (key: $0.key, value: templated($0.value)) }))
        default: json
        }
    }

    /// The variable for a placeholder: `token` for the bearer token, else the placeholder's
    /// name as Hurl allows one (`[A-Za-z_][A-Za-z0-9_-]*`).
    private mutating func variable(for placeholder: String) -> String {
        var name = ["authorization", "access_token"].contains(placeholder.lowercased())
            ? Self.tokenVariable : String(placeholder.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
        if name.first?.isNumber ?? true { name = "_" + name }
        if !variables.contains(name) { variables.append(name) }
        return name
    }

    /// Hurl's escapes: `\\`, `\n`, `\r`, `\t`, and `\u{7b}` for `{` so that no text becomes
    /// a template, and `\u{…}` for hostile characters so that the file is safe to show; `also`
    /// the characters special where the text goes (`#` in a value, `:` too in a key, `"` in a
    /// quoted string), each after a backslash.
    static func escaped(_ text: String, also special: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "{": output += "\\u{7b}"
            case _ where special.unicodeScalars.contains(scalar): output += "\\\(scalar)"
            case _ where Terminal.mustBeEscaped(scalar):
                output += "\\u{\(String(scalar.value, radix: 16))}"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// JSON text with the characters a terminal must not see as they are (a bidirectional
    /// control the serializer leaves in a string) as JSON escapes: the same JSON, safe to show.
    static func jsonEscapingHostile(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            if Terminal.mustBeEscaped(scalar) && scalar != "\n" {
                output += String(format: "\\u%04x", scalar.value)
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// A Hurl quoted string: `"…"`.
    static func quoted(_ text: String) -> String {
        "\"" + escaped(text, also: "\"") + "\""
    }
}

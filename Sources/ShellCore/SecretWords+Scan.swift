import HTTPValues
import JSONValues
import Secrets

extension SecretWords {
    /// One pass over the lines, then the variables that turned out to be secret.
    struct Scan {
        let table: CommandTable
        var found: [Found] = []
        /// Variables used where a secret goes.
        var secretVariables: Set<String> = []
        /// `set NAME value…` lines, decided once every use of NAME is known.
        var assignments: [(line: Int, name: String, words: [Word])] = []

        init(table: CommandTable, secretVariables: Set<String>) {
            self.table = table
            self.secretVariables = secretVariables
        }

        mutating func look(at line: ScriptLine) {
            let command = line.commandName.flatMap { table.command(named: $0) }
            let signature = command?.signature
            var positional = 0
            var index = 1
            let words = line.words
            while index < words.count {
                let word = words[index]
                if let text = word.bareText, text.hasPrefix("--"), text.count > 2 {
                    let name = String(text.dropFirst(2).prefix { $0 != "=" })
                    let option = signature?.options.first { $0.name == name }
                    let secrecy = option?.secrecy ?? (SecretNames.isSecretField(name) ? .secret(standIn: nil) : .none)
                    let takesValue = option.map { !$0.isFlag } ?? (secrecy != .none)
                    if text.contains("=") {
                        // `--password=VALUE`: the value is the rest of the word.
                        let value = Word(parts: [.literal(String(text.drop { $0 != "=" }.dropFirst()))], location: word.location,
                                         source: "", isQuoted: false, sourceRange: word.sourceRange)
                        take(value, secrecy, label: "--\(name)", option: word, line: line.location.line, inline: name)
                        index += 1
                    } else if takesValue, index + 1 < words.count {
                        take(words[index + 1], secrecy, label: "--\(name)", option: word, line: line.location.line, inline: nil)
                        index += 2
                    } else {
                        index += 1
                    }
                    continue
                }
                let declared = signature.map { signature -> CommandSignature.Secrecy in
                    guard let last = signature.positionals.indices.last else { return .none }
                    return signature.positionals[min(positional, last)].secrecy
                } ?? .none
                if declared == .variableValue {
                    if let name = words[1].literal { assignments.append((line.location.line, name, Array(words[index...]))) }
                    return
                }
                // `name=value` words are read as such wherever they are.
                take(word, declared == .none ? .namedValue : declared, label: "", option: nil, line: line.location.line, inline: nil)
                positional += 1
                index += 1
            }
        }

        /// Records `value` when it holds a secret under `secrecy`, and the variables it uses.
        private mutating func take(_ value: Word, _ secrecy: CommandSignature.Secrecy, label: String, option: Word?, line: Int, inline: String?) {
            guard let range = value.sourceRange else { return }
            let literal = Self.literalText(value)
            switch secrecy {
            case .none, .variableValue:
                return
            case .secret(let standIn):
                secretVariables.formUnion(value.variableNames)
                guard !literal.isEmpty, !Placeholder.isPlaceholder(literal) else { return }
                let name = String(label.drop { $0 == "-" })
                let message = "\(label) holds a literal secret"
                guard let option, let start = option.sourceRange?.lowerBound else {
                    found.append(Found(line: line, range: range, replacement: Self.placeholder(name), message: message))
                    return
                }
                let replacement = standIn ?? (inline != nil ? "--\(name)=" : "--\(name) ") + Self.placeholder(name)
                found.append(Found(line: line, range: start..<range.upperBound, replacement: replacement, message: message, isOption: true))
            case .header:
                guard let header = HTTPHeader(written: literal[...]) else { return }
                let name = header.name
                let headerValue = header.value
                guard SecretNames.isSecretHeader(name) || Self.isCredential(headerValue) else { return }
                secretVariables.formUnion(value.variableNames)
                guard !headerValue.isEmpty, !Placeholder.isPlaceholder(headerValue) else { return }
                found.append(Found(
                    line: line, range: range, replacement: Self.quoted("\(name): " + Placeholder.text(name.lowercased())),
                    message: "the header \(name) holds a literal credential"
                ))
            case .namedValue:
                guard let equals = literal.firstIndex(of: "="), SecretNames.isSecretField(String(literal[..<equals])) else { return }
                let name = String(literal[..<equals])
                secretVariables.formUnion(value.variableNames)
                let fieldValue = String(literal[literal.index(after: equals)...])
                guard !fieldValue.isEmpty, !Placeholder.isPlaceholder(fieldValue) else { return }
                found.append(Found(line: line, range: range, replacement: Self.quoted("\(name)=" + Placeholder.text(name)), message: "'\(name)=…' holds a literal secret"))
            case .body:
                secretVariables.formUnion(value.variableNames)
                guard let literal = value.literal, let (scrubbed, names) = Self.scrubbedBody(literal) else { return }
                found.append(Found(
                    line: line, range: range, replacement: Self.quoted(scrubbed),
                    message: "\(label) holds a literal secret (\(names.joined(separator: ", ")))"
                ))
            }
        }

        /// A body with the values of its secret JSON members or form fields replaced, and their
        /// names; nil when it holds none.
        static func scrubbedBody(_ text: String) -> (String, [String])? {
            var names: [String] = []
            if let json = try? JSONValue.parse(Array(text.utf8)) {
                func walk(_ value: JSONValue, secret: String?) -> JSONValue {
                    switch value {
                    case .object(let object):
                        return .object(JSONObject(object.members.map { member in
                            let name = secret ?? (SecretNames.isSecretField(member.key) ? member.key : nil)
                            return (member.key, walk(member.value, secret: name))
                        }))
                    case .array(let elements):
                        return .array(elements.map { walk($0, secret: secret) })
                    case .string, .number:
                        guard let secret, value != .string(""), !Placeholder.isPlaceholder(value.stringValue ?? "") else { return value }
                        if !names.contains(secret) { names.append(secret) }
                        return .string(Placeholder.text(secret))
                    default:
                        return value
                    }
                }
                let scrubbed = walk(json, secret: nil)
                return names.isEmpty ? nil : (scrubbed.serialized(), names)
            }
            let pairs = text.split(separator: "&", omittingEmptySubsequences: false).map { pair -> Substring in
                guard let equals = pair.firstIndex(of: "="), SecretNames.isSecretField(String(pair[..<equals])),
                    pair.index(after: equals) != pair.endIndex, !Placeholder.isPlaceholder(String(pair[pair.index(after: equals)...]))
                else { return pair }
                let name = String(pair[..<equals])
                names.append(name)
                return Substring("\(name)=" + Placeholder.text(name))
            }
            return names.isEmpty ? nil : (pairs.joined(separator: "&"), names)
        }

        /// `set NAME …` of a variable whose name says it is secret, or that a secret was made
        /// from; until nothing new is learned, since one secret variable may be set from another.
        mutating func settleVariables() {
            var settled: Set<Int> = []
            var learned = true
            while learned {
                learned = false
                for (index, assignment) in assignments.enumerated() where !settled.contains(index) {
                    guard SecretNames.isSecretVariable(assignment.name) || secretVariables.contains(assignment.name) else { continue }
                    settled.insert(index)
                    let used = Set(assignment.words.flatMap(\.variableNames)).subtracting(secretVariables)
                    if !used.isEmpty {
                        secretVariables.formUnion(used)
                        learned = true
                    }
                    guard assignment.words.contains(where: { !Self.literalText($0).isEmpty && !Placeholder.isPlaceholder(Self.literalText($0)) }),
                        let start = assignment.words.first?.sourceRange?.lowerBound, let end = assignment.words.last?.sourceRange?.upperBound
                    else { continue }
                    found.append(Found(
                        line: assignment.line, range: start..<end, replacement: Self.placeholder(assignment.name),
                        message: "set \(assignment.name): the value is a literal secret"
                    ))
                }
            }
        }

        /// The literal parts of a word, joined: what of it is written in the text itself.
        static func literalText(_ word: Word) -> String {
            word.parts.map { part in
                if case .literal(let text) = part { text } else { "" }
            }.joined()
        }

        /// A value that is a credential whatever the header is called.
        static func isCredential(_ value: String) -> Bool {
            let lowered = value.lowercased()
            return ["bearer ", "basic ", "token ", "digest ", "negotiate "].contains { lowered.hasPrefix($0) }
        }

        static func placeholder(_ name: String) -> String {
            quoted(Placeholder.text(name))
        }

        /// A single-quoted word of the language.
        static func quoted(_ text: String) -> String {
            "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
    }
}

@testable import ShellCore
import Testing

@Suite struct TokenizerTests {
    func words(_ text: String) throws -> [[String]] {
        let reading = Tokenizer.read(text, file: "t.nexsh")
        if let mistake = reading.mistakes.first { throw mistake.error }
        return reading.lines.map { line in line.words.map { $0.literal ?? "<var>" } }
    }

    @Test func splitsWordsAndLinesAndSkipsComments() throws {
        #expect(try words("login jane.doe@example.com   --password-env PW\n\n  # a comment\nprofiles --json # trailing\n")
            == [["login", "jane.doe@example.com", "--password-env", "PW"], ["profiles", "--json"]])
        #expect(try words("echo a#b") == [["echo", "a#b"]], "# only starts a comment at the start of a word")
    }

    @Test func aSemicolonAndASpaceEndACommand() throws {
        #expect(try words("profiles; whoami;\necho a ;  echo b;") == [["profiles"], ["whoami"], ["echo", "a"], ["echo", "b"]])
        // Elsewhere a `;` is part of a word, as in scripts written before it ended commands.
        #expect(try words("get /x;v=1 a;b \u{1B}]0;title") == [["get", "/x;v=1", "a;b", "\u{1B}]0;title"]])
        #expect(try words("echo 'a; b' \"c; d\" e\\; f") == [["echo", "a; b", "c; d", "e;", "f"]])
        #expect(try words("echo a # not; two") == [["echo", "a"]], "a comment runs to the end of the line")
        let second = try #require(Tokenizer.read("echo a; echo b", file: "t").lines.last)
        #expect(second.location.column == 9)
        #expect(Tokenizer.statements("echo a; set x 'p; q' ;  whoami") == ["echo a", "set x 'p; q'", "whoami"])
        #expect(Tokenizer.statements("echo 'open; x") == ["echo 'open; x"], "a line that does not read stays whole, for its error")
    }

    @Test func quotesAndEscapes() throws {
        #expect(try words(#"echo "two words" 'single $ "x"' "tab\tnew\nline\"q\\" it\'s"#)
            == [["echo", "two words", #"single $ "x""#, "tab\tnew\nline\"q\\", "it's"]])
        #expect(try words(#"echo 'it\'s' "${"#.replacingOccurrences(of: "\"${", with: "\"\\${\"")) == [["echo", "it's", "${"]])
        #expect(try words(#"echo "" ''"#) == [["echo", "", ""]])
    }

    @Test func textBeyondASCIIKeepsItsCharactersAndColumns() throws {
        #expect(try words("echo héllo \\€uro 'çà' \"日本\" ${x}") == [["echo", "héllo", "€uro", "çà", "日本", "<var>"]])
        let line = try #require(try Tokenizer.line("echo 日本 ${x}"))
        #expect(line.words[2].parts == [.variable("x", SourceLocation(file: "<input>", line: 1, column: 9))])
        #expect(throws: ShellError.syntax("unknown escape '\\é' in double quotes", SourceLocation(file: "<input>", line: 1, column: 9),
                                          sourceLine: #"echo "é \é""#)) {
            try Tokenizer.line(#"echo "é \é""#)
        }
    }

    /// Completion reads the line before the cursor with the script's own rules: escapes and
    /// quotes hold a word together, and a quote left open is the word the cursor is in.
    @Test func aLineBeingTypedIsReadAsFarAsItGoes() {
        let escaped = Tokenizer.lineBeingTyped(#"replay --allow-repeats my\ f"#)
        #expect(escaped == LineBeingTyped(previousWords: ["replay", "--allow-repeats"], wordSource: #"my\ f"#, word: "my f", openQuote: nil))
        let quoted = Tokenizer.lineBeingTyped(#"source "sub dir/a b"#)
        #expect(quoted == LineBeingTyped(previousWords: ["source"], wordSource: #""sub dir/a b"#, word: "sub dir/a b", openQuote: "\""))
        let single = Tokenizer.lineBeingTyped("record 'it\\'s")
        #expect(single.openQuote == "'")
        #expect(Tokenizer.lineBeingTyped("replay \"my file.har\" ") == LineBeingTyped(
            previousWords: ["replay", "my file.har"], wordSource: "", word: "", openQuote: nil
        ))
        #expect(Tokenizer.lineBeingTyped("") == LineBeingTyped(previousWords: [], wordSource: "", word: "", openQuote: nil))
        // An unterminated ${ cannot be read: the line is split at spaces, and nothing traps.
        #expect(Tokenizer.lineBeingTyped("echo ${pro").wordSource == "${pro")
        #expect(Tokenizer.lineBeingTyped("echo \"${pro").wordSource == "\"${pro")
        #expect(Tokenizer.lineBeingTyped("e").word == "e")
    }

    /// What completion adds reads back as it was meant, in a bare word and inside each quote.
    @Test func escapedTextReadsBackAsItself() throws {
        let text = #"my file's "$name" #1 \ end"#
        for (open, close) in [("", ""), ("\"", "\""), ("'", "'")] {
            let word = open + Tokenizer.escaped(text, inside: open.first) + close
            #expect(try words("echo \(word)") == [["echo", text]], "\(word)")
        }
        #expect(Tokenizer.escaped("plain-name_1.har") == "plain-name_1.har")
    }

    @Test func quotedWordsAreKnownToBeQuoted() throws {
        let line = try #require(try Tokenizer.line(#"expect .Id == "102" 102 a"b""#))
        #expect(line.words.map(\.isQuoted) == [false, false, false, true, false, false])
    }

    @Test func aTrailingBackslashContinuesTheLine() throws {
        let reading = Tokenizer.read("post /x \\\n    --body '{\"a\": 1}' \\\n    --json\nprofiles", file: "t.nexsh")
        #expect(reading.mistakes.isEmpty)
        let lines = reading.lines
        #expect(lines.count == 2)
        #expect(lines[0].words.map { $0.literal! } == ["post", "/x", "--body", #"{"a": 1}"#, "--json"])
        #expect(lines[0].text == "post /x \\\n    --body '{\"a\": 1}' \\\n    --json")
        #expect(lines[1].location == SourceLocation(file: "t.nexsh", line: 4, column: 1))
    }

    @Test func variablesAreKeptForLater() throws {
        let line = try #require(try Tokenizer.line(#"switch ${id} "p-${env.HOME}-x""#))
        #expect(line.words[1].parts == [.variable("id", SourceLocation(file: "<input>", line: 1, column: 8))])
        #expect(line.words[2].parts == [.literal("p-"), .variable("env.HOME", SourceLocation(file: "<input>", line: 1, column: 17)), .literal("-x")])
        #expect(line.words[2].literal == nil)
        let variables = Variables(["id": "102"], environment: ["HOME": "/root"])
        #expect(try variables.expand(line.words[1], sourceLine: line.text) == "102")
        #expect(try variables.expand(line.words[2], sourceLine: line.text) == "p-/root-x")
        #expect(throws: ShellError.undefinedVariable("nope", SourceLocation(file: "<input>", line: 1, column: 6), sourceLine: "echo ${nope}")) {
            let other = try #require(try Tokenizer.line("echo ${nope}"))
            _ = try variables.expand(other.words[1], sourceLine: other.text)
        }
    }

    @Test func errorsPointAtTheFault() throws {
        let cases: [(String, String)] = [
            ("echo \"open", "t.nexsh:1:6: error: unterminated double quote\n    echo \"open\n         ^"),
            ("echo ok\n  echo 'open", "t.nexsh:2:8: error: unterminated single quote\n      echo 'open\n           ^"),
            ("echo \"bad \\q\"", "t.nexsh:1:11: error: unknown escape '\\q' in double quotes\n    echo \"bad \\q\"\n              ^"),
            ("echo ${x", "t.nexsh:1:6: error: unterminated ${…}: expected '}'\n    echo ${x\n         ^"),
            ("echo ${9x}", "t.nexsh:1:6: error: invalid variable name '9x'\n    echo ${9x}\n         ^"),
            ("echo ${}", "t.nexsh:1:6: error: empty variable name in ${}\n    echo ${}\n         ^"),
        ]
        for (text, rendered) in cases {
            let mistakes = Tokenizer.read(text, file: "t.nexsh").mistakes
            #expect(mistakes.count == 1, "\(text) should not tokenize")
            #expect(mistakes.first?.error.rendered() == rendered)
            #expect(mistakes.first?.error.isParseError == true)
        }
    }

    @Test func binaryJunkAndLongLinesAreErrorsNotCrashes() throws {
        let junk = String(decoding: (0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 31) }, as: UTF8.self)
        _ = Tokenizer.read(junk, file: "junk")
        let long = "echo " + String(repeating: "x", count: 1_000_000) + " \"unterminated"
        #expect(Tokenizer.read(long, file: "long").mistakes.count == 1)
    }

    @Test func aLineThatDoesNotReadStopsOnlyItselfAndReadingGoesOnAtTheNext() {
        let text = "echo one\necho \"open\nlogin a \\\n  --password 'x\necho ${bad name}\necho two"
        let reading = Tokenizer.read(text, file: "t.nexsh")
        #expect(reading.lines.map { $0.words.map { $0.literal ?? "<var>" } } == [["echo", "one"], ["echo", "two"]])
        #expect(reading.mistakes.map(\.line) == [2, 3, 5])
        #expect(reading.mistakes.map { $0.error.location?.line } == [2, 4, 5], "each at its place; a continued line's on its second line")
        let bytes = Array(text.utf8)
        #expect(reading.mistakes.map { String(decoding: bytes[$0.range], as: UTF8.self) }
            == ["echo \"open", "login a \\\n  --password 'x", "echo ${bad name}"], "a continued line is one mistake, from its first line")
        #expect(reading.lines[1].location == SourceLocation(file: "t.nexsh", line: 6, column: 1), "later lines keep their numbers")
    }
}

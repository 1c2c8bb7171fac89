import HTTPCassette

/// What a replay miss in a run tells the person to do, in the options of the command line they
/// started it from.
extension ReplayAdvice {
    /// `nexsh run SCRIPT --cassette C`.
    static let run = ReplayAdvice(appending: "run again with --mode new", startingOver: "--mode record", repeating: "--allow-repeats")

    /// `nexsh run bug.har`: a bundle only replays (or is compared, in verify mode).
    static let bundle = ReplayAdvice(
        toRecord: "a bundle replays what it holds; make a new one with nexsh bundle create (it runs the script and records)",
        toRepeat: run.toRepeat
    )

    /// `nexsh --replay C < script` or `nexsh --record C --record-mode once < script`: the
    /// shell's options, which have no --allow-repeats (`nexsh run -` has).
    static func shellCommandLine(cassette: String) -> ReplayAdvice {
        let file = CommandLineWord.quoted(cassette)
        return ReplayAdvice(
            appending: "run again with --record \(file) --record-mode new", startingOver: "--record \(file)",
            repeating: "nexsh run - --cassette \(file) --allow-repeats"
        )
    }
}

/// A word for a POSIX shell's command line: as it is when nothing in it is special there,
/// else in single quotes.
enum CommandLineWord {
    static func quoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "/._-+:,=@%".unicodeScalars.contains(scalar)
        }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}

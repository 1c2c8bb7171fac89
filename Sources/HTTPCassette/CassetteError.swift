import Diagnostics
import Foundation
import JSONValues
import SecureFiles

/// Everything that can go wrong with a cassette file, worded for the person who has to fix it.
/// Each means the cassette could not be used: exit status 2, as for a script that does not read.
/// (A recording that could not be saved when a run ends is a failure of that run instead.)
public enum CassetteError: ReportableError, Equatable {
    case fileNotFound(path: String)
    case unreadable(path: String, reason: String)
    /// Not JSON at all, with where the parser gave up.
    case notJSON(path: String, JSONParseError)
    /// JSON, but not HAR.
    case notHAR(path: String, HARFormatError)
    case invalidBase64(place: String)
    case invalidURL(String)
    /// Writing failed; the previous file is untouched.
    case writeFailed(path: String, reason: String)
    /// A secret the session knows would have been written; nothing was written.
    case secretWouldBeWritten(path: String, what: String, location: String)
    /// Another process is recording into the cassette.
    case locked(path: String, holder: Int32?)
    /// A file in a VCR-family format that could not be understood.
    case importFailed(path: String, reason: String)

    public var exitCategory: ExitCategory { .unreadableInput }

    public var message: String {
        switch self {
        case .fileNotFound(let path):
            "cassette \(path) does not exist"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .notJSON(let path, let error):
            "\(path) is not a HAR file: it is not valid JSON (line \(error.line), column \(error.column): \(error.message))"
        case .notHAR(let path, let error):
            "\(path) is not a HAR file: \(error)"
        case .invalidBase64(let place):
            "the \(place) is marked base64 but is not valid base64"
        case .invalidURL(let text):
            "'\(text)' is not a valid URL"
        case .writeFailed(let path, let reason):
            "could not write the cassette \(path): \(reason); the previous file is unchanged"
        case .secretWouldBeWritten(let path, let what, let location):
            "refusing to write \(path): it would contain \(what) at \(location). Add a redaction rule for it "
                + "(or remove it from the request) and try again"
        case .locked(let path, let holder):
            "another nexsh\(holder.map { " (process \($0))" } ?? "") is recording into \(path)"
        case .importFailed(let path, let reason):
            "cannot import \(path): \(reason)"
        }
    }

    public var hint: String? {
        if case .locked = self { return "wait for it to finish, or record into another file" }
        return nil
    }
}

extension CassetteError {
    /// A file that could not be read: missing, or refused (too large, unreadable).
    init(reading path: String, _ error: SecureFileError) {
        if case .system(ENOENT, _) = error.problem {
            self = .fileNotFound(path: path)
        } else {
            self = .unreadable(path: path, reason: error.reason)
        }
    }

    /// A file nexsh refused to write, or could not write, while writing the cassette at
    /// `path`: said of the cassette ("it is a fifo…") when it is the file in question.
    init(writing path: String, _ error: SecureFileError) {
        self = .writeFailed(path: path, reason: error.path == path ? error.reason : error.description)
    }
}

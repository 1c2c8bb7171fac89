import HTTPValues
import JSONValues
import Foundation

/// Reading bodies: decoding JSON with errors that say where it went wrong, and finding the
/// human message in an error answer.
enum ResponseText {
    static func decode<Value: Decodable>(_ type: Value.Type, from exchange: HTTPExchange) throws -> Value {
        let response = exchange.response
        if let mediaType = response.mediaType, !mediaType.contains("json") {
            throw NexudusError.notJSON(contentType: response.headers["Content-Type"], preview: preview(response.body), exchange)
        }
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                throw NexudusError.notJSON(contentType: response.headers["Content-Type"], preview: preview(response.body), exchange)
            }
            throw NexudusError.undecodable(type: typeName(type), detail: describe(error), exchange)
        }
    }

    /// The server's own words for a failure: `Message`, `error_description` or `error.message`
    /// in a JSON body, otherwise the start of the text.
    static func message(in response: HTTPResponse) -> String? {
        if let json = try? JSONValue.parse(response.body) {
            let candidates = [
                json["Message"], json["message"], json["error_description"], json["error"]?["message"],
                json["title"], json["detail"], json["error"],
            ]
            if let text = candidates.lazy.compactMap({ $0?.stringValue }).first(where: { !$0.isEmpty }) {
                return text
            }
        }
        let text = preview(response.body, limit: 200)
        return text.isEmpty ? nil : text
    }

    /// The first characters of a body as printable text: control characters are escaped so
    /// that a hostile body cannot drive the terminal.
    static func preview(_ body: Data, limit: Int = 60) -> String {
        let text = String(decoding: body.prefix(limit * 4), as: UTF8.self)
        var output = ""
        for scalar in text.unicodeScalars {
            guard output.unicodeScalars.count < limit else {
                output += "…"
                break
            }
            switch scalar {
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value):
                output += String(format: "\\u{%02X}", scalar.value)
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "at \(path(context.codingPath)): expected \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "at \(path(context.codingPath)): expected \(typeName(type)), found null"
        case .keyNotFound(let key, let context):
            return "at \(path(context.codingPath)): missing \(key.stringValue)"
        case .dataCorrupted(let context):
            return "at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is [TeamProfile].Type: "list of team profiles"
        case is Int.Type: "a number"
        case is Double.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: String(describing: type)
        }
    }
}

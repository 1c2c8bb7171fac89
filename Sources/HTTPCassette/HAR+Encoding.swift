import JSONValues

// Writing HAR: each type as JSON, members in the specification's order and extensions last,
// so that the same cassette is always the same text. Reading is in HAR+Decoding.swift.

extension HAR.Log {
    /// The document as JSON, in the spec's member order with extensions last.
    public var document: JSONValue {
        var log = JSONObject()
        log["version"] = .string(version)
        log["creator"] = creator.json
        if let browser { log["browser"] = browser.json }
        if let pages { log["pages"] = pages }
        log["entries"] = .array(entries.map(\.json))
        if let comment { log["comment"] = .string(comment) }
        log.appendExtensions(extensions)
        return ["log": .object(log)]
    }
}

extension HAR.Creator {
    var json: JSONValue {
        var object: JSONObject = ["name": .string(name), "version": .string(version)]
        if let comment { object["comment"] = .string(comment) }
        return .object(object)
    }
}

extension HAR.Entry {
    public var json: JSONValue {
        var object = JSONObject()
        if let pageref { object["pageref"] = .string(pageref) }
        object["startedDateTime"] = .string(startedDateTime)
        object["time"] = .milliseconds(time)
        object["request"] = request.json
        object["response"] = response.json
        object["cache"] = cache
        object["timings"] = timings.json
        if let serverIPAddress { object["serverIPAddress"] = .string(serverIPAddress) }
        if let connection { object["connection"] = .string(connection) }
        if let comment { object["comment"] = .string(comment) }
        object.appendExtensions(extensions)
        return .object(object)
    }
}

extension HAR.Request {
    public var json: JSONValue {
        var object: JSONObject = [
            "method": .string(method),
            "url": .string(url),
            "httpVersion": .string(httpVersion),
            "cookies": .array(cookies.map(\.json)),
            "headers": .array(headers.map(\.json)),
            "queryString": .array(queryString.map(\.json)),
        ]
        if let postData { object["postData"] = postData.json }
        object["headersSize"] = .number(JSONNumber(headersSize))
        object["bodySize"] = .number(JSONNumber(bodySize))
        if let comment { object["comment"] = .string(comment) }
        object.appendExtensions(extensions)
        return .object(object)
    }
}

extension HAR.Response {
    public var json: JSONValue {
        var object: JSONObject = [
            "status": .number(JSONNumber(status)),
            "statusText": .string(statusText),
            "httpVersion": .string(httpVersion),
            "cookies": .array(cookies.map(\.json)),
            "headers": .array(headers.map(\.json)),
            "content": content.json,
            "redirectURL": .string(redirectURL),
            "headersSize": .number(JSONNumber(headersSize)),
            "bodySize": .number(JSONNumber(bodySize)),
        ]
        if let comment { object["comment"] = .string(comment) }
        object.appendExtensions(extensions)
        return .object(object)
    }
}

extension HAR.Content {
    var json: JSONValue {
        var object: JSONObject = ["size": .number(JSONNumber(size))]
        if let compression { object["compression"] = .number(JSONNumber(compression)) }
        object["mimeType"] = .string(mimeType)
        if let text { object["text"] = .string(text) }
        if let encoding { object["encoding"] = .string(encoding) }
        if let comment { object["comment"] = .string(comment) }
        object.appendExtensions(extensions)
        return .object(object)
    }
}

extension HAR.PostData {
    var json: JSONValue {
        var object: JSONObject = ["mimeType": .string(mimeType)]
        if let params { object["params"] = .array(params.map(\.json)) }
        if let text { object["text"] = .string(text) }
        if let comment { object["comment"] = .string(comment) }
        object.appendExtensions(extensions)
        return .object(object)
    }
}

extension HAR.Param {
    var json: JSONValue {
        var object: JSONObject = ["name": .string(name)]
        if let value { object["value"] = .string(value) }
        if let fileName { object["fileName"] = .string(fileName) }
        if let contentType { object["contentType"] = .string(contentType) }
        if let comment { object["comment"] = .string(comment) }
        return .object(object)
    }
}

extension HAR.NameValue {
    var json: JSONValue {
        var object: JSONObject = ["name": .string(name), "value": .string(value)]
        if let comment { object["comment"] = .string(comment) }
        return .object(object)
    }
}

extension HAR.Cookie {
    var json: JSONValue {
        var object: JSONObject = ["name": .string(name), "value": .string(value)]
        if let path { object["path"] = .string(path) }
        if let domain { object["domain"] = .string(domain) }
        if let expires { object["expires"] = .string(expires) }
        if let httpOnly { object["httpOnly"] = .bool(httpOnly) }
        if let secure { object["secure"] = .bool(secure) }
        if let comment { object["comment"] = .string(comment) }
        return .object(object)
    }
}

extension HAR.Timings {
    var json: JSONValue {
        var object = JSONObject()
        if let blocked { object["blocked"] = .milliseconds(blocked) }
        if let dns { object["dns"] = .milliseconds(dns) }
        if let connect { object["connect"] = .milliseconds(connect) }
        object["send"] = .milliseconds(send)
        object["wait"] = .milliseconds(wait)
        object["receive"] = .milliseconds(receive)
        if let ssl { object["ssl"] = .milliseconds(ssl) }
        if let comment { object["comment"] = .string(comment) }
        return .object(object)
    }
}

extension JSONValue {
    /// Milliseconds to the microsecond: enough for timings, and short.
    static func milliseconds(_ value: Double) -> JSONValue {
        .number(JSONNumber((value * 1000).rounded() / 1000))
    }
}

extension JSONObject {
    mutating func appendExtensions(_ extensions: JSONObject) {
        for member in extensions.members.sorted(by: { $0.key < $1.key }) where self[member.key] == nil {
            self[member.key] = member.value
        }
    }
}

/// The head's rules: the request line, each field line, the framing decided from the fields
/// (RFC 9112 §6.3), and a chunk's size line.
extension HTTPParser {
    mutating func parseRequestLine(_ line: ArraySlice<UInt8>) throws(ParseError) {
        // request-line = method SP request-target SP HTTP-version (RFC 9112 §3)
        let parts = line.split(separator: 0x20, maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw ParseError(
                .badRequest, "The request line must be 'METHOD target HTTP/1.1', separated by single spaces.")
        }
        guard parts[0].allSatisfy(HTTPSyntax.isTokenByte) else {
            throw ParseError(.badRequest, "The method is not a valid token.")
        }
        guard parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw ParseError(.badRequest, "The request target contains a character that is not allowed.")
        }
        let v = Array(parts[2])
        let digit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        guard v.count == 8, v[0..<5].elementsEqual("HTTP/".utf8), digit(v[5]), v[6] == 0x2E, digit(v[7]) else {
            throw ParseError(.badRequest, "The request line does not end with a valid HTTP version.")
        }
        let parsed = HTTPVersion(major: Int(v[5] - 0x30), minor: Int(v[7] - 0x30))
        guard parsed == .http1_1 || parsed == .http1_0 else {
            throw ParseError(.httpVersionNotSupported, "Only HTTP/1.1 and HTTP/1.0 are supported.")
        }
        method = HTTPMethod(rawValue: String(decoding: parts[0], as: UTF8.self))
        target = String(decoding: parts[1], as: UTF8.self)
        version = parsed
    }

    func parseFieldLine(_ line: ArraySlice<UInt8>, into headers: inout HTTPHeaders) throws(ParseError) {
        // RFC 9112 §5.2: obs-fold is rejected with 400 in a request.
        if let first = line.first, first == 0x20 || first == 0x09 {
            throw ParseError(.badRequest, "Header field line folding (obs-fold) is not allowed.")
        }
        guard let colon = line.firstIndex(of: 0x3A) else {
            throw ParseError(.badRequest, "A header field line has no colon.")
        }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty else { throw ParseError(.badRequest, "A header field has an empty name.") }
        // RFC 9112 §5.1: no whitespace is allowed between the field name and colon; a server
        // MUST reject such a request with 400.
        if let last = name.last, last == 0x20 || last == 0x09 {
            throw ParseError(.badRequest, "Whitespace between a header field name and the colon is not allowed.")
        }
        guard name.allSatisfy(HTTPSyntax.isTokenByte) else {
            throw ParseError(.badRequest, "A header field name contains a character that is not a token character.")
        }
        var valueStart = line.index(after: colon)
        var valueEnd = line.endIndex
        while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
        while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
        let value = line[valueStart..<valueEnd]
        // RFC 9110 §5.5: CR, LF and NUL are invalid in field values; other controls too, HTAB aside.
        for byte in value where (byte < 0x20 && byte != 0x09) || byte == 0x7F {
            // The name, never the value (the client's bytes stay out of the problem and the log);
            // a name long enough to flood either is not repeated either.
            let field = name.count <= 64 ? "header '\(String(decoding: name, as: UTF8.self))'" : "a header field"
            throw ParseError(.badRequest, "The value of \(field) contains a control character.")
        }
        headers.add(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    mutating func finishHead() throws(ParseError) -> RequestHead {
        let hosts = headers.values(for: "Host")
        // RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request that lacks a Host
        // header field and to any request that contains more than one.
        // RFC 9110 §5.3: a sender MUST NOT send a field more than once unless its definition
        // allows a list. Host, Authorization and Content-Type are singletons that decide where
        // the request goes, who sends it and how its body is read; with two of them one reader
        // takes the first and another the last (a valid key then a bad one passed as the first).
        if hosts.count > 1 { throw ParseError(.badRequest, "The request has more than one Host header field.") }
        // One pass over the fields, no allocation: this runs for every request.
        var authorizations = 0
        var contentTypes = 0
        for (name, _) in headers {
            if name.equalsIgnoringASCIICase("Authorization") { authorizations += 1 }
            if name.equalsIgnoringASCIICase("Content-Type") { contentTypes += 1 }
        }
        if authorizations > 1 {
            throw ParseError(.badRequest, "The request has more than one Authorization header field.")
        }
        if contentTypes > 1 {
            throw ParseError(.badRequest, "The request has more than one Content-Type header field.")
        }
        if version == .http1_1 && hosts.isEmpty {
            throw ParseError(.badRequest, "An HTTP/1.1 request must have a Host header field.")
        }
        if let host = hosts.first, !host.utf8.allSatisfy(HTTPSyntax.isHostByte) {
            throw ParseError(.badRequest, "The Host header field is not a valid host.")
        }
        try validateTarget()

        let transferEncodings = headers.values(for: "Transfer-Encoding")
        let contentLengths = headers.values(for: "Content-Length")
        var framing = RequestHead.Framing.none
        let streamedLimit = streamedBodyLimit?(method, Request.splitTarget(target).path)
        bodyLimit = streamedLimit ?? limits.maxBodyBytes
        if !transferEncodings.isEmpty {
            // RFC 9112 §6.1: a sender MUST NOT send Content-Length with Transfer-Encoding. Such a
            // message "ought to be handled as an error"; we answer 400 and close, because the next
            // request's boundary can no longer be trusted.
            if !contentLengths.isEmpty {
                throw ParseError(.badRequest, "A request must not carry both Content-Length and Transfer-Encoding.")
            }
            // RFC 9110 §5.6.1.2 asks a recipient to skip empty list elements (`,chunked`,
            // `chunked,`). Not in the field that frames the body: a peer that does not skip them,
            // or reads a coding named ",chunked", disagrees with us about where the body ends.
            let elements = transferEncodings.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
            let codings = elements.map { $0.trimmingHTTPWhitespace().lowercasedASCII() }
            if codings.contains("") {
                throw ParseError(.badRequest, "The Transfer-Encoding header field has an empty list element.")
            }
            if codings == ["chunked"] {
                framing = .chunked
            } else if codings.allSatisfy({ $0 == "chunked" }) {
                throw ParseError(.badRequest, "The chunked transfer coding must not be applied more than once.")
            } else {
                throw ParseError(
                    .notImplemented,
                    "The Transfer-Encoding header field names a coding this server does not implement; only 'chunked' is."
                )
            }
        } else if !contentLengths.isEmpty {
            let length = try parseContentLength(contentLengths)
            if length > bodyLimit {
                throw ParseError(
                    .contentTooLarge,
                    "The request body of \(length) bytes exceeds the limit of \(bodyLimit) bytes.")
            }
            framing = length > 0 ? .length(length) : .none
        }

        var expectsContinue = false
        if let expect = headers["Expect"] {
            // RFC 9110 §10.1.1: 100-continue is the only expectation defined; others get 417.
            guard expect.equalsIgnoringASCIICase("100-continue") else {
                throw ParseError(.expectationFailed, "The only supported expectation is '100-continue'.")
            }
            expectsContinue = version == .http1_1 && framing != .none
        }
        guard HTTPMethod.recognized.contains(method) else {
            throw ParseError(
                .notImplemented,
                "The method is not implemented by this server; it knows GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS."
            )
        }

        bodyReceived = 0
        switch framing {
        case .none: state = .body(remaining: 0)
        case .length(let length): state = .body(remaining: length)
        case .chunked: state = .chunkSize
        }
        return RequestHead(
            method: method, target: target, version: version, headers: headers,
            framing: framing, expectsContinue: expectsContinue, streamedBodyLimit: streamedLimit)
    }

    /// RFC 9112 §3.2: origin-form, absolute-form, and asterisk-form (OPTIONS only) are accepted.
    func validateTarget() throws(ParseError) {
        if target.utf8.first == UInt8(ascii: "/") { return }
        if target == "*" {
            guard method == .options else {
                throw ParseError(.badRequest, "The asterisk target is only valid with OPTIONS.")
            }
            return
        }
        let lower = target.lowercasedASCII()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return }
        if !HTTPMethod.recognized.contains(method) { return }  // CONNECT and others: 501 follows.
        throw ParseError(.badRequest, "The request target must be an absolute path, an absolute URI, or '*'.")
    }

    /// RFC 9110 §8.6: Content-Length = 1*DIGIT. "The same decimal value repeated" (`3, 3`) may
    /// be taken as one; we read "the same" as the same text. `03` beside `3` is refused: a peer
    /// that keeps the field it likes (or reads `03` otherwise) can frame the body differently,
    /// while a lone `03` is a valid length (RFC 9112 §6.3 only asks the value to be valid).
    func parseContentLength(_ values: [String]) throws(ParseError) -> Int {
        var first: String? = nil
        for field in values {
            for element in field.split(separator: ",", omittingEmptySubsequences: false) {
                let digits = element.trimmingHTTPWhitespace()
                guard !digits.isEmpty, digits.utf8.count <= 15, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
                else { throw ParseError(.badRequest, "The Content-Length header field is not a valid length.") }
                if let first, first != digits {
                    throw ParseError(.badRequest, "The request has differing Content-Length values.")
                }
                first = digits
            }
        }
        guard let first, let length = Int(first) else {
            throw ParseError(.badRequest, "The Content-Length header field is empty.")
        }
        return length
    }

    /// chunk-size [ chunk-ext ] (RFC 9112 §7.1); extensions are read and ignored.
    func parseChunkSize(_ line: ArraySlice<UInt8>) throws(ParseError) -> Int {
        var size = 0
        var digits = 0
        var index = line.startIndex
        while index < line.endIndex, let value = HTTPSyntax.hexValue(line[index]) {
            digits += 1
            guard digits <= 15 else { throw ParseError(.badRequest, "A chunk size is too large.") }
            size = size << 4 | Int(value)
            index += 1
        }
        guard digits > 0 else { throw ParseError(.badRequest, "A chunk size is not a hexadecimal number.") }
        // RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ).
        // Whitespace may come before a ";", never alone at the end of the line.
        let sizeEnd = index
        while index < line.endIndex, line[index] == 0x20 || line[index] == 0x09 { index += 1 }
        if index == line.endIndex && index != sizeEnd {
            throw ParseError(.badRequest, "A chunk size is followed by whitespace without a chunk extension.")
        }
        if index < line.endIndex {
            guard line[index] == 0x3B else {
                throw ParseError(.badRequest, "A chunk size is followed by unexpected characters.")
            }
            for byte in line[index...] where (byte < 0x20 && byte != 0x09) || byte == 0x7F {
                throw ParseError(.badRequest, "A chunk extension contains a control character.")
            }
        }
        return size
    }
}

/// What the parser found next in the byte stream.
public enum ParseEvent: Equatable {
    /// A complete request head; body events (if any) and `.end` follow.
    case head(RequestHead)
    /// Body bytes, de-chunked. The slice is only valid until the next call on the parser.
    case body(ArraySlice<UInt8>)
    /// The request is complete; the next bytes start a new request.
    case end

    public static func == (lhs: ParseEvent, rhs: ParseEvent) -> Bool {
        switch (lhs, rhs) {
        case (.head(let a), .head(let b)):
            a.method == b.method && a.target == b.target && a.version == b.version && a.framing == b.framing
        case (.body(let a), .body(let b)): a.elementsEqual(b)
        case (.end, .end): true
        default: false
        }
    }
}

/// An incremental HTTP/1.1 request parser (RFC 9112). Feed it bytes as they arrive, split
/// anywhere; pull events with `next()`. Several pipelined requests in one feed come out one
/// after the other. After the first error it stays failed: the connection must close.
public struct HTTPParser {
    private enum State {
        case requestLine
        case headers
        case body(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case failed(ParseError)
    }

    public let limits: ParserLimits
    /// A larger body limit for some requests, decided from the method and the path (the
    /// request-target before any `?`): their bodies are streamed to the handler
    /// (`RequestHead.streamedBodyLimit`). Nil: every body is held to `limits.maxBodyBytes`.
    public var streamedBodyLimit: (@Sendable (HTTPMethod, String) -> Int?)?
    /// The body limit of the request being read.
    private var bodyLimit = 0
    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Where the search for the next LF resumes, so a line split over many reads is scanned once.
    private var scanIndex = 0
    private var state: State = .requestLine

    private var method = HTTPMethod.get
    private var target = ""
    private var version = HTTPVersion.http1_1
    private var headers = HTTPHeaders()
    private var headerBytes = 0
    private var bodyReceived = 0
    private var leadingEmptyLines = 0

    public init(limits: ParserLimits = ParserLimits()) {
        self.limits = limits
    }

    /// Bytes received but not yet consumed by an event.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// True between requests with nothing buffered: the connection is idle.
    public var isIdle: Bool {
        if case .requestLine = state { return bufferedByteCount == 0 }
        return false
    }

    /// True while a request's head is partly received.
    public var isReadingHead: Bool {
        switch state {
        case .requestLine: bufferedByteCount > 0
        case .headers: true
        default: false
        }
    }

    /// True while a request's body is partly received.
    public var isReadingBody: Bool {
        switch state {
        case .body, .chunkSize, .chunkData, .chunkDataEnd, .trailers: true
        default: false
        }
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Drops consumed bytes once they are the larger part of the buffer (amortised O(1)).
    private mutating func compact() {
        guard readIndex > 0 else { return }
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 256 * 1024)
        } else if readIndex >= 4096 && readIndex * 2 >= buffer.count {
            buffer.removeSubrange(0..<readIndex)
        } else {
            return
        }
        scanIndex -= readIndex
        readIndex = 0
    }

    /// The next event, or nil when more bytes are needed.
    /// - Throws: `ParseError`; every later call throws it again.
    public mutating func next() throws(ParseError) -> ParseEvent? {
        do {
            return try step()
        } catch {
            state = .failed(error)
            throw error
        }
    }

    private mutating func step() throws(ParseError) -> ParseEvent? {
        while true {
            switch state {
            case .failed(let error):
                throw error
            case .requestLine:
                guard
                    let line = try nextLine(
                        limit: limits.maxRequestLineBytes, status: .uriTooLong,
                        what: "request line")
                else { return nil }
                if line.isEmpty {
                    // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line.
                    leadingEmptyLines += 1
                    if leadingEmptyLines > 8 {
                        throw ParseError(.badRequest, "Too many empty lines before the request line.")
                    }
                    continue
                }
                try parseRequestLine(line)
                leadingEmptyLines = 0
                headers = HTTPHeaders()
                headerBytes = 0
                state = .headers
            case .headers:
                // The limit counts each field line with its CRLF; `nextLine`'s limit excludes the CRLF.
                let remaining = limits.maxHeaderBytes - headerBytes
                guard
                    let line = try nextLine(
                        limit: max(remaining - 2, 0), status: .requestHeaderFieldsTooLarge,
                        what: "header section")
                else { return nil }
                headerBytes += line.count + 2
                if line.isEmpty {
                    return .head(try finishHead())
                }
                try parseFieldLine(line, into: &headers)
                if headers.count > limits.maxHeaderCount {
                    throw ParseError(
                        .requestHeaderFieldsTooLarge,
                        "The request has more than \(limits.maxHeaderCount) header fields.")
                }
            case .body(let remaining):
                if remaining == 0 {
                    state = .requestLine
                    return .end
                }
                guard bufferedByteCount > 0 else { return nil }
                let count = min(remaining, bufferedByteCount)
                let slice = buffer[readIndex..<readIndex + count]
                readIndex += count
                scanIndex = readIndex
                state = .body(remaining: remaining - count)
                return .body(slice)
            case .chunkSize:
                guard let line = try nextLine(limit: 4096, status: .badRequest, what: "chunk size line") else {
                    return nil
                }
                let size = try parseChunkSize(line)
                if size == 0 {
                    headerBytes = 0
                    state = .trailers
                    continue
                }
                guard size <= bodyLimit - bodyReceived else {
                    throw ParseError(.contentTooLarge, "The request body exceeds \(bodyLimit) bytes.")
                }
                bodyReceived += size
                state = .chunkData(remaining: size)
            case .chunkData(let remaining):
                guard bufferedByteCount > 0 else { return nil }
                let count = min(remaining, bufferedByteCount)
                let slice = buffer[readIndex..<readIndex + count]
                readIndex += count
                scanIndex = readIndex
                state = count == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - count)
                return .body(slice)
            case .chunkDataEnd:
                guard bufferedByteCount >= 2 else { return nil }
                guard buffer[readIndex] == 0x0D, buffer[readIndex + 1] == 0x0A else {
                    throw ParseError(.badRequest, "A chunk's data is not followed by CRLF.")
                }
                readIndex += 2
                scanIndex = readIndex
                state = .chunkSize
            case .trailers:
                // RFC 9112 §7.1.2: trailer fields are read and discarded; they never override headers.
                let remaining = limits.maxHeaderBytes - headerBytes
                guard
                    let line = try nextLine(
                        limit: max(remaining - 2, 0), status: .requestHeaderFieldsTooLarge,
                        what: "trailer section")
                else { return nil }
                headerBytes += line.count + 2
                if line.isEmpty {
                    state = .requestLine
                    return .end
                }
                var ignored = HTTPHeaders()
                try parseFieldLine(line, into: &ignored)
            }
        }
    }

    /// The next CRLF-terminated line without its CRLF, or nil if it is not complete yet.
    /// - Throws: `status` when the line grows past `limit`; 400 for a bare CR or LF.
    private mutating func nextLine(limit: Int, status: HTTPStatus, what: String) throws(ParseError) -> ArraySlice<
        UInt8
    >? {
        let end = buffer.count
        let searchEnd = min(end, readIndex + limit + 2)
        var lf: Int? = nil
        if scanIndex < searchEnd {
            lf = buffer.withUnsafeBufferPointer { pointer -> Int? in
                guard let base = pointer.baseAddress else { return nil }
                var index = scanIndex
                while index < searchEnd {
                    if base[index] == 0x0A { return index }
                    index += 1
                }
                return nil
            }
        }
        guard let lf else {
            if end - readIndex > limit + 1 {
                throw ParseError(status, "The \(what) exceeds \(limit) bytes.")
            }
            scanIndex = max(searchEnd - 1, readIndex)
            return nil
        }
        // RFC 9112 §2.2: a bare LF or a CR not followed by LF is not a line ending we accept;
        // tolerating either is how parsers disagree about where a request ends.
        guard lf > readIndex, buffer[lf - 1] == 0x0D else {
            throw ParseError(.badRequest, "Lines must end with CRLF.")
        }
        let line = buffer[readIndex..<(lf - 1)]
        if line.count > limit { throw ParseError(status, "The \(what) exceeds \(limit) bytes.") }
        readIndex = lf + 1
        scanIndex = readIndex
        return line
    }

    private mutating func parseRequestLine(_ line: ArraySlice<UInt8>) throws(ParseError) {
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

    private func parseFieldLine(_ line: ArraySlice<UInt8>, into headers: inout HTTPHeaders) throws(ParseError) {
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

    private mutating func finishHead() throws(ParseError) -> RequestHead {
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
    private func validateTarget() throws(ParseError) {
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
    private func parseContentLength(_ values: [String]) throws(ParseError) -> Int {
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
    private func parseChunkSize(_ line: ArraySlice<UInt8>) throws(ParseError) -> Int {
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

/// Character classes of RFC 9110 §5.6.
enum HTTPSyntax {
    /// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    static let tokenTable: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = true }
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = true }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = true }
        for byte in "!#$%&'*+-.^_`|~".utf8 { table[Int(byte)] = true }
        return table
    }()

    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool { tokenTable[Int(byte)] }

    /// uri-host [ ":" port ]: unreserved, sub-delims, "%", "[", "]", ":".
    static func isHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "-._~!$&'()*+,;=%[]:".utf8.contains(byte)
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension StringProtocol {
    /// ASCII-only lowercasing (no locale), for tokens.
    public func lowercasedASCII() -> String {
        String(decoding: utf8.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}

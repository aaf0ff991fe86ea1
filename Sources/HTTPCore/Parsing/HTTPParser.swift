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
    enum State {
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
    var bodyLimit = 0
    var buffer: [UInt8] = []
    var readIndex = 0
    /// Where the search for the next LF resumes, so a line split over many reads is scanned once.
    var scanIndex = 0
    var state: State = .requestLine

    var method = HTTPMethod.get
    var target = ""
    var version = HTTPVersion.http1_1
    var headers = HTTPHeaders()
    var headerBytes = 0
    var bodyReceived = 0
    var leadingEmptyLines = 0

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

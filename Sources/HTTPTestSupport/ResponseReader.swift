import HTTPCore

/// Parses one response out of a `RawClient`'s unread bytes, receiving more as needed
/// (RFC 9112 §6.3 message body length), and consumes exactly that response.
struct ResponseReader {
    let client: RawClient
    let deadline: ContinuousClock.Instant
    /// Offset in `client.unreadBytes` of the next byte to parse.
    private var position = 0

    init(client: RawClient, deadline: ContinuousClock.Instant) {
        self.client = client
        self.deadline = deadline
    }

    mutating func read(isHEAD: Bool) throws -> RawResponse {
        let statusLine = try line(what: "a status line")
        let parts = statusLine.split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].starts(with: "HTTP/".utf8), parts[1].count == 3,
            let status = Int(String(decoding: parts[1], as: UTF8.self))
        else {
            throw RawClientError.malformedResponse("bad status line \(text(statusLine).debugDescription)")
        }
        var headers = HTTPHeaders()
        while true {
            let field = try line(what: "the header section")
            if field.isEmpty { break }
            guard let colon = field.firstIndex(of: 0x3A) else {
                throw RawClientError.malformedResponse("header line without colon \(text(field).debugDescription)")
            }
            headers.add(text(field[..<colon]), text(field[(colon + 1)...]).trimmingHTTPWhitespace())
        }

        var body: [UInt8] = []
        var chunked = false
        let hasBody = !isHEAD && status >= 200 && status != 204 && status != 304
        if hasBody {
            if headers.listValues(for: "Transfer-Encoding").last?.equalsIgnoringASCIICase("chunked") == true {
                chunked = true
                body = try chunkedBody()
            } else if let length = headers["Content-Length"] {
                guard let count = Int(length), count >= 0 else {
                    throw RawClientError.malformedResponse("bad Content-Length \(length.debugDescription)")
                }
                try require(count, what: "a body of \(count) bytes")
                body = Array(client.unreadBytes[position..<position + count])
                position += count
            } else {
                // RFC 9112 §6.3 rule 8: no framing, the body ends when the connection does.
                while try client.receive(until: deadline) {}
                guard client.peerClosed else {
                    throw RawClientError.timedOut(
                        waitingFor: "a close-delimited body to end", received: client.unreadBytes)
                }
                body = Array(client.unreadBytes[position...])
                position = client.unreadBytes.count
            }
        }
        let raw = client.consume(position)
        return RawResponse(
            version: text(parts[0]), status: status, reasonPhrase: parts.count > 2 ? text(parts[2]) : "",
            headers: headers, body: body, raw: raw, wasChunked: chunked)
    }

    /// RFC 9112 §7.1: chunks until a zero size, then trailer lines until an empty one.
    private mutating func chunkedBody() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try line(what: "a chunk size")
            let digits = sizeLine.prefix { HexDigit.value($0) != nil }
            guard !digits.isEmpty, digits.count <= 15 else {
                throw RawClientError.malformedResponse("bad chunk size \(text(sizeLine).debugDescription)")
            }
            let size = digits.reduce(0) { $0 << 4 | Int(HexDigit.value($1) ?? 0) }
            if size == 0 { break }
            try require(size + 2, what: "a chunk of \(size) bytes")
            body.append(contentsOf: client.unreadBytes[position..<position + size])
            guard client.unreadBytes[position + size] == 0x0D, client.unreadBytes[position + size + 1] == 0x0A else {
                throw RawClientError.malformedResponse("chunk data not followed by CRLF")
            }
            position += size + 2
        }
        while try !line(what: "the trailer section").isEmpty {}
        return body
    }

    /// The next CRLF-terminated line, without its CRLF.
    private mutating func line(what: String) throws -> ArraySlice<UInt8> {
        var searchFrom = position
        while true {
            let bytes = client.unreadBytes
            if let lf = bytes[searchFrom...].firstIndex(of: 0x0A) {
                guard lf > position, bytes[lf - 1] == 0x0D else {
                    throw RawClientError.malformedResponse("a line does not end with CRLF while reading \(what)")
                }
                let result = bytes[position..<(lf - 1)]
                position = lf + 1
                return result
            }
            searchFrom = bytes.count
            guard try client.receive(until: deadline) else { throw failure(what) }
        }
    }

    /// Waits until `count` bytes beyond `position` are buffered.
    private mutating func require(_ count: Int, what: String) throws {
        while client.unreadBytes.count - position < count {
            guard try client.receive(until: deadline) else { throw failure(what) }
        }
    }

    private func failure(_ what: String) -> RawClientError {
        client.peerClosed
            ? .closedByPeer(received: client.unreadBytes)
            : .timedOut(waitingFor: what, received: client.unreadBytes)
    }

    private func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
}

enum HexDigit {
    static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

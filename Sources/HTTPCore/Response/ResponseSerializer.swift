/// Writes a response head (and a complete body) as HTTP/1.1 bytes.
enum ResponseSerializer {
    /// How the body goes on the wire.
    enum BodyMode {
        /// `Content-Length: n`, then the body unless `omitBody` (HEAD).
        case length(Int)
        /// `Transfer-Encoding: chunked`; chunks follow.
        case chunked
        /// Neither header: 1xx, 204, 304.
        case none
    }

    /// The status line and header section. Framing headers a handler set are replaced by the
    /// server's own: the server alone decides how a body is delimited.
    static func head(_ response: Response, mode: BodyMode, close: Bool, keepAliveHeader: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        out.append(contentsOf: String(response.status.code).utf8)
        out.append(0x20)
        appendSanitized(response.status.reasonPhrase, to: &out)
        out.append(contentsOf: "\r\nDate: ".utf8)
        out.append(contentsOf: DateCache.shared.current())
        switch mode {
        case .length(let length):
            out.append(contentsOf: "\r\nContent-Length: ".utf8)
            out.append(contentsOf: String(length).utf8)
        case .chunked:
            out.append(contentsOf: "\r\nTransfer-Encoding: chunked".utf8)
        case .none:
            break
        }
        if close {
            out.append(contentsOf: "\r\nConnection: close".utf8)
        } else if keepAliveHeader {
            out.append(contentsOf: "\r\nConnection: keep-alive".utf8)
        }
        for (name, value) in response.headers {
            if name.equalsIgnoringASCIICase("Content-Length") || name.equalsIgnoringASCIICase("Transfer-Encoding")
                || name.equalsIgnoringASCIICase("Connection") || name.equalsIgnoringASCIICase("Date")
            {
                continue
            }
            out.append(contentsOf: "\r\n".utf8)
            appendSanitized(name, to: &out)
            out.append(contentsOf: ": ".utf8)
            appendSanitized(value, to: &out)
        }
        out.append(contentsOf: "\r\n\r\n".utf8)
        return out
    }

    /// Copies header text, turning CR, LF and NUL into spaces so no value can split a response.
    @inline(__always)
    private static func appendSanitized(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            out.append(byte == 0x0D || byte == 0x0A || byte == 0 ? 0x20 : byte)
        }
    }

    /// One chunk of chunked coding (RFC 9112 §7.1).
    static func chunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 12)
        out.append(contentsOf: String(bytes.count, radix: 16).utf8)
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: bytes)
        out.append(contentsOf: "\r\n".utf8)
        return out
    }

    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)
    static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
}

#if canImport(Glibc)
    import Glibc
#endif

/// Why `RawClient` could not do what a test asked.
public enum RawClientError: Error, Equatable, CustomStringConvertible {
    /// Nothing (or not enough) arrived before the client's deadline.
    case timedOut(waitingFor: String, received: [UInt8])
    /// The peer closed (or reset) the connection before a complete response.
    case closedByPeer(received: [UInt8])
    /// The bytes received are not an HTTP/1.1 response.
    case malformedResponse(String)
    /// A system call failed with `errno`.
    case system(call: String, errno: Int32)

    /// The server refused the connection (nothing listens on the port).
    public var isConnectionRefused: Bool { self == .system(call: "connect", errno: ECONNREFUSED) }

    /// A write failed because the peer had closed or reset the connection.
    public var isBrokenConnection: Bool {
        if case .system(_, let code) = self { return code == EPIPE || code == ECONNRESET }
        return false
    }

    public var description: String {
        switch self {
        case .timedOut(let what, let received):
            "timed out waiting for \(what); received \(received.count) bytes: \(RawClientError.preview(received))"
        case .closedByPeer(let received):
            "connection closed by peer after \(received.count) bytes: \(RawClientError.preview(received))"
        case .malformedResponse(let detail):
            "malformed response: \(detail)"
        case .system(let call, let code):
            "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
        }
    }

    static func preview(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix(256), as: UTF8.self).debugDescription
    }
}

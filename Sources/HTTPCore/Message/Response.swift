/// A response a handler returns. The server adds `Date`, `Content-Length` or
/// `Transfer-Encoding`, and `Connection` when it writes it.
public struct Response: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: ResponseBody
    /// The pattern of the route that produced this response (`/v1/meetings/{id}`), never sent.
    /// The router copies `Request.route` here so middleware outside it (access log, metrics),
    /// whose copy of the request was never routed, can label by route.
    public var route: String?

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: ResponseBody = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with a complete body and its content type.
    public init(status: HTTPStatus = .ok, contentType: String, body: [UInt8], headers: HTTPHeaders = HTTPHeaders()) {
        var headers = headers
        headers.set("Content-Type", contentType)
        self.init(status: status, headers: headers, body: .bytes(body))
    }

    /// A UTF-8 text body.
    public static func text(_ text: String, status: HTTPStatus = .ok, contentType: String = "text/plain; charset=utf-8")
        -> Response
    {
        Response(status: status, contentType: contentType, body: Array(text.utf8))
    }
}

/// A response body: complete bytes, or a producer that streams them.
public enum ResponseBody: Sendable {
    case bytes([UInt8])
    /// Called on a worker thread once the head is sent; each `write` blocks while the client
    /// is slow (backpressure) and throws once the connection is gone. Sent with chunked coding.
    case stream(@Sendable (any BodyWriter) throws -> Void)
    /// A body fed from elsewhere for as long as the connection lasts, holding no thread: called
    /// once the head is sent, on the connection's queue, it must hand the ``PushStream`` to
    /// whatever feeds it (Server-Sent Events) and return at once. Sent with chunked coding;
    /// never compressed. Takes an event-stream place (`ServerConfiguration.maxEventStreams`).
    case push(@Sendable (PushStream) -> Void)

    /// The length when known in advance.
    public var count: Int? {
        if case .bytes(let bytes) = self { return bytes.count }
        return nil
    }
}

/// Receives a streamed body in pieces.
public protocol BodyWriter: AnyObject {
    /// Sends `bytes` (an empty array is ignored). Blocks while too much is buffered.
    /// - Throws: `BodyWriterError.connectionClosed` once the peer has gone.
    func write(_ bytes: [UInt8]) throws
}

/// Why a streamed body could not be delivered.
public enum BodyWriterError: Error, Sendable {
    case connectionClosed
}

/// A parsed HTTP request as a handler sees it: head, decoded path and the whole body.
public struct Request: Sendable {
    public var method: HTTPMethod
    /// The request-target exactly as received (origin-, absolute-, or asterisk-form).
    public var target: String
    /// The path component, still percent-encoded; "*" for `OPTIONS *`.
    public var path: String
    /// The query component without "?", still percent-encoded; nil when absent.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The body as it arrives, for a route registered with a streamed body; `body` is empty then.
    public var bodyStream: (any RequestBodyStream)?
    /// Parameters captured by the matched route pattern, percent-decoded.
    public var pathParameters: [String: String]
    /// The pattern of the matched route (`/v1/meetings/{id}`), for logs and metrics; nil before routing or when none matched.
    public var route: String?
    /// The request id echoed in `X-Request-Id`.
    public var requestID: String
    /// The peer's address, `ip:port` or `[ip]:port`.
    public var remoteAddress: String
    /// Monotonic nanoseconds when the head was complete; latency is measured from here.
    public var receivedAt: UInt64
    /// Set when the request was refused from its head (`Admission.refuse`): its body was never
    /// read, and the router answers with this error instead of calling the route's handler, so
    /// the refusal still passes through every middleware (request id, log, metrics, CORS).
    public var refusal: HTTPError?

    public init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
        remoteAddress: String = "", requestID: String = "", receivedAt: UInt64 = 0
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        self.bodyStream = nil
        self.remoteAddress = remoteAddress
        self.requestID = requestID
        self.receivedAt = receivedAt
        self.pathParameters = [:]
        self.route = nil
        self.refusal = nil
        (self.path, self.query) = Request.splitTarget(target)
    }

    /// Splits a request-target into its path and query (RFC 9112 §3.2). For absolute-form the
    /// scheme and authority are dropped (RFC 9112 §3.2.2: a server MUST accept absolute-form).
    static func splitTarget(_ target: String) -> (path: String, query: String?) {
        var rest = Substring(target)
        if !rest.hasPrefix("/"), let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") {
            rest = rest[rest.index(colon, offsetBy: 3)...]
            if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) {
                rest = rest[slash...]
            } else {
                rest = ""
            }
            if rest.isEmpty || rest.hasPrefix("?") { rest = "/" + rest }
        }
        if let mark = rest.firstIndex(of: "?") {
            return (String(rest[..<mark]), String(rest[rest.index(after: mark)...]))
        }
        return (String(rest), nil)
    }

    /// Whether the client asked to keep the connection open after this exchange (RFC 9112 §9.3).
    public var wantsKeepAlive: Bool {
        let tokens = headers.listValues(for: "Connection")
        if tokens.contains(where: { $0.equalsIgnoringASCIICase("close") }) { return false }
        if version == .http1_0 {
            return tokens.contains(where: { $0.equalsIgnoringASCIICase("keep-alive") })
        }
        return true
    }
}

extension Request {
    /// The body as a stream, whether it is arriving (`bodyStream`) or was received whole (`body`),
    /// so a streaming handler also serves a request the server buffered. Read it once.
    public var bodyReader: any RequestBodyStream { bodyStream ?? BufferedBodyStream(body) }
}

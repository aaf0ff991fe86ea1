import HTTPCore

/// One HTTP/1.1 response as `RawClient` read it off the wire.
public struct RawResponse: Sendable, CustomStringConvertible {
    /// `HTTP/1.1`.
    public var version: String
    public var status: Int
    public var reasonPhrase: String
    /// The header fields in wire order; lookups ignore case.
    public var headers: HTTPHeaders
    /// The body, de-chunked when it came with chunked coding.
    public var body: [UInt8]
    /// The response exactly as received, head and (framed) body.
    public var raw: [UInt8]
    /// The body came with `Transfer-Encoding: chunked`.
    public var wasChunked: Bool

    public init(
        version: String, status: Int, reasonPhrase: String, headers: HTTPHeaders, body: [UInt8], raw: [UInt8],
        wasChunked: Bool
    ) {
        self.version = version
        self.status = status
        self.reasonPhrase = reasonPhrase
        self.headers = headers
        self.body = body
        self.raw = raw
        self.wasChunked = wasChunked
    }

    /// The first value of header `name` (case-insensitive), or nil.
    public subscript(name: String) -> String? { headers[name] }

    /// Every value of header `name`, in order.
    public func values(of name: String) -> [String] { headers.values(for: name) }

    /// The body as UTF-8 text (invalid sequences repaired).
    public var bodyString: String { String(decoding: body, as: UTF8.self) }

    /// The response says the server will close the connection after it.
    public var announcesClose: Bool {
        headers.listValues(for: "Connection").contains { $0.equalsIgnoringASCIICase("close") }
    }

    public var description: String {
        "\(version) \(status) \(reasonPhrase), \(headers.count) headers, \(body.count) body bytes: "
            + String(decoding: raw.prefix(512), as: UTF8.self).debugDescription
    }
}

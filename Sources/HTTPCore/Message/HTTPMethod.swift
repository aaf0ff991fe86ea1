/// An HTTP request method (RFC 9110 §9). Method names are case-sensitive tokens.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")
    public static let options = HTTPMethod(rawValue: "OPTIONS")
    public static let trace = HTTPMethod(rawValue: "TRACE")
    public static let connect = HTTPMethod(rawValue: "CONNECT")
    /// The safe method with a body of draft-ietf-httpbis-safe-method-w-body, which clients and
    /// tools already send.
    public static let query = HTTPMethod(rawValue: "QUERY")

    /// The methods this server implements on some resource.
    public static let implemented: Set<HTTPMethod> = [.get, .head, .post, .put, .patch, .delete, .options]

    /// The methods it recognises. RFC 9110 §15.6.2: 501 is for a method the server does not
    /// recognise; a standard method no resource supports (TRACE, QUERY) is a 405 with `Allow`
    /// (§15.5.6). CONNECT asks a proxy to tunnel and stays 501 here.
    public static let recognized: Set<HTTPMethod> = implemented.union([.trace, .query])

    public var description: String { rawValue }
}

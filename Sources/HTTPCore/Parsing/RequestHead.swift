/// The start line and header section of a request, with its body framing decided.
public struct RequestHead: Sendable {
    /// How the body is delimited (RFC 9112 §6.3).
    public enum Framing: Sendable, Equatable {
        case none
        case length(Int)
        case chunked
    }

    public var method: HTTPMethod
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var framing: Framing
    /// The client sent `Expect: 100-continue` and waits before sending the body.
    public var expectsContinue: Bool
    /// Set when the route reads this body while it arrives: the body limit that applies.
    public var streamedBodyLimit: Int? = nil
}

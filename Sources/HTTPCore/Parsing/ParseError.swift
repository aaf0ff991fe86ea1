/// Why a request could not be read. The core answers it; handlers never see one.
///
/// Every parse error closes the connection: once framing is in doubt, the bytes that follow
/// cannot be trusted to start a new request (RFC 9112 §11.2, request smuggling).
public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: HTTPStatus
    public let detail: String

    public init(_ status: HTTPStatus, _ detail: String) {
        self.status = status
        self.detail = detail
    }

    public var description: String { "\(status.code): \(detail)" }

    /// The problem response the core sends for this error.
    public var problem: ProblemDetails { ProblemDetails(status, detail: detail) }
}

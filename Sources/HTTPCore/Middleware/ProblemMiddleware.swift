/// The error boundary: turns anything thrown below it into an RFC 9457 problem response, so a
/// response is always produced (it never throws).
///
/// An `HTTPError` becomes its problem. Any other error is a bug (SPEC: "A 5xx is always a bug"):
/// it is handed to `reporter` for logging and answered with a 500 whose detail names the request
/// id and nothing else — no type names, messages or paths from the error. A problem without an
/// `instance` gets the request path (without the query, which may carry tokens).
public struct ProblemMiddleware: Middleware {
    private let reporter: @Sendable (Request, any Error) -> Void

    /// - Parameter reporter: called with the request and the error for every unexpected error.
    public init(reporter: @escaping @Sendable (Request, any Error) -> Void = { _, _ in }) {
        self.reporter = reporter
    }

    public func respond(to request: Request, next: any Responder) throws -> Response {
        do {
            return try next.respond(to: request)
        } catch let error as HTTPError {
            var problem = error.problem
            if problem.instance == nil { problem.instance = request.path }
            var response = problem.response()
            response.route = error.route
            return response
        } catch {
            reporter(request, error)
            return Self.internalError(for: request).response()
        }
    }

    /// The 500 problem for an unexpected error during `request`.
    public static func internalError(for request: Request) -> ProblemDetails {
        let detail =
            request.requestID.isEmpty
            ? "An internal error occurred."
            : "An internal error occurred; quote request id \(request.requestID) when reporting it."
        return ProblemDetails(.internalServerError, detail: detail, instance: request.path)
    }
}

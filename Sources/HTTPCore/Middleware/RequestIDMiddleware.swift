/// Gives every request an id and echoes it in `X-Request-Id` (SPEC: "Every response carries
/// `X-Request-Id` (the client's if it sent a sane one)").
///
/// The client's `X-Request-Id` is adopted when `RequestIDGenerator.isSane(_:)`; otherwise an id
/// the server already assigned (`request.requestID`, e.g. by the connection) is kept, or a new one
/// generated. Place it outermost so logs, metrics and problem details all see the id. An
/// `HTTPError` thrown through it gets the header too.
public struct RequestIDMiddleware: Middleware {
    private let generator: RequestIDGenerator

    public init(generator: RequestIDGenerator = .shared) {
        self.generator = generator
    }

    public func respond(to request: Request, next: any Responder) throws -> Response {
        var request = request
        if let clientID = request.headers["X-Request-Id"], RequestIDGenerator.isSane(clientID) {
            request.requestID = clientID
        } else if !RequestIDGenerator.isSane(request.requestID) {
            request.requestID = generator.next()
        }
        do {
            var response = try next.respond(to: request)
            response.headers.set("X-Request-Id", request.requestID)
            return response
        } catch var error as HTTPError {
            error.problem.headers.set("X-Request-Id", request.requestID)
            throw error
        }
    }
}

import HTTPCore

/// With `--private`, reads of the record (`/v1/...`) need a key of at least `read` scope.
/// Operations endpoints stay public so health checks and scrapers keep working.
struct PrivateReadsMiddleware: Middleware {
    let authenticator: Authenticator

    func respond(to request: Request, next: any Responder) throws -> Response {
        if request.path.hasPrefix("/v1/"), request.method == .get || request.method == .head {
            try authenticator.require(.read, for: request)
        }
        return try next.respond(to: request)
    }
}

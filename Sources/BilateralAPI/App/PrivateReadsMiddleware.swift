import HTTPCore

/// With `--private`, reads of the record (`/v1/...`) need a key of at least `read` scope.
/// Operations endpoints stay public so health checks and scrapers keep working.
struct PrivateReadsMiddleware: Middleware {
    let authenticator: Authenticator

    func respond(to request: Request, next: any Responder) throws -> Response {
        // Judge the path the router will match: it percent-decodes segments, so `/%76%31/countries`
        // is `/v1/countries` too. A path that does not decode is gated as well (the router answers
        // 400 for it anyway).
        let path = PercentDecoding.decode(request.path)
        if path?.hasPrefix("/v1/") ?? true, request.method == .get || request.method == .head {
            try authenticator.require(.read, for: request)
        }
        return try next.respond(to: request)
    }
}

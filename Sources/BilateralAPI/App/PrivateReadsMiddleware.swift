import HTTPCore

/// With `--private`, reads of the record (`/v1/...`) and `/metrics` need a key of at least `read`
/// scope. `/metrics` names routes, counts and timings — how much the private record is used and
/// how — so a scraper sends a read key (Prometheus: `authorization: {credentials: ...}`). Health
/// and readiness stay public so load balancers keep working; `/docs` and `/openapi.yaml` describe
/// only the API, which is public anyway.
struct PrivateReadsMiddleware: Middleware {
    let authenticator: Authenticator

    func respond(to request: Request, next: any Responder) throws -> Response {
        // Judge the path the router will match: it percent-decodes segments, so `/%76%31/countries`
        // is `/v1/countries` too. A path that does not decode is gated as well (the router answers
        // 400 for it anyway).
        let path = PercentDecoding.decode(request.path)
        if path.map({ $0.hasPrefix("/v1/") || $0 == "/metrics" }) ?? true,
            request.method == .get || request.method == .head
        {
            try authenticator.require(.read, for: request)
        }
        return try next.respond(to: request)
    }
}

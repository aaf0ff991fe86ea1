import HTTPCore

/// Applies `RateLimiter` to every request: a 429 problem when it is over budget, otherwise the
/// response with `RateLimit-Policy` and `RateLimit`, so a client can pace itself before it is
/// refused. Only responses of a class that has a budget carry them (by default writes, search and
/// bulk, never the reads, whose responses stay as small as they were).
///
/// Place it after CORS (a refusal must still be readable by a browser, and preflights are not
/// charged) and before anything that reads or decodes the body.
struct RateLimitMiddleware: Middleware {
    let limiter: RateLimiter
    /// The budgets counted in the database for every node, after the node's own.
    let shared: SharedRateLimits

    /// Before a body is read: an empty bucket refuses the request now, so an over-budget client
    /// never gets its body buffered. Nothing is spent here; `respond` spends, once.
    func admission(for request: Request, next: any Responder) -> Admission {
        if case .refused(let status, let scope) = limiter.decide(
            request, now: limiter.configuration.clock(), spending: false)
        {
            var error = APIError.rateLimited(status, scope: scope)
            error.problem.instance = request.path
            return .refuse(error)
        }
        return next.admission(for: request)
    }

    func respond(to request: Request, next: any Responder) throws -> Response {
        // Refused from its head by this limiter: decided and counted already. A request refused
        // by another rule (a key, a media type) is charged like any other, as it was handled.
        if let refusal = request.refusal, refusal.problem.headers.contains("RateLimit") {
            return try next.respond(to: request)
        }
        switch limiter.decide(request, now: limiter.configuration.clock()) {
        case .unlimited:
            return try next.respond(to: request)
        case .refused(let status, let scope):
            return RateLimiter.refusal(status, scope: scope, for: request)
        case .admitted(var status):
            if shared.classes.contains(status.rateClass) {
                switch try shared.charge(request, admitted: status) {
                case .refused(let refused, let scope):
                    limiter.countRefusal(of: refused.rateClass, scope: scope)
                    return RateLimiter.refusal(refused, scope: scope, for: request)
                case .admitted(let charged): status = charged
                case .unlimited: break
                }
            }
            do {
                var response = try next.respond(to: request)
                status.write(to: &response.headers)
                return response
            } catch var error as HTTPError {
                status.write(to: &error.problem.headers)
                throw error
            }
        }
    }
}

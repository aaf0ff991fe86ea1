/// Gives every response that has no `Cache-Control` yet `no-store`, so none goes out without a
/// deliberate one (SPEC: "every response carries a deliberate `Cache-Control`").
///
/// Representations set their own (``CacheControl/revalidate``, ``CacheControl/static``) and
/// `ProblemDetails.response()` sets `no-store`; this is the floor for the rest — 204s, answers to
/// writes, `OPTIONS`, streams. Place it outside `ProblemMiddleware` so it sees rendered errors too.
/// It costs one header scan per response, and one field only when it adds one.
public struct CacheControlMiddleware: Middleware {
    public init() {}

    public func respond(to request: Request, next: any Responder) throws -> Response {
        var response = try next.respond(to: request)
        response.headers.setIfAbsent("Cache-Control", CacheControl.noStore)
        return response
    }
}

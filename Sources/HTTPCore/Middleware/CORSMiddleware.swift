/// Cross-origin resource sharing for the configured origins (SPEC: "CORS for `--cors-origin`
/// origins ... Without `--cors-origin`, no CORS headers at all").
///
/// - No origins configured: the middleware does nothing.
/// - A request whose `Origin` is allowed gets `Access-Control-Allow-Origin` (the origin itself
///   with `Vary: Origin`, or `*` when configured with `*`) and `Access-Control-Expose-Headers`.
/// - A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an allowed
///   origin, for a path `allowedMethods` knows, is answered 204 here with the allowed methods,
///   headers and max age. An unknown path falls through (to a 404), and so does a preflight from a
///   disallowed origin (to the ordinary `OPTIONS` answer, without CORS headers).
/// - With a list of origins, every response carries `Vary: Origin`, since whether it carries
///   `Access-Control-Allow-Origin` depends on the `Origin` (Fetch standard, "CORS protocol and
///   HTTP caches"). No credentials mode: authentication is by bearer token, not cookies.
///
/// Place it outside `ProblemMiddleware` so error responses carry the headers too (a browser
/// hides a cross-origin error's body otherwise).
public struct CORSMiddleware: Middleware {
    /// Which origins may read responses.
    public enum AllowedOrigins: Sendable, Equatable {
        /// No CORS at all.
        case none
        /// Any origin, answered with `*`.
        case any
        /// Exactly these origins (`https://app.example.org`), compared case-insensitively.
        case list([String])
    }

    /// The request headers a cross-origin client may send.
    public static let defaultAllowedHeaders = [
        "Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key", "X-Request-Id",
        "Last-Event-ID",
    ]
    /// The response headers a cross-origin client may read beyond the CORS-safelisted ones.
    /// `WWW-Authenticate` says why a 401 happened, and `Retry-After`, `RateLimit` and
    /// `RateLimit-Policy` when to try again; a browser client must read them to behave.
    public static let defaultExposedHeaders = [
        "ETag", "Location", "Link", "X-Request-Id", "WWW-Authenticate", "Retry-After", "RateLimit", "RateLimit-Policy",
    ]

    public let allowedOrigins: AllowedOrigins
    public let maxAge: Int
    private let allowedMethods: @Sendable (String) -> [HTTPMethod]?
    private let allowHeadersValue: String
    private let exposeHeadersValue: String

    /// - Parameters:
    ///   - allowedOrigins: what `--cors-origin` gave.
    ///   - maxAge: seconds a browser may cache a preflight answer.
    ///   - allowedMethods: the methods the route at a path allows, or nil when no route matches
    ///     (the router provides it).
    public init(
        allowedOrigins: AllowedOrigins, maxAge: Int = 600,
        allowedHeaders: [String] = CORSMiddleware.defaultAllowedHeaders,
        exposedHeaders: [String] = CORSMiddleware.defaultExposedHeaders,
        allowedMethods: @escaping @Sendable (String) -> [HTTPMethod]?
    ) {
        if case .list(let origins) = allowedOrigins, origins.isEmpty {
            self.allowedOrigins = .none
        } else {
            self.allowedOrigins = allowedOrigins
        }
        self.maxAge = maxAge
        self.allowedMethods = allowedMethods
        allowHeadersValue = allowedHeaders.joined(separator: ", ")
        exposeHeadersValue = exposedHeaders.joined(separator: ", ")
    }

    /// From `--cors-origin` values: none → no CORS; any `*` → every origin; else the list.
    public init(
        origins: [String], maxAge: Int = 600, allowedMethods: @escaping @Sendable (String) -> [HTTPMethod]?
    ) {
        let allowed: AllowedOrigins = origins.isEmpty ? .none : origins.contains("*") ? .any : .list(origins)
        self.init(allowedOrigins: allowed, maxAge: maxAge, allowedMethods: allowedMethods)
    }

    public func respond(to request: Request, next: any Responder) throws -> Response {
        if allowedOrigins == .none { return try next.respond(to: request) }
        let origin = request.headers["Origin"]
        let allowOrigin = origin.flatMap(allowOriginValue(for:))

        if let allowOrigin, request.method == .options, request.headers.contains("Access-Control-Request-Method"),
            let methods = allowedMethods(request.path)
        {
            var response = Response(status: .noContent)
            addOriginHeaders(allowOrigin, to: &response.headers)
            response.headers.set("Access-Control-Allow-Methods", methods.map(\.rawValue).joined(separator: ", "))
            response.headers.set("Access-Control-Allow-Headers", allowHeadersValue)
            response.headers.set("Access-Control-Max-Age", String(maxAge))
            return response
        }

        do {
            var response = try next.respond(to: request)
            decorate(&response.headers, allowOrigin: allowOrigin)
            return response
        } catch var error as HTTPError {
            decorate(&error.problem.headers, allowOrigin: allowOrigin)
            throw error
        }
    }

    /// The `Access-Control-Allow-Origin` value for `origin`, or nil when it is not allowed.
    private func allowOriginValue(for origin: String) -> String? {
        switch allowedOrigins {
        case .none: return nil
        case .any: return "*"
        case .list(let origins):
            return origins.contains(where: { $0.equalsIgnoringASCIICase(origin) }) ? origin : nil
        }
    }

    private func decorate(_ headers: inout HTTPHeaders, allowOrigin: String?) {
        if let allowOrigin {
            addOriginHeaders(allowOrigin, to: &headers)
            headers.set("Access-Control-Expose-Headers", exposeHeadersValue)
        } else if case .list = allowedOrigins {
            headers.addVary("Origin")
        }
    }

    private func addOriginHeaders(_ allowOrigin: String, to headers: inout HTTPHeaders) {
        headers.set("Access-Control-Allow-Origin", allowOrigin)
        if case .list = allowedOrigins { headers.addVary("Origin") }
    }
}

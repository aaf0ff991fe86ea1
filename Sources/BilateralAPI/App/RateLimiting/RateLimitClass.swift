import HTTPCore

/// What a request costs, for rate limiting: each class has its own budget, so a client that
/// spends its exports can still write, and a burst of writes never blocks reading.
public enum RateLimitClass: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// GET, HEAD and OPTIONS of everything but search and export: point reads and pages of at
    /// most 500 rows, each an indexed query.
    case reads
    /// POST, PUT, PATCH and DELETE (and any other unsafe method): one record each.
    case writes
    /// `GET /v1/search`: a full-text query, a few milliseconds each.
    case search
    /// `GET /v1/export` and `POST /v1/import`: the whole record, seconds of work each.
    case bulk

    /// The policy's name in `RateLimit-Policy` and `RateLimit`, and the `class` label in metrics.
    public var description: String {
        switch self {
        case .reads: "reads"
        case .writes: "writes"
        case .search: "search"
        case .bulk: "bulk"
        }
    }

    /// Paths no budget applies to: probes and scrapers must keep working while clients are
    /// refused, and they cost microseconds.
    static let exemptPaths: Set<String> = ["/healthz", "/readyz", "/metrics"]

    /// The class of a request from its method and path alone (never its body, so the server can
    /// decide before reading one), or nil for the exempt operations endpoints.
    /// - Parameter path: the request path, still percent-encoded; it is judged as the router will
    ///   match it, decoded, so `/v1/%65xport` is an export too.
    public static func of(method: HTTPMethod, path: String) -> RateLimitClass? {
        // Every request passes here: decode only a path that has an escape (the generic
        // decoder, called across modules, costs thousands of instructions even when it has none).
        let decoded = path.utf8.contains(UInt8(ascii: "%")) ? (PercentDecoding.decode(path) ?? path) : path
        switch method {
        case .get, .head:
            switch decoded {
            case "/v1/search": return .search
            case "/v1/export": return .bulk
            default: return exemptPaths.contains(decoded) ? nil : .reads
            }
        case .options, .trace, .query:
            return exemptPaths.contains(decoded) ? nil : .reads
        case .post where decoded == "/v1/import":
            return .bulk
        default:
            return .writes
        }
    }
}

/// Maps method + path pattern to a handler. Patterns are literal segments and `{name}`
/// parameters (`/v1/meetings/{id}`); segments are percent-decoded before matching.
///
/// Besides the routes it is given, it answers what RFC 9110 asks of every resource: 404 for an
/// unknown path, 405 with `Allow` for a known path and another method (§15.5.6), HEAD as GET
/// (§9.3.2), and OPTIONS with `Allow` (§9.3.7), including `OPTIONS *`.
public struct Router: Responder {
    public typealias Handler = @Sendable (Request) throws -> Response

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    struct Route: Sendable {
        let method: HTTPMethod
        let pattern: String
        let segments: [Segment]
        let literalCount: Int
        let admit: AdmissionRule?
        let handler: Handler
    }

    private var routesBySegmentCount: [Int: [Route]] = [:]
    /// Literal paths whose handlers run on the I/O queue, with their methods.
    private var inlineRoutes: [String: Set<HTTPMethod>] = [:]
    /// Literal paths whose handlers read the body while it arrives, with each method's body limit.
    private var streamedRoutes: [String: [HTTPMethod: Int]] = [:]
    /// Literal paths answered with a streamed body (`ResponseBody.stream`).
    private var streamingRoutes: Set<String> = []
    public private(set) var registeredRoutes: [(method: HTTPMethod, pattern: String)] = []

    public init() {}

    /// Adds a route. A pattern must start with "/"; `{name}` captures one whole segment.
    /// - Parameters:
    ///   - inline: the handler never blocks and takes microseconds, so it may run on the I/O queue
    ///     without a hop to a worker (see `Responder.respondsInline`). Literal patterns only.
    ///   - streamedBodyLimit: the handler reads the body while it arrives (`Request.bodyStream`), up
    ///     to this many bytes instead of the server's body limit. Literal patterns only; a request
    ///     whose path is percent-encoded differently reaches the handler with a whole `body` under
    ///     the server's limit instead (`Request.bodyReader` serves both).
    ///   - admit: decides a request with a body from its head, before the body is read
    ///     (`Responder.admission(for:)`): the checks the handler makes first, such as credentials.
    public mutating func add(
        _ method: HTTPMethod, _ pattern: String, inline: Bool = false, streamedBodyLimit: Int? = nil,
        admit: AdmissionRule? = nil, _ handler: @escaping Handler
    ) {
        precondition(pattern.hasPrefix("/"), "route patterns start with /: \(pattern)")
        let segments: [Segment] = pattern.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            part in
            if part.hasPrefix("{") && part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
        precondition(
            !(routesBySegmentCount[segments.count] ?? []).contains { $0.method == method && $0.segments == segments },
            "duplicate route \(method) \(pattern)")
        let literalCount = segments.reduce(0) { count, segment in
            if case .literal = segment { return count + 1 }
            return count
        }
        routesBySegmentCount[segments.count, default: []].append(
            Route(
                method: method, pattern: pattern, segments: segments, literalCount: literalCount, admit: admit,
                handler: handler))
        registeredRoutes.append((method: method, pattern: pattern))
        if inline {
            precondition(literalCount == segments.count, "only literal routes can be inline: \(pattern)")
            inlineRoutes[pattern, default: []].insert(method)
            if method == .get { inlineRoutes[pattern, default: []].insert(.head) }
        }
        if let streamedBodyLimit {
            precondition(literalCount == segments.count, "only literal routes can stream bodies: \(pattern)")
            precondition(streamedBodyLimit >= 0, "a body limit must not be negative")
            streamedRoutes[pattern, default: [:]][method] = streamedBodyLimit
        }
    }

    /// The limit given to `add(_:_:streamedBodyLimit:_:)` for this method and literal path.
    public func streamedBodyLimit(method: HTTPMethod, path: String) -> Int? {
        guard !streamedRoutes.isEmpty else { return nil }
        return streamedRoutes[path]?[method]
    }

    public func respondsInline(to request: Request) -> Bool {
        inlineRoutes[request.path]?.contains(request.method) ?? false
    }

    public mutating func get(_ pattern: String, inline: Bool = false, _ handler: @escaping Handler) {
        add(.get, pattern, inline: inline, handler)
    }

    /// A GET route whose handler answers with a streamed body: each request takes one of the
    /// server's stream places (`Responder.streamsResponse`). Literal patterns only.
    public mutating func getStreaming(_ pattern: String, _ handler: @escaping Handler) {
        add(.get, pattern, handler)
        streamingRoutes.insert(pattern)
    }

    public func streamsResponse(to request: Request) -> Bool {
        guard !streamingRoutes.isEmpty, request.method == .get else { return false }
        if streamingRoutes.contains(request.path) { return true }
        // The router matches decoded segments: `/v1/%65xport` is the export too.
        guard request.path.utf8.contains(UInt8(ascii: "%")), let decoded = PercentDecoding.decode(request.path) else {
            return false
        }
        return streamingRoutes.contains(decoded)
    }
    public mutating func post(
        _ pattern: String, streamedBodyLimit: Int? = nil, admit: AdmissionRule? = nil, _ handler: @escaping Handler
    ) {
        add(.post, pattern, streamedBodyLimit: streamedBodyLimit, admit: admit, handler)
    }
    public mutating func put(_ pattern: String, admit: AdmissionRule? = nil, _ handler: @escaping Handler) {
        add(.put, pattern, admit: admit, handler)
    }
    public mutating func patch(_ pattern: String, admit: AdmissionRule? = nil, _ handler: @escaping Handler) {
        add(.patch, pattern, admit: admit, handler)
    }
    public mutating func delete(_ pattern: String, admit: AdmissionRule? = nil, _ handler: @escaping Handler) {
        add(.delete, pattern, admit: admit, handler)
    }

    /// The methods a path answers (HEAD and OPTIONS included), or nil for an unknown path.
    public func allowedMethods(forPath path: String) -> [HTTPMethod]? {
        guard let segments = try? Router.decodeSegments(path) else { return nil }
        let methods = Set(matches(segments).map(\.route.method))
        return methods.isEmpty ? nil : Router.allowList(methods)
    }

    public func respond(to request: Request) throws -> Response {
        if var refusal = request.refusal {
            refusal.route = try? routePattern(for: request)
            throw refusal
        }
        if request.path == "*" {
            guard request.method == .options else {
                throw HTTPError(.badRequest, detail: "The asterisk target is only valid with OPTIONS.")
            }
            return Router.optionsResponse(allow: Router.allowList(HTTPMethod.implemented))
        }
        let segments = try Router.decodeSegments(request.path)
        let candidates = matches(segments)
        guard !candidates.isEmpty else {
            throw HTTPError(.notFound, detail: "No resource lives at \(request.path).")
        }
        let method =
            request.method == .head && !candidates.contains(where: { $0.route.method == .head }) ? .get : request.method
        if let best = candidates.filter({ $0.route.method == method }).max(by: {
            $0.route.literalCount < $1.route.literalCount
        }) {
            var request = request
            request.pathParameters = best.parameters
            request.route = best.route.pattern
            do {
                var response = try best.route.handler(request)
                response.route = best.route.pattern
                return response
            } catch var error as HTTPError {
                error.route = best.route.pattern
                throw error
            }
        }
        if request.method == .options {
            return Router.optionsResponse(allow: Router.allowList(Set(candidates.map(\.route.method))))
        }
        throw methodNotAllowed(request, candidates)
    }

    func methodNotAllowed(_ request: Request, _ candidates: [(route: Route, parameters: [String: String])])
        -> HTTPError
    {
        let allow = Router.allowList(Set(candidates.map(\.route.method)))
        var headers = HTTPHeaders()
        headers.add("Allow", allow.map(\.rawValue).joined(separator: ", "))
        return HTTPError(
            .methodNotAllowed,
            detail:
                "\(request.method) is not allowed on \(request.path); allowed: \(allow.map(\.rawValue).joined(separator: ", ")).",
            headers: headers)
    }

    /// The pattern of the route a refused request would have reached, for its log line.
    private func routePattern(for request: Request) throws -> String? {
        let method = request.method == .head ? HTTPMethod.get : request.method
        return matches(try Router.decodeSegments(request.path)).filter { $0.route.method == method }.max(by: {
            $0.route.literalCount < $1.route.literalCount
        })?.route.pattern
    }

    func matches(_ segments: [String]) -> [(route: Route, parameters: [String: String])] {
        guard let routes = routesBySegmentCount[segments.count] else { return [] }
        var found: [(route: Route, parameters: [String: String])] = []
        for route in routes {
            var parameters: [String: String] = [:]
            var matched = true
            for (segment, value) in zip(route.segments, segments) {
                switch segment {
                case .literal(let literal):
                    if literal != value { matched = false }
                case .parameter(let name):
                    if value.isEmpty { matched = false } else { parameters[name] = value }
                }
                if !matched { break }
            }
            if matched { found.append((route, parameters)) }
        }
        return found
    }

    static func decodeSegments(_ path: String) throws -> [String] {
        guard path.hasPrefix("/") else { throw HTTPError(.notFound, detail: "No resource lives at \(path).") }
        return try path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { raw in
            guard let decoded = PercentDecoding.decode(raw) else {
                throw HTTPError(.badRequest, detail: "The path is not valid percent-encoded UTF-8.")
            }
            return decoded
        }
    }

    private static let canonicalOrder: [HTTPMethod] = [.get, .head, .post, .put, .patch, .delete, .options]

    private static func allowList(_ methods: Set<HTTPMethod>) -> [HTTPMethod] {
        var all = methods
        if all.contains(.get) { all.insert(.head) }
        all.insert(.options)
        return canonicalOrder.filter { all.contains($0) }
            + all.subtracting(canonicalOrder).sorted { $0.rawValue < $1.rawValue }
    }

    private static func optionsResponse(allow: [HTTPMethod]) -> Response {
        var headers = HTTPHeaders()
        headers.add("Allow", allow.map(\.rawValue).joined(separator: ", "))
        return Response(status: .noContent, headers: headers)
    }
}

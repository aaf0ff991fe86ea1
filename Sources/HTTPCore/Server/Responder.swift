/// Turns a request into a response. Runs on a worker thread; may block (database calls).
public protocol Responder: Sendable {
    func respond(to request: Request) throws -> Response

    /// Whether `request` may be answered right on the connection's I/O queue, skipping the two
    /// thread hops to a worker and back. Only for handlers that never block and finish in
    /// microseconds (a liveness probe): anything slower would hold up every connection of the queue.
    func respondsInline(to request: Request) -> Bool

    /// The body limit of a request whose body the handler reads while it arrives
    /// (`Request.bodyStream`), or nil for a body delivered whole under the server's limit.
    /// Decided from the request line alone, before any header is read.
    func streamedBodyLimit(method: HTTPMethod, path: String) -> Int?

    /// Decides a request that carries a body from its head alone (`request.body` is empty), on
    /// the connection's I/O queue: it must not block. Requests without a body skip it.
    func admission(for request: Request) -> Admission

    /// Whether `request` is answered with a streamed body (an export): the connection takes a
    /// place among the server's streams for it before dispatching, and refuses it (503, 429)
    /// when none is left. Called on the I/O queue: it must not block.
    func streamsResponse(to request: Request) -> Bool
}

extension Responder {
    public func respondsInline(to request: Request) -> Bool { false }
    public func streamedBodyLimit(method: HTTPMethod, path: String) -> Int? { nil }
    public func admission(for request: Request) -> Admission { .accept }
    public func streamsResponse(to request: Request) -> Bool { false }
}

/// A step around the responder chain (request id, logging, CORS, compression...).
public protocol Middleware: Sendable {
    func respond(to request: Request, next: any Responder) throws -> Response

    /// The middleware's say in a request's admission (`Responder.admission(for:)`); by default
    /// the responder inside decides.
    func admission(for request: Request, next: any Responder) -> Admission
}

extension Middleware {
    public func admission(for request: Request, next: any Responder) -> Admission {
        next.admission(for: request)
    }
}

/// A responder made of a closure.
public struct ClosureResponder: Responder {
    let body: @Sendable (Request) throws -> Response
    public init(_ body: @escaping @Sendable (Request) throws -> Response) { self.body = body }
    public func respond(to request: Request) throws -> Response { try body(request) }
}

/// `middleware` around `next`, as one responder.
struct MiddlewareResponder: Responder {
    let middleware: any Middleware
    let next: any Responder
    /// The responder at the bottom of the chain (the router). Middleware never blocks, never
    /// reads a body as it arrives and never streams (it logs, counts, compresses), so the route
    /// alone decides those: asked directly, not through every layer, as it is asked per request.
    let innermost: any Responder

    init(middleware: any Middleware, next: any Responder) {
        self.middleware = middleware
        self.next = next
        innermost = (next as? MiddlewareResponder)?.innermost ?? next
    }

    func respond(to request: Request) throws -> Response {
        try middleware.respond(to: request, next: next)
    }

    func respondsInline(to request: Request) -> Bool {
        innermost.respondsInline(to: request)
    }

    func streamedBodyLimit(method: HTTPMethod, path: String) -> Int? {
        innermost.streamedBodyLimit(method: method, path: path)
    }

    func admission(for request: Request) -> Admission {
        middleware.admission(for: request, next: next)
    }

    func streamsResponse(to request: Request) -> Bool {
        innermost.streamsResponse(to: request)
    }
}

extension Responder {
    /// Wraps this responder in `middlewares`, the first one outermost.
    public func wrapped(in middlewares: [any Middleware]) -> any Responder {
        var responder: any Responder = self
        for middleware in middlewares.reversed() {
            responder = MiddlewareResponder(middleware: middleware, next: responder)
        }
        return responder
    }
}

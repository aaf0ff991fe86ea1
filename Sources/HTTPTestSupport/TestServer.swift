import HTTPCore

/// Runs `body` against an `HTTPServer` serving `responder` on `configuration` (by default
/// `.test()`: 127.0.0.1, an ephemeral port), and always shuts the server down afterwards,
/// whether `body` returns or throws.
/// - Throws: `SocketError` when the server cannot bind, or whatever `body` throws.
public func withTestServer<T>(
    configuration: ServerConfiguration = .test(), hooks: ServerHooks = ServerHooks(), responder: any Responder,
    _ body: (HTTPServer) throws -> T
) throws -> T {
    let server = try HTTPServer(configuration: configuration, responder: responder, hooks: hooks)
    defer { server.shutdown() }
    return try body(server)
}

/// `withTestServer` with a router built by `routes`.
public func withTestServer<T>(
    configuration: ServerConfiguration = .test(), hooks: ServerHooks = ServerHooks(), routes: (inout Router) -> Void,
    _ body: (HTTPServer) throws -> T
) throws -> T {
    var router = Router()
    routes(&router)
    return try withTestServer(configuration: configuration, hooks: hooks, responder: router, body)
}

import HTTPCore
import Storage

/// Turns a database that is busy or gone into a 503 with `Retry-After` instead of a 500: a
/// `bilateral import` on the file of a running server holds SQLite's write lock for the whole
/// import, and the server's writes give up after the busy timeout; a PostgreSQL server may restart
/// or fail over, and the store reconnects by itself. Nothing is wrong with the request; it can be
/// sent again.
struct DatabaseBusyMiddleware: Middleware {
    func respond(to request: Request, next: any Responder) throws -> Response {
        do {
            return try next.respond(to: request)
        } catch let error as any DatabaseError where error.kind.isTransient {
            let detail =
                error.kind == .unavailable
                ? "The database is not reachable; retry shortly."
                : "The database is busy with another process's write (an import?); retry shortly."
            throw HTTPError(.serviceUnavailable, detail: detail, headers: ["Retry-After": "5"])
        }
    }
}

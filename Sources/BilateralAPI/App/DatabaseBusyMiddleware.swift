import HTTPCore
import SQLiteStore

/// Turns "the database is locked by another process" into a 503 with `Retry-After` instead of
/// a 500: a `bilateral import` on the file of a running server holds SQLite's write lock for the
/// whole import, and the server's writes give up after the busy timeout. Nothing is wrong with
/// the request; it can be sent again.
struct DatabaseBusyMiddleware: Middleware {
    func respond(to request: Request, next: any Responder) throws -> Response {
        do {
            return try next.respond(to: request)
        } catch let error as SQLiteError where error.isBusy {
            throw HTTPError(
                .serviceUnavailable,
                detail: "The database is busy with another process's write (an import?); retry shortly.",
                headers: ["Retry-After": "5"])
        }
    }
}

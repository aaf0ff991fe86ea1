import HTTPCore
import Storage

/// Health, readiness, metrics, and the API's own description (`/openapi.yaml`, `/docs`).
///
/// Probes and metrics are `no-store` (a cached "ok" would hide an outage); the description
/// changes only with the binary, so it is cacheable for an hour and revalidates by its ETag.
struct OperationsRoutes {
    let store: any DatabaseStore
    let openAPIYAML: [UInt8]
    let docsHTML: [UInt8]
    let renderMetrics: @Sendable () -> String
    /// Reports why the database was unreachable.
    let log: @Sendable (Request, any Error) -> Void

    func register(in router: inout Router) {
        let health = Array(#"{"status":"ok"}"#.utf8)
        // Inline: a liveness probe must answer even when every worker is busy with slow requests,
        // and it never blocks (no database, no I/O).
        router.get("/healthz", inline: true) { request in
            _ = try QueryParameters(request, allowed: [])
            return Representation.json(health, for: request, cacheControl: CacheControl.noStore)
        }
        router.get("/readyz") { request in
            _ = try QueryParameters(request, allowed: [])
            do {
                _ = try store.read { try $0.scalar("SELECT count(*) FROM schema_migrations") }
            } catch {
                // The SQLite message stays in the log: the response says what, never internals.
                log(request, error)
                throw APIError.unavailable("The database is not reachable.")
            }
            return Representation.json(health, for: request, cacheControl: CacheControl.noStore)
        }
        router.get("/metrics") { request in
            _ = try QueryParameters(request, allowed: [])
            return Representation.make(
                Array(renderMetrics().utf8), contentType: "text/plain; version=0.0.4; charset=utf-8",
                for: request, cacheControl: CacheControl.noStore)
        }
        // Tagged once: every request shares these arrays (and, through the tag, one gzip copy).
        let openAPI = openAPIYAML
        let openAPITag = ETag.of(openAPI)
        let docs = docsHTML
        let docsTag = ETag.of(docs)
        router.get("/openapi.yaml") { request in
            _ = try QueryParameters(request, allowed: [])
            return Representation.make(
                openAPI, tag: openAPITag, contentType: "application/yaml", for: request,
                cacheControl: CacheControl.static)
        }
        router.get("/docs") { request in
            _ = try QueryParameters(request, allowed: [])
            return Representation.make(
                docs, tag: docsTag, contentType: "text/html; charset=utf-8", for: request,
                cacheControl: CacheControl.static)
        }
    }
}

import HTTPCore
import Storage

/// `GET /`: the explorer's page for people, the front door's JSON for `Accept: application/json`;
/// and the explorer's assets under `/explorer/<version>/`.
struct FrontDoorRoutes {
    let store: any DatabaseStore
    /// With `--private` the record's size is not shown: counts are a read of the record.
    let privateReads: Bool
    let explorer: ExplorerBundle

    /// The page runs only its own scripts and styles, talks only to this server, and may not be
    /// framed (CSP Level 3). No `'unsafe-inline'`: every text the page shows comes from the API
    /// and is set as text, and an injected `<script>` could not run even if it were parsed.
    /// `img-src` allows the page's own icon; `form-action 'self'` the search box, whose submit the
    /// script handles without leaving the page.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// The collections counted, in the order shown.
    static let collections = ["meetings", "statements", "initiatives", "actors", "sources"]

    func register(in router: inout Router) {
        let explorer = self.explorer
        router.get("/explorer/{version}/{asset}") { request in
            _ = try QueryParameters(request, allowed: [])
            let version = request.pathParameters["version"] ?? ""
            let name = request.pathParameters["asset"] ?? ""
            // Another version's asset is not this one's: a page of an older build must not cache
            // today's bytes under its own URL for a year.
            guard version == explorer.version, let asset = explorer.assets[name] else {
                throw APIError.notFound("explorer asset", version + "/" + name)
            }
            return Representation.make(
                asset.bytes, tag: asset.tag, contentType: asset.contentType, for: request,
                headers: ["X-Content-Type-Options": "nosniff"], cacheControl: CacheControl.immutable)
        }
        router.get("/") { request in
            _ = try QueryParameters(request, allowed: [])
            // The same URL answers HTML or JSON by `Accept` (RFC 9110 §12.5.5).
            var headers: HTTPHeaders = ["Vary": "Accept"]
            if Self.wantsJSON(request) {
                let door = FrontDoor(counts: privateReads ? nil : try counts())
                return Representation.json(door.json(), for: request, headers: headers)
            }
            headers.add("Content-Security-Policy", Self.contentSecurityPolicy)
            headers.add("X-Content-Type-Options", "nosniff")
            headers.add("Referrer-Policy", "no-referrer")
            return Representation.make(
                explorer.page, tag: explorer.pageTag, contentType: "text/html; charset=utf-8", for: request,
                headers: headers)
        }
    }

    /// Records per collection, in one snapshot.
    private func counts() throws -> [(collection: String, count: Int)] {
        let sql = "SELECT " + Self.collections.map { "(SELECT count(*) FROM \($0))" }.joined(separator: ", ")
        let values = try store.read { db in
            try db.queryOne(sql, []) { row in try Self.collections.indices.map { try row.int($0) } }
        }
        return Array(zip(Self.collections, values ?? Self.collections.map { _ in 0 })).map { ($0, $1) }
    }

    /// JSON when `Accept` names `application/json` and not `text/html`; a browser (which names
    /// `text/html`) and `curl` (`*/*`) get the page.
    static func wantsJSON(_ request: Request) -> Bool {
        let accept = request.headers.listValues(for: "Accept").map { $0.lowercasedASCII() }
        return accept.contains { $0.hasPrefix("application/json") } && !accept.contains { $0.hasPrefix("text/html") }
    }
}

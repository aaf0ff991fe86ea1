import HTTPCore
import Storage

/// `GET /`: the front door (HTML for people, JSON for `Accept: application/json`), and its
/// stylesheet.
struct FrontDoorRoutes {
    let store: any DatabaseStore
    /// With `--private` the record's size is not shown: counts are a read of the record.
    let privateReads: Bool

    /// Nothing but the page's own stylesheet may load: no script at all, no inline style, no
    /// frames, no forms (CSP Level 3). The page works without any of them.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    /// The collections counted, in the order shown.
    static let collections = ["meetings", "statements", "initiatives", "actors", "sources"]

    func register(in router: inout Router) {
        let css = Array(FrontDoor.stylesheet.utf8)
        let cssTag = ETag.of(css)
        let cssName = String(FrontDoor.stylesheetPath.dropFirst("/explorer/".count))
        // The explorer's assets, by name; each name carries a digest of its content.
        router.get("/explorer/{asset}") { request in
            _ = try QueryParameters(request, allowed: [])
            let asset = request.pathParameters["asset"] ?? ""
            guard asset == cssName else { throw APIError.notFound("explorer asset", asset) }
            return Representation.make(
                css, tag: cssTag, contentType: "text/css; charset=utf-8", for: request,
                cacheControl: CacheControl.immutable)
        }
        router.get("/") { request in
            _ = try QueryParameters(request, allowed: [])
            let door = FrontDoor(counts: privateReads ? nil : try counts())
            // The same URL answers HTML or JSON by `Accept` (RFC 9110 §12.5.5).
            var headers: HTTPHeaders = ["Vary": "Accept"]
            if Self.wantsJSON(request) { return Representation.json(door.json(), for: request, headers: headers) }
            headers.add("Content-Security-Policy", Self.contentSecurityPolicy)
            return Representation.make(
                Array(door.html().utf8), contentType: "text/html; charset=utf-8", for: request, headers: headers)
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

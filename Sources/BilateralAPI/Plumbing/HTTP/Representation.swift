import HTTPCore

/// Builds 200 responses with a strong ETag of the exact bytes, and 304 when the client's
/// `If-None-Match` already names them (RFC 9110 §13.1.2).
///
/// This is where a representation's `Cache-Control` is set: API JSON and CSV ``CacheControl/revalidate``
/// (`no-cache`), callers of static documents and probes pass their own. It is set before the 304
/// is chosen, because "the server generating a 304 response MUST generate any of the following
/// header fields that would have been sent in a 200 (OK) response to the same request:
/// Content-Location, Date, ETag, and Vary; Cache-Control and Expires" (RFC 9110 §15.4.5).
public enum Representation {
    public static func json(
        _ bytes: [UInt8], for request: Request, status: HTTPStatus = .ok,
        headers: HTTPHeaders = HTTPHeaders(), cacheControl: String = CacheControl.revalidate
    ) -> Response {
        make(
            bytes, contentType: "application/json", for: request, status: status, headers: headers,
            cacheControl: cacheControl)
    }

    public static func make(
        _ bytes: [UInt8], contentType: String, for request: Request, status: HTTPStatus = .ok,
        headers: HTTPHeaders = HTTPHeaders(), cacheControl: String = CacheControl.revalidate
    ) -> Response {
        make(
            bytes, tag: ETag.of(bytes), contentType: contentType, for: request, status: status, headers: headers,
            cacheControl: cacheControl)
    }

    /// `make` with the tag of `bytes` computed already (a static page's, once).
    static func make(
        _ bytes: [UInt8], tag: String, contentType: String, for request: Request, status: HTTPStatus = .ok,
        headers: HTTPHeaders = HTTPHeaders(), cacheControl: String = CacheControl.revalidate
    ) -> Response {
        var headers = headers
        headers.set("ETag", tag)
        headers.add("Cache-Control", cacheControl)
        // RFC 9110 §5.3: a list field sent as several field lines is one comma-joined list.
        let ifNoneMatch = request.headers.values(for: "If-None-Match")
        if status == .ok, request.method == .get || request.method == .head,
            !ETag.noneMatch(ifNoneMatch.isEmpty ? nil : ifNoneMatch.joined(separator: ", "), current: tag)
        {
            return Response(status: .notModified, headers: headers)
        }
        headers.set("Content-Type", contentType)
        return Response(status: status, headers: headers, body: .bytes(bytes))
    }

    /// `{"data": [...], "next_cursor": ...}` with a `Link: <…>; rel="next"` header when more follow.
    public static func list(
        _ items: [[UInt8]], nextCursor: String?, for request: Request, negotiated: Bool = false
    ) -> Response {
        page(items, nextCursor: nextCursor, for: request, negotiated: negotiated) { item, json in json.raw(item) }
    }

    /// A page written item by item into one buffer, with its `Link` header. A list that also
    /// answers CSV by `Accept` says `negotiated`, and sends `Vary: Accept` (RFC 9110 §12.5.5).
    static func page<Item>(
        _ items: [Item], nextCursor: String?, for request: Request, negotiated: Bool = false,
        write: (Item, inout JSONWriter) -> Void
    ) -> Response {
        var out = JSONWriter(reservingCapacity: 64 + items.count * 900)
        out.beginObject()
        out.key("data")
        out.beginArray()
        for item in items { write(item, &out) }
        out.endArray()
        out.key("next_cursor")
        out.optionalString(nextCursor)
        out.endObject()
        var headers = nextLinkHeader(nextCursor, for: request)
        if negotiated { headers.add("Vary", "Accept") }
        return json(out.bytes, for: request, headers: headers)
    }

    /// `Link: <…>; rel="next"` when a next page exists.
    static func nextLinkHeader(_ nextCursor: String?, for request: Request) -> HTTPHeaders {
        var headers = HTTPHeaders()
        if let nextCursor { headers.add("Link", "<\(nextLink(for: request, cursor: nextCursor))>; rel=\"next\"") }
        return headers
    }

    /// The request's own path and query with `cursor` replaced.
    static func nextLink(for request: Request, cursor: String) -> String {
        var parts = (request.query ?? "").split(separator: "&").filter { !$0.hasPrefix("cursor=") && $0 != "cursor" }
            .map(String.init)
        parts.append("cursor=" + cursor)
        return request.path + "?" + parts.joined(separator: "&")
    }
}

import HTTPCore

/// Builds 200 responses with a strong ETag of the exact bytes, and 304 when the client's
/// `If-None-Match` already names them (RFC 9110 §13.1.2).
public enum Representation {
    public static func json(
        _ bytes: [UInt8], for request: Request, status: HTTPStatus = .ok,
        headers: HTTPHeaders = HTTPHeaders()
    ) -> Response {
        make(bytes, contentType: "application/json", for: request, status: status, headers: headers)
    }

    public static func make(
        _ bytes: [UInt8], contentType: String, for request: Request, status: HTTPStatus = .ok,
        headers: HTTPHeaders = HTTPHeaders()
    ) -> Response {
        make(bytes, tag: ETag.of(bytes), contentType: contentType, for: request, status: status, headers: headers)
    }

    /// `make` with the tag of `bytes` computed already (a static page's, once).
    static func make(
        _ bytes: [UInt8], tag: String, contentType: String, for request: Request, status: HTTPStatus = .ok,
        headers: HTTPHeaders = HTTPHeaders()
    ) -> Response {
        var headers = headers
        headers.set("ETag", tag)
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
    public static func list(_ items: [[UInt8]], nextCursor: String?, for request: Request) -> Response {
        page(items, nextCursor: nextCursor, for: request) { item, json in json.raw(item) }
    }

    /// A page written item by item into one buffer, with its `Link` header.
    static func page<Item>(
        _ items: [Item], nextCursor: String?, for request: Request, write: (Item, inout JSONWriter) -> Void
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
        return json(out.bytes, for: request, headers: nextLinkHeader(nextCursor, for: request))
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

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
        let tag = ETag.of(bytes)
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
        var json = JSONWriter(reservingCapacity: items.reduce(64) { $0 + $1.count + 1 })
        json.beginObject()
        json.key("data")
        json.beginArray()
        for item in items { json.raw(item) }
        json.endArray()
        json.key("next_cursor")
        json.optionalString(nextCursor)
        json.endObject()
        var headers = HTTPHeaders()
        if let nextCursor {
            headers.add("Link", "<\(nextLink(for: request, cursor: nextCursor))>; rel=\"next\"")
        }
        return Representation.json(json.bytes, for: request, headers: headers)
    }

    /// The request's own path and query with `cursor` replaced.
    static func nextLink(for request: Request, cursor: String) -> String {
        var parts = (request.query ?? "").split(separator: "&").filter { !$0.hasPrefix("cursor=") && $0 != "cursor" }
            .map(String.init)
        parts.append("cursor=" + cursor)
        return request.path + "?" + parts.joined(separator: "&")
    }
}

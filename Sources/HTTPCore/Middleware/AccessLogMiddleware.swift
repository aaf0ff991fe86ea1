/// Writes one JSON line per request to an `AccessLog` (SPEC: "One JSON access-log line per
/// request goes to stderr").
///
/// Fields, in this order: `ts` (RFC 3339 UTC, milliseconds), `level` (`error` for 5xx, else
/// `info`), `request_id`, `method`, `path` (as received, without the query, which may carry
/// tokens), `route` (the matched pattern or null), `status`, `bytes` (body length, null for a
/// stream), `duration_ms` (from `Request.receivedAt` to the response head; for a stream, to its
/// start), `remote`, `user_agent`. Place it inside `RequestIDMiddleware` and outside
/// `ProblemMiddleware`, so it sees the id and the final status; if an error does get through, it
/// logs the status that error will become and rethrows.
public struct AccessLogMiddleware: Middleware {
    private let log: AccessLog

    public init(log: AccessLog) {
        self.log = log
    }

    public func respond(to request: Request, next: any Responder) throws -> Response {
        let start = request.receivedAt != 0 ? request.receivedAt : MonotonicClock.now()
        let response: Response
        do {
            response = try next.respond(to: request)
        } catch {
            let status = (error as? HTTPError)?.problem.status.code ?? 500
            log.append(Self.line(for: request, route: request.route, status: status, bytes: nil, start: start))
            throw error
        }
        log.append(
            Self.line(
                for: request, route: response.route ?? request.route, status: response.status.code,
                bytes: response.body.count, start: start))
        return response
    }

    static func line(
        for request: Request, route: String?, status: Int, bytes: Int?, start: UInt64,
        now: UInt64 = MonotonicClock.now(), timestamp: String = WallClock.nowRFC3339()
    ) -> [UInt8] {
        var out = JSONWriter(reservingCapacity: 320)
        out.beginObject()
        out.key("ts")
        out.string(timestamp)
        out.key("level")
        out.string(status >= 500 ? "error" : "info")
        out.key("request_id")
        out.optionalString(request.requestID.isEmpty ? nil : request.requestID)
        out.key("method")
        out.string(request.method.rawValue)
        out.key("path")
        out.string(request.path)
        out.key("route")
        out.optionalString(route)
        out.key("status")
        out.int(status)
        out.key("bytes")
        out.optionalInt(bytes)
        out.key("duration_ms")
        out.raw(milliseconds(from: start, to: now))
        out.key("remote")
        out.optionalString(request.remoteAddress.isEmpty ? nil : request.remoteAddress)
        out.key("user_agent")
        out.optionalString(request.headers["User-Agent"])
        out.endObject()
        return out.bytes
    }

    /// Milliseconds with three decimals (microsecond resolution), as a JSON number.
    static func milliseconds(from start: UInt64, to end: UInt64) -> [UInt8] {
        let micros = end > start ? (end - start) / 1000 : 0
        let fraction = micros % 1000
        let padding = fraction < 10 ? "00" : fraction < 100 ? "0" : ""
        return Array("\(micros / 1000).\(padding)\(fraction)".utf8)
    }
}

import Logging

/// What the access log says about one request, carried to `JSONLinesLogHandler` as metadata so
/// that the line keeps its typed fields (numbers stay numbers) and its field order.
public final class AccessRecord: CustomStringConvertible, Sendable {
    /// The metadata key an access record travels under.
    public static let metadataKey = "access"

    let requestID: String?
    let method: String
    let path: String
    let route: String?
    let status: Int
    let bytes: Int?
    let durationMilliseconds: [UInt8]
    let remote: String?
    let userAgent: String?
    let timestamp: String

    init(
        for request: Request, route: String?, status: Int, bytes: Int?, start: UInt64,
        now: UInt64 = MonotonicClock.now(), timestamp: String = WallClock.nowRFC3339()
    ) {
        requestID = request.requestID.isEmpty ? nil : request.requestID
        method = request.method.rawValue
        // As received, without the query, which may carry tokens.
        path = request.path
        self.route = route
        self.status = status
        self.bytes = bytes
        durationMilliseconds = AccessLogMiddleware.milliseconds(from: start, to: now)
        remote = request.remoteAddress.isEmpty ? nil : request.remoteAddress
        userAgent = request.headers["User-Agent"]
        self.timestamp = timestamp
    }

    /// The level a request is logged at: `error` for a 5xx, else `info`.
    var level: Logger.Level { status >= 500 ? .error : .info }

    public var description: String { String(decoding: line(level: level), as: UTF8.self) }

    /// The access-log line, without its newline.
    func line(level: Logger.Level) -> [UInt8] {
        var out = JSONWriter(reservingCapacity: 320)
        out.beginObject()
        out.key("ts")
        out.string(timestamp)
        out.key("level")
        out.string(level.rawValue)
        out.key("request_id")
        out.optionalString(requestID)
        out.key("method")
        out.string(method)
        out.key("path")
        out.string(path)
        out.key("route")
        out.optionalString(route)
        out.key("status")
        out.int(status)
        out.key("bytes")
        out.optionalInt(bytes)
        out.key("duration_ms")
        out.raw(durationMilliseconds)
        out.key("remote")
        out.optionalString(remote)
        out.key("user_agent")
        out.optionalString(userAgent)
        out.endObject()
        return out.bytes
    }
}

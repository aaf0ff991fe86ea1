/// Severity of an event line.
public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    case debug, info, warning, error

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

extension AccessLog {
    /// Writes one JSON event line (not a request line) in the access log's format:
    /// `{"ts","level","msg","request_id","detail"}`.
    public func event(_ level: LogLevel, _ message: String, requestID: String? = nil, detail: String? = nil) {
        var out = JSONWriter(reservingCapacity: 192)
        out.beginObject()
        out.key("ts"); out.string(WallClock.nowRFC3339())
        out.key("level"); out.string(level.rawValue)
        out.key("msg"); out.string(message)
        out.key("request_id"); out.optionalString(requestID)
        out.key("detail"); out.optionalString(detail)
        out.endObject()
        append(out.bytes)
    }
}

import Logging

/// The server's swift-log `LogHandler`: one JSON line per event, batched by an `AccessLog` and
/// written with its short-write-safe `writeAll` (stderr in production).
///
/// Two shapes of line, in declared field order:
/// - a request (`AccessLogMiddleware`, metadata `AccessRecord.metadataKey`):
///   `{"ts","level","request_id","method","path","route","status","bytes","duration_ms","remote","user_agent"}`;
/// - any other event: `{"ts","level","msg","request_id","detail"}`, then the other metadata keys
///   in byte order, as strings.
///
/// `Logger` checks `logLevel` before it builds the message or metadata, so a filtered event costs
/// one comparison.
public struct JSONLinesLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let sink: AccessLog

    /// - Parameters:
    ///   - sink: the batched output the lines go to.
    ///   - logLevel: the least severe level written.
    public init(sink: AccessLog, logLevel: Logger.Level = .info) {
        self.sink = sink
        self.logLevel = logLevel
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        if case .stringConvertible(let value)? = event.metadata?[AccessRecord.metadataKey],
            let record = value as? AccessRecord
        {
            sink.append(record.line(level: event.level))
            return
        }
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { $1 } }
        if let given = event.metadata { fields.merge(given) { $1 } }
        var out = JSONWriter(reservingCapacity: 192)
        out.beginObject()
        out.key("ts")
        out.string(WallClock.nowRFC3339())
        out.key("level")
        out.string(event.level.rawValue)
        out.key("msg")
        out.string(event.message.description)
        out.key("request_id")
        out.optionalString(fields.removeValue(forKey: "request_id").map { "\($0)" })
        out.key("detail")
        out.optionalString(fields.removeValue(forKey: "detail").map { "\($0)" })
        for key in fields.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            out.key(escaping: key)
            out.string("\(fields[key] ?? "")")
        }
        out.endObject()
        sink.append(out.bytes)
    }
}

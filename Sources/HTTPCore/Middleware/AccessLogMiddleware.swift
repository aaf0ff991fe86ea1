import Logging

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
    private let logger: Logger

    /// - Parameter logger: lines go out at `info` (`error` for a 5xx), so its level filters them.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// A middleware writing every line to `log` through a `JSONLinesLogHandler` at `info`.
    public init(log: AccessLog) {
        self.init(logger: Logger(label: "bilateral.access") { _ in JSONLinesLogHandler(sink: log) })
    }

    public func respond(to request: Request, next: any Responder) throws -> Response {
        let start = request.receivedAt != 0 ? request.receivedAt : MonotonicClock.now()
        let response: Response
        do {
            response = try next.respond(to: request)
        } catch {
            let status = (error as? HTTPError)?.problem.status.code ?? 500
            record(
                status: status,
                AccessRecord(for: request, route: request.route, status: status, bytes: nil, start: start))
            throw error
        }
        record(
            status: response.status.code,
            AccessRecord(
                for: request, route: response.route ?? request.route, status: response.status.code,
                bytes: response.body.count, start: start))
        return response
    }

    /// Logs a request at `info`, or `error` for a 5xx; the record is built only when the logger's
    /// level lets the line through.
    private func record(status: Int, _ record: @autoclosure () -> AccessRecord) {
        logger.log(
            level: status >= 500 ? .error : .info, "request",
            metadata: [AccessRecord.metadataKey: .stringConvertible(record())])
    }

    static func line(
        for request: Request, route: String?, status: Int, bytes: Int?, start: UInt64,
        now: UInt64 = MonotonicClock.now(), timestamp: String = WallClock.nowRFC3339()
    ) -> [UInt8] {
        let record = AccessRecord(
            for: request, route: route, status: status, bytes: bytes, start: start, now: now, timestamp: timestamp)
        return record.line(level: record.level)
    }

    /// Milliseconds with three decimals (microsecond resolution), as a JSON number.
    static func milliseconds(from start: UInt64, to end: UInt64) -> [UInt8] {
        let micros = end > start ? (end - start) / 1000 : 0
        let fraction = micros % 1000
        let padding = fraction < 10 ? "00" : fraction < 100 ? "0" : ""
        return Array("\(micros / 1000).\(padding)\(fraction)".utf8)
    }
}

import Foundation
import Logging
import Testing

@testable import HTTPCore

@Suite struct JSONLinesLogHandlerTests {
    static func logger(level: Logger.Level) -> (Logger, AccessLog, Recorder<[UInt8]>) {
        let (log, captured) = AccessLogMiddlewareTests.makeLog()
        let logger = Logger(label: "test") { _ in JSONLinesLogHandler(sink: log, logLevel: level) }
        return (logger, log, captured)
    }

    /// The bug this type fixed: `--log-level warning` still printed info events.
    @Test func theLevelFiltersEveryEvent() throws {
        let (logger, log, captured) = Self.logger(level: .warning)
        logger.debug("hidden")
        logger.info("hidden too")
        logger.warning("shown", metadata: ["request_id": "r-1", "detail": "why"])
        log.flush()
        let lines = try AccessLogMiddlewareTests.lines(captured)
        #expect(lines.count == 1)
        #expect(lines.first?["msg"] as? String == "shown")
        #expect(lines.first?["level"] as? String == "warning")
    }

    @Test func eventFieldsComeInDeclaredOrder() throws {
        let (logger, log, captured) = Self.logger(level: .debug)
        logger.debug("migrated", metadata: ["detail": "v1", "zeta": "z", "alpha": "a"])
        log.flush()
        let text = String(decoding: captured.all.joined(), as: UTF8.self)
        let afterTimestamp = try #require(text.range(of: #","level""#)).lowerBound
        #expect(
            text[afterTimestamp...]
                == #","level":"debug","msg":"migrated","request_id":null,"detail":"v1","alpha":"a","zeta":"z"}"#
                + "\n")
    }

    @Test func accessLinesAreDroppedBelowTheirLevel() throws {
        let (logger, log, captured) = Self.logger(level: .error)
        let middleware = AccessLogMiddleware(logger: logger)
        _ = try middleware.run(Request.make(.get, "/ok")) { _ in Response.text("fine") }
        _ = try middleware.run(Request.make(.get, "/broken")) { _ in
            var response = Response.text("down")
            response.status = .internalServerError
            return response
        }
        log.flush()
        let lines = try AccessLogMiddlewareTests.lines(captured)
        #expect(lines.map { $0["path"] as? String } == ["/broken"])
        #expect(lines.first?["level"] as? String == "error")
    }
}

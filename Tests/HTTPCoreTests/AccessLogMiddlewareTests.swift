import Foundation
import Testing

@testable import HTTPCore

@Suite struct AccessLogMiddlewareTests {
    /// A log whose flushed output lands in a recorder, with the timer off.
    static func makeLog() -> (AccessLog, Recorder<[UInt8]>) {
        let captured = Recorder<[UInt8]>()
        let log = AccessLog(flushInterval: .never) { captured.append($0) }
        return (log, captured)
    }

    static func lines(_ captured: Recorder<[UInt8]>) throws -> [[String: Any]] {
        let text = String(decoding: captured.all.joined(), as: UTF8.self)
        #expect(text.hasSuffix("\n"))
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func lineIsJSONWithEveryField() throws {
        let (log, captured) = Self.makeLog()
        var request = Request.make(
            .get, "/v1/meetings/m%201?limit=5",
            headers: ["User-Agent": "curl/8.5 \"quoted\"\n"], requestID: "req-1",
            receivedAt: MonotonicClock.now() - 2_500_000)
        request.remoteAddress = "[::1]:4321"
        _ = try AccessLogMiddleware(log: log).run(request) { _ in
            var response = Response.text("hello")
            response.route = "/v1/meetings/{id}"
            return response
        }
        log.flush()
        let lines = try Self.lines(captured)
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        let ts = try #require(line["ts"] as? String)
        #expect(ts.count == 24 && ts.hasSuffix("Z") && ts.contains("T"))
        #expect(line["level"] as? String == "info")
        #expect(line["request_id"] as? String == "req-1")
        #expect(line["method"] as? String == "GET")
        #expect(line["path"] as? String == "/v1/meetings/m%201")
        #expect(line["route"] as? String == "/v1/meetings/{id}")
        #expect(line["status"] as? Int == 200)
        #expect(line["bytes"] as? Int == 5)
        let duration = try #require(line["duration_ms"] as? Double)
        #expect(duration >= 2.5 && duration < 10_000)
        #expect(line["remote"] as? String == "[::1]:4321")
        #expect(line["user_agent"] as? String == "curl/8.5 \"quoted\"\n")
        // Field order is fixed.
        let raw = String(decoding: captured.all.joined(), as: UTF8.self)
        let keys = [
            "ts", "level", "request_id", "method", "path", "route", "status", "bytes", "duration_ms", "remote",
            "user_agent",
        ]
        let positions = keys.compactMap { raw.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions.count == keys.count && positions == positions.sorted())
    }

    @Test func unknownsAreNull() throws {
        let (log, captured) = Self.makeLog()
        var request = Request.make(.post, "/nowhere")
        request.remoteAddress = ""
        _ = try AccessLogMiddleware(log: log).run(request) { _ in
            Response(status: .notFound, headers: ["Content-Type": "text/plain"], body: .stream { _ in })
        }
        log.flush()
        let line = try #require(try Self.lines(captured).first)
        for key in ["request_id", "route", "bytes", "remote", "user_agent"] {
            #expect(line[key] is NSNull, "\(key)")
        }
        #expect(line["status"] as? Int == 404)
    }

    @Test func thrownErrorsAreLoggedWithTheStatusTheyBecome() throws {
        let (log, captured) = Self.makeLog()
        let middleware = AccessLogMiddleware(log: log)
        #expect(throws: HTTPError.self) {
            try middleware.run(.make()) { _ in throw HTTPError(.conflict, detail: "x") }
        }
        #expect(throws: TestFailure.self) {
            try middleware.run(.make()) { _ in throw TestFailure(description: "boom") }
        }
        log.flush()
        let lines = try Self.lines(captured)
        #expect(lines.map { $0["status"] as? Int } == [409, 500])
        #expect(lines.map { $0["level"] as? String } == ["info", "error"])
    }

    @Test func manyLinesArriveInOrderAcrossThresholdFlushes() throws {
        let (log, captured) = Self.makeLog()
        let middleware = AccessLogMiddleware(log: log)
        for index in 0..<2000 {
            _ = try middleware.run(.make(.get, "/item/\(index)")) { _ in .text("x") }
        }
        log.flush()
        let paths = try Self.lines(captured).map { $0["path"] as? String }
        #expect(paths == (0..<2000).map { "/item/\($0)" })
    }

    @Test func timerFlushesWithoutBeingAsked() async throws {
        let captured = Recorder<[UInt8]>()
        let log = AccessLog(flushInterval: .milliseconds(20)) { captured.append($0) }
        log.append(Array("{}".utf8))
        for _ in 0..<100 where captured.all.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(Array(captured.all.joined()) == Array("{}\n".utf8))
    }

    @Test func fileDescriptorOutputWritesLines() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        do {
            let log = AccessLog(fileDescriptor: fds[1], flushInterval: .never)
            log.append(Array("{\"a\":1}".utf8))
            log.flush()
        }
        close(fds[1])
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(fds[0], &buffer, 64)
        #expect(Array(buffer.prefix(max(count, 0))) == Array("{\"a\":1}\n".utf8))
    }

    @Test(arguments: [
        (0, 0, "1970-01-01T00:00:00.000Z"),
        (1_700_000_000, 999_999_999, "2023-11-14T22:13:20.999Z"),
        (951_782_400, 5_000_000, "2000-02-29T00:00:00.005Z"),
    ])
    func rfc3339Timestamps(seconds: Int, nanoseconds: Int, expected: String) {
        #expect(WallClock.rfc3339(secondsSinceEpoch: seconds, nanoseconds: nanoseconds) == expected)
    }

    @Test(arguments: [
        (0, "0.000"), (999, "0.000"), (1_000, "0.001"), (12_345_678, "12.345"), (2_000_050_000, "2000.050"),
    ])
    func durationFormatting(nanoseconds: UInt64, expected: String) {
        #expect(AccessLogMiddleware.milliseconds(from: 100, to: 100 + nanoseconds) == Array(expected.utf8))
    }
}

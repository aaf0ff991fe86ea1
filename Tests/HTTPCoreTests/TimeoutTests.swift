import HTTPCore
import HTTPTestSupport
import Testing

/// Deadlines over real sockets, on a clock the test moves: each timeout is shown to hold until
/// its moment and to fire once the clock passes it (within one timer tick), with no waiting out
/// of durations. The state machine's tests cover every timeout event by event.
@Suite("Timeouts: slowloris, slow bodies, idle keep-alive, silent connections, lingering")
struct TimeoutTests {
    /// A server whose deadlines run on `clock`: header 10 s, body 30 s, idle 75 s.
    static func configuration(_ clock: ManualClock) -> ServerConfiguration {
        var configuration = ServerConfiguration.test(
            headerTimeout: .seconds(10), bodyTimeout: .seconds(30), idleTimeout: .seconds(75))
        configuration.clock = clock.serverClock
        return configuration
    }

    @Test("a head not complete within headerTimeout gets 408, then a close")
    func slowloris() throws {
        let clock = ManualClock()
        try withTestServer(configuration: Self.configuration(clock), responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("GET /healthz HTTP/1.1\r\nHost: a\r\n")
            try client.expectNothingYet()
            clock.advance(by: .seconds(10) + .milliseconds(1))
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(response.announcesClose)
            client.expectClosed()
        }
    }

    /// Trickling does not extend the deadline: the state machine's tests show it line by line
    /// (a socket test cannot know when the server has read each line).
    @Test("a head completed within headerTimeout is served")
    func headInTime() throws {
        let clock = ManualClock()
        try withTestServer(configuration: Self.configuration(clock), responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("GET /healthz HTTP/1.1\r\n")
            clock.advance(by: .seconds(9))
            try client.send("Host: a\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
    }

    @Test("a body that stalls for bodyTimeout gets 408, then a close")
    func slowBody() throws {
        let clock = ManualClock()
        try withTestServer(configuration: Self.configuration(clock), responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
            try client.expectNothingYet()
            clock.advance(by: .seconds(30) + .milliseconds(1))
            let response = try client.readResponse()
            #expect(response.status == 408)
            client.expectClosed()
        }
    }

    @Test("an idle keep-alive connection is closed after idleTimeout, without a response")
    func idleTimeout() throws {
        let clock = ManualClock()
        try withTestServer(configuration: Self.configuration(clock), responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.expectUsable()
            clock.advance(by: .seconds(75) + .milliseconds(1))
            #expect(client.isClosedByPeer(within: .seconds(2)))
            #expect(client.unreadBytes.isEmpty)
        }
    }

    @Test("each response restarts the idle deadline")
    func idleRestarts() throws {
        let clock = ManualClock()
        try withTestServer(configuration: Self.configuration(clock), responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            for _ in 0..<3 {
                try client.expectUsable()
                clock.advance(by: .seconds(74))
            }
            try client.expectUsable()
        }
    }

    @Test("a new connection that sends nothing is closed after headerTimeout, without a response")
    func silentConnection() throws {
        let clock = ManualClock()
        try withTestServer(configuration: Self.configuration(clock), responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.expectNothingYet()
            clock.advance(by: .seconds(10) + .milliseconds(1))
            #expect(client.isClosedByPeer(within: .seconds(2)))
            #expect(client.unreadBytes.isEmpty)
        }
    }

    /// Closing with unread bytes in the receive queue makes the kernel send a reset, which can
    /// destroy the response before the client reads it; lingering is what prevents that.
    @Test("a client that sends a whole oversized body before reading still reads the 413")
    func responseSurvivesUnreadBody() throws {
        let configuration = ServerConfiguration.test(limits: ParserLimits(maxBodyBytes: 1024))
        try withTestServer(configuration: configuration, responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            let body = [UInt8](repeating: 0x7A, count: 256 * 1024)
            try client.send(
                Array("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.announcesClose)
            client.expectClosed()
        }
    }

    /// RFC 9112 §9.6: after an early response the server shuts its write side and keeps reading
    /// (and discarding) a while, so the client reads the 413 instead of a reset; the body bytes
    /// it goes on sending are never parsed as requests.
    @Test("after an early 413 the server lingers, discards the body, then closes")
    func lingerAfterEarlyResponse() throws {
        let counter = Counter()
        let configuration = ServerConfiguration.test(
            limits: ParserLimits(maxBodyBytes: 1024), lingerTimeout: .milliseconds(300))
        try withTestServer(configuration: configuration, responder: TestRoutes.make(counter: counter)) { server in
            let client = try RawClient.connect(port: server.port)
            let requests = String(repeating: "GET /count HTTP/1.1\r\nHost: a\r\n\r\n", count: 30)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n" + requests)
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.announcesClose)
            let start = ContinuousClock.now
            var brokenAfter: Duration?
            while brokenAfter == nil && ContinuousClock.now - start < .seconds(3) {
                do {
                    try client.send(requests)
                    blockingSleep(.milliseconds(20))
                } catch let error as RawClientError where error.isBrokenConnection {
                    brokenAfter = ContinuousClock.now - start
                }
            }
            let lingered = try #require(brokenAfter, "the server never closed")
            #expect(lingered >= .milliseconds(150), "closed after \(lingered), before the linger ended")
            client.expectClosed()
            #expect(counter.count == 0, "body bytes were parsed as requests")
        }
    }
}

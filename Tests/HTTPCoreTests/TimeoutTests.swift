import HTTPCore
import HTTPTestSupport
import Testing

/// `.test()` timeouts: header 300 ms, body 500 ms, idle 500 ms, linger 200 ms, checked every 25 ms.
@Suite("Timeouts: slowloris, slow bodies, idle keep-alive, silent connections, lingering")
struct TimeoutTests {
    @Test("a head not complete within headerTimeout gets 408, then a close")
    func slowloris() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("GET /healthz HTTP/1.1\r\nHost: a\r\n")
            var response: RawResponse?
            let waited = try elapsed { response = try client.readResponse() }
            #expect(response?.status == 408)
            #expect(response?.announcesClose == true)
            #expect(waited >= .milliseconds(250) && waited < .seconds(2), "408 after \(waited)")
            client.expectClosed()
        }
    }

    /// The header deadline runs from the first byte: trickling bytes does not extend it.
    @Test("trickling a head byte by byte does not reset the header deadline")
    func trickle() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            let bytes =
                Array("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Padding: ".utf8) + [UInt8](repeating: 0x61, count: 100)
            let start = ContinuousClock.now
            for byte in bytes {
                try client.send([byte])
                if client.isClosedByPeer(within: .milliseconds(30)) || !client.unreadBytes.isEmpty { break }
            }
            let response = try client.readResponse()
            #expect(response.status == 408)
            let waited = ContinuousClock.now - start
            #expect(waited < .seconds(1), "408 after \(waited)")
            client.expectClosed()
        }
    }

    @Test("a body that stalls for bodyTimeout gets 408, then a close")
    func slowBody() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
            var response: RawResponse?
            let waited = try elapsed { response = try client.readResponse() }
            #expect(response?.status == 408)
            #expect(waited >= .milliseconds(400) && waited < .seconds(2), "408 after \(waited)")
            client.expectClosed()
        }
    }

    @Test("an idle keep-alive connection is closed after idleTimeout, without a response")
    func idleTimeout() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.expectUsable()
            var closed = false
            let waited = elapsed { closed = client.isClosedByPeer(within: .seconds(2)) }
            #expect(closed)
            #expect(client.unreadBytes.isEmpty)
            #expect(waited >= .milliseconds(400), "closed after \(waited)")
        }
    }

    @Test("each response restarts the idle deadline")
    func idleRestarts() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            for _ in 0..<3 {
                try client.expectUsable()
                blockingSleep(.milliseconds(300))
            }
            try client.expectUsable()
        }
    }

    @Test("a new connection that sends nothing is closed after headerTimeout, without a response")
    func silentConnection() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            var closed = false
            let waited = elapsed { closed = client.isClosedByPeer(within: .seconds(2)) }
            #expect(closed)
            #expect(client.unreadBytes.isEmpty)
            #expect(waited >= .milliseconds(250) && waited < .milliseconds(1500), "closed after \(waited)")
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

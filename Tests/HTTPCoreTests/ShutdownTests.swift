import HTTPCore
import HTTPTestSupport
import Testing

@Suite("Graceful shutdown")
struct ShutdownTests {
    /// Idle connections close at once, the request in flight completes with `Connection: close`,
    /// and new connections are refused.
    @Test("graceful shutdown: idle closed, in-flight finished, new refused")
    func graceful() throws {
        try withTestServer(configuration: .test(shutdownGracePeriod: .seconds(3)), responder: TestRoutes.make()) {
            server in
            let idle = try RawClient.connect(port: server.port)
            try idle.expectUsable()
            let busy = try RawClient.connect(port: server.port)
            try busy.send("GET /slow?ms=300 HTTP/1.1\r\nHost: a\r\n\r\n")
            blockingSleep(.milliseconds(50))

            let shutdown = BackgroundThread { server.shutdown() }
            var idleClosed = false
            let idleWait = elapsed { idleClosed = idle.isClosedByPeer(within: .seconds(1)) }
            #expect(idleClosed)
            #expect(idle.unreadBytes.isEmpty)
            #expect(idleWait < .milliseconds(200), "the idle connection closed after \(idleWait)")

            let response = try busy.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyString == "slow")
            #expect(response.announcesClose)
            busy.expectClosed()

            #expect(shutdown.wait(timeout: .seconds(3)), "shutdown() did not return")
            #expect(server.openConnectionCount == 0)
            do {
                _ = try RawClient.connect(port: server.port)
                Issue.record("a connection was accepted after shutdown")
            } catch let error as RawClientError {
                #expect(error.isConnectionRefused, "\(error)")
            }
        }
    }
}

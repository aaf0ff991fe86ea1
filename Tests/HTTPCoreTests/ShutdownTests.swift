import Dispatch
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

    /// The grace period is measured on the server's clock: moved past it, shutdown stops waiting
    /// for the request in flight and closes its connection.
    @Test("a request still running when the grace period ends is cut off")
    func gracePeriodEnds() throws {
        let clock = ManualClock()
        var configuration = ServerConfiguration.test(shutdownGracePeriod: .seconds(10))
        configuration.clock = clock.serverClock
        let release = DispatchSemaphore(value: 0)
        var router = TestRoutes.make()
        router.get("/block") { _ in
            release.wait()
            return .text("late")
        }
        let server = try HTTPServer(configuration: configuration, responder: router)
        let busy = try RawClient.connect(port: server.port)
        try busy.send("GET /block HTTP/1.1\r\nHost: a\r\n\r\n")
        try busy.expectNothingYet()
        let shutdown = BackgroundThread { server.shutdown() }
        #expect(!busy.isClosedByPeer(within: .milliseconds(60)), "the grace period has not passed")
        clock.advance(by: .seconds(10) + .milliseconds(1))
        busy.expectClosed()
        release.signal()
        #expect(shutdown.wait(timeout: .seconds(3)), "shutdown() did not return")
    }
}

import HTTPCore
import HTTPTestSupport
import Testing

@Suite("maxConnections")
struct ConnectionLimitTests {
    @Test("a connection over the limit gets 503 and a close; the others keep working")
    func overLimit() throws {
        let configuration = ServerConfiguration.test(
            maxConnections: 2, headerTimeout: .seconds(5), idleTimeout: .seconds(5))
        try withTestServer(configuration: configuration, responder: TestRoutes.make()) { server in
            let first = try RawClient.connect(port: server.port)
            try first.expectUsable()
            let second = try RawClient.connect(port: server.port)
            try second.expectUsable()

            let extra = try RawClient.connect(port: server.port)
            let refusal = try extra.readResponse()
            #expect(refusal.status == 503)
            #expect(refusal["Retry-After"] == "1")
            #expect(refusal["Content-Type"] == "application/problem+json")
            #expect(refusal.announcesClose)
            extra.expectClosed()
            extra.close()

            try first.expectUsable()
            try second.expectUsable()

            // Room again once one closes.
            first.close()
            let deadline = ContinuousClock.now + .seconds(2)
            while server.openConnectionCount > 1 && ContinuousClock.now < deadline { blockingSleep(.milliseconds(5)) }
            let later = try RawClient.connect(port: server.port)
            try later.expectUsable()
            try second.expectUsable()
        }
    }
}

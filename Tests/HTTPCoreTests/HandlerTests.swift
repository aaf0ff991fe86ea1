import HTTPCore
import HTTPTestSupport
import Testing

@Suite("Handlers: thrown errors become problems, slow handlers block nobody else")
struct HandlerTests {
    /// A thrown error never leaks internals and never becomes a dropped connection.
    @Test("a handler throwing an unexpected error gives a 500 problem and the connection stays usable")
    func unexpectedError() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            let response = try client.get("/throw")
            #expect(response.status == 500)
            #expect(response["Content-Type"] == "application/problem+json")
            #expect(response.bodyString.contains("\"status\":500"))
            #expect(!response.bodyString.contains("UnexpectedError"))
            #expect(!response.announcesClose)
            try client.expectUsable()
        }
    }

    @Test("a handler throwing HTTPError gets its problem status")
    func httpError() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            let response = try client.get("/conflict")
            #expect(response.status == 409)
            #expect(response["Content-Type"] == "application/problem+json")
            #expect(response.bodyString.contains("\"detail\":\"It clashes.\""))
            try client.expectUsable()
        }
    }

    @Test("a slow handler does not hold up another connection")
    func slowHandler() throws {
        try withTestServer(configuration: .test(workerThreads: 2), responder: TestRoutes.make()) { server in
            let slow = try RawClient.connect(port: server.port)
            try slow.send("GET /slow?ms=1000 HTTP/1.1\r\nHost: a\r\n\r\n")
            blockingSleep(.milliseconds(20))
            let quick = try RawClient.connect(port: server.port)
            var response: RawResponse?
            let waited = try elapsed { response = try quick.get("/healthz") }
            #expect(response?.status == 200)
            #expect(waited < .milliseconds(500), "/healthz took \(waited) behind a slow handler")
            #expect(try slow.readResponse().bodyString == "slow")
        }
    }
}

@Suite("Inline routes answer on the I/O queue")
struct InlineRouteTests {
    /// The point of an inline route: a liveness probe answers even when every worker is taken.
    @Test("an inline route answers while the only worker is busy; a normal route waits for it")
    func inlineAnswersWhileWorkersAreBusy() throws {
        var router = Router()
        router.get("/live", inline: true) { _ in .text("live") }
        router.get("/queued") { _ in .text("queued") }
        router.get("/slow") { _ in
            blockingSleep(.milliseconds(800))
            return .text("slow")
        }
        #expect(router.respondsInline(to: Request(method: .get, target: "/live")))
        #expect(router.respondsInline(to: Request(method: .head, target: "/live")))
        #expect(!router.respondsInline(to: Request(method: .get, target: "/queued")))
        #expect(!router.respondsInline(to: Request(method: .post, target: "/live")))

        try withTestServer(configuration: .test(workerThreads: 1), responder: router) { server in
            let slow = try RawClient.connect(port: server.port)
            try slow.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
            blockingSleep(.milliseconds(50))

            let probe = try RawClient.connect(port: server.port)
            var live: RawResponse?
            let waited = try elapsed { live = try probe.get("/live") }
            #expect(live?.bodyString == "live")
            #expect(waited < .milliseconds(400), "the inline route waited \(waited) for a worker")

            let other = try RawClient.connect(port: server.port)
            var queued: RawResponse?
            let queuedWait = try elapsed { queued = try other.get("/queued") }
            #expect(queued?.bodyString == "queued")
            #expect(queuedWait > .milliseconds(300), "a worker route should have waited behind /slow")
            #expect(try slow.readResponse().bodyString == "slow")
        }
    }
}

import HTTPTestSupport
import Synchronization
import Testing

@testable import HTTPCore

/// Streamed responses to clients that do not read: bounded per address (429) and per server
/// (503), never holding a request worker, and stopped the moment their connection goes.
@Suite("Stream limits: slow readers of a streamed body cost bounded resources and stall nobody")
struct StreamLimitTests {
    /// `/endless` streams 16 KiB pieces until its connection is gone; `stopped` counts the
    /// producers that have returned.
    static func routes(stopped: Counter) -> Router {
        var router = TestRoutes.make()
        router.getStreaming("/endless") { _ in
            Response(
                headers: ["Content-Type": "application/octet-stream"],
                body: .stream { writer in
                    defer { stopped.increment() }
                    let piece = [UInt8](repeating: 0x65, count: 16 * 1024)
                    while true { try writer.write(piece) }
                })
        }
        router.post("/upload", streamedBodyLimit: 1 << 20) { request in
            var total = 0
            let body = request.bodyReader
            while let piece = try body.next() { total += piece.count }
            return .text("\(total)")
        }
        return router
    }

    /// A client that asks for `/endless` and reads only the head, so its producer soon waits.
    static func slowReader(port: Int) throws -> RawClient {
        let client = try RawClient.connect(port: port, receiveBufferSize: 4096)
        try client.send("GET /endless HTTP/1.1\r\nHost: a\r\n\r\n")
        return client
    }

    static func configuration(maxStreams: Int, perClient: Int) -> ServerConfiguration {
        var configuration = ServerConfiguration.test(outboundHighWaterBytes: 64 * 1024)
        configuration.maxStreams = maxStreams
        configuration.maxStreamsPerClient = perClient
        return configuration
    }

    @Test("beyond its share of streams a client gets 429 with Retry-After; beyond the server's, 503")
    func limits() throws {
        let stopped = Counter()
        try withTestServer(
            configuration: Self.configuration(maxStreams: 3, perClient: 2), responder: Self.routes(stopped: stopped)
        ) { server in
            let first = try Self.slowReader(port: server.port)
            let second = try Self.slowReader(port: server.port)
            #expect(try first.readResponse(isHEAD: true).status == 200)
            #expect(try second.readResponse(isHEAD: true).status == 200)
            let third = try RawClient.connect(port: server.port)
            let refused = try third.get("/endless")
            #expect(refused.status == 429)
            #expect(refused["Retry-After"] == "5")
            #expect(refused["Content-Type"] == "application/problem+json")

            first.close()
            second.close()
            #expect(Self.wait { stopped.count == 2 }, "closing the clients stops their producers")
        }
    }

    @Test("a place comes back when its reader leaves, and a full server answers 503")
    func serverCap() throws {
        let stopped = Counter()
        try withTestServer(
            configuration: Self.configuration(maxStreams: 1, perClient: 4), responder: Self.routes(stopped: stopped)
        ) { server in
            let holder = try Self.slowReader(port: server.port)
            #expect(try holder.readResponse(isHEAD: true).status == 200)
            let refused = try RawClient.connect(port: server.port).get("/endless")
            #expect(refused.status == 503)
            #expect(refused["Retry-After"] == "5")
            holder.close()
            #expect(Self.wait { stopped.count == 1 })
            let next = try Self.slowReader(port: server.port)
            #expect(try next.readResponse(isHEAD: true).status == 200)
        }
    }

    @Test("slow readers hold no request worker: other requests are answered meanwhile")
    func workersStayFree() throws {
        let stopped = Counter()
        // Two workers and eight slow streams: were producers on the workers, nothing else would run.
        try withTestServer(
            configuration: Self.configuration(maxStreams: 8, perClient: 8), responder: Self.routes(stopped: stopped)
        ) { server in
            let readers = try (0..<8).map { _ in try Self.slowReader(port: server.port) }
            for reader in readers { #expect(try reader.readResponse(isHEAD: true).status == 200) }
            let client = try RawClient.connect(port: server.port)
            for _ in 0..<5 { #expect(try client.get("/x").status == 200) }
            readers.forEach { $0.close() }
            #expect(Self.wait { stopped.count == 8 })
        }
    }

    @Test("a handler reading its body as it arrives waits on a stream thread, never a request worker")
    func uploadsHoldNoWorker() throws {
        let stopped = Counter()
        var configuration = Self.configuration(maxStreams: 1, perClient: 4)
        configuration.workerThreads = 1
        try withTestServer(configuration: configuration, responder: Self.routes(stopped: stopped)) { server in
            let uploader = try RawClient.connect(port: server.port)
            try uploader.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n01234")
            // The one worker is free while the upload waits for the rest of its body...
            let client = try RawClient.connect(port: server.port)
            #expect(try client.get("/x").status == 200)
            // ...and the upload holds the one stream place.
            try client.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nab")
            #expect(try client.readResponse().status == 503)
            try uploader.send("56789")
            let done = try uploader.readResponse()
            #expect(done.status == 200)
            #expect(done.bodyString == "10")
        }
    }

    /// Polls `condition` for up to two seconds: for what another thread does on its own time.
    static func wait(_ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .seconds(2)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            blockingSleep(.milliseconds(5))
        }
        return condition()
    }
}

@Suite("Stream places: who counts as one client, HEAD, and bodies on reads")
struct StreamPlaceTests {
    @Test("IPv4 counts whole, IPv6 by its /64, an IPv4-mapped address as its IPv4 one")
    func clients() {
        #expect(StreamSlots.client(ofPeer: "10.1.2.3:5000") == "10.1.2.3")
        #expect(StreamSlots.client(ofPeer: "[2001:db8:1:2::1]:5000") == "2001:db8:1:2::/64")
        #expect(StreamSlots.client(ofPeer: "[2001:db8:1:2:ffff::9]:80") == "2001:db8:1:2::/64")
        #expect(StreamSlots.client(ofPeer: "[::ffff:10.1.2.3]:5000") == "10.1.2.3")
    }

    @Test("a HEAD of a streaming route takes no place: the GET after it on the connection streams")
    func headTakesNoPlace() throws {
        let stopped = Counter()
        try withTestServer(
            configuration: StreamLimitTests.configuration(maxStreams: 1, perClient: 1),
            responder: StreamLimitTests.routes(stopped: stopped)
        ) { server in
            let client = try RawClient.connect(port: server.port, receiveBufferSize: 4096)
            try client.send("HEAD /endless HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse(isHEAD: true).status == 200)
            try client.send("HEAD /endless HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse(isHEAD: true).status == 200)
            try client.send("GET /endless HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse(isHEAD: true).status == 200, "no place was left held by the HEADs")
        }
    }

    @Test("a body sent with GET is refused unread")
    func getWithBody() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("GET /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10000000\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(response.announcesClose)
        }
    }
}

@Suite("Gzip cache: one compressed copy per page, never another page's")
struct GzipCacheTests {
    @Test("a hit needs the same tag and the same bytes")
    func sameTagOtherBytes() {
        let cache = GzipCache(capacity: 2, minimumSize: 1)
        var made = 0
        let page: [UInt8] = [1, 2, 3]
        #expect(
            cache.compressed(page, tag: #""t""#) { _ in
                made += 1; return [9]
            } == [9])
        #expect(
            cache.compressed(page, tag: #""t""#) { _ in
                made += 1; return [0]
            } == [9])
        #expect(made == 1, "the page is compressed once")
        let forged: [UInt8] = [4, 5, 6]
        #expect(
            cache.compressed(forged, tag: #""t""#) { _ in
                made += 1; return [8]
            } == [8])
        #expect(made == 2, "bytes with a colliding tag are not served the page's encoding")
    }
}

import HTTPCore
import HTTPTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SIGPIPEs delivered to the process while `StreamingTests.noSIGPIPE` watches.
private let sigpipeCount = Atomic<Int>(0)

@Suite("Streamed responses, backpressure, and peers that vanish mid-response")
struct StreamingTests {
    @Test("a streamed response goes out chunked and the connection stays usable")
    func chunkedStream() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            let response = try client.get("/stream?n=50")
            #expect(response.status == 200)
            #expect(response.wasChunked)
            #expect(response["Transfer-Encoding"] == "chunked")
            #expect(response["Content-Length"] == nil)
            #expect(response.bodyString == TestRoutes.stream(50))
            try client.expectUsable()
        }
    }

    /// RFC 9112 §6.3: HTTP/1.0 has no chunked coding; the body ends with the connection.
    @Test("an HTTP/1.0 client gets a close-delimited stream")
    func http10Stream() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("GET /stream?n=20 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(!response.wasChunked)
            #expect(response["Transfer-Encoding"] == nil)
            #expect(response["Content-Length"] == nil)
            #expect(response.announcesClose)
            #expect(response.bodyString == TestRoutes.stream(20))
            #expect(client.peerClosed)
        }
    }

    /// The only honest signal left once the head is out: no last chunk, so the client sees a
    /// truncated body rather than a complete one.
    @Test("a producer that fails mid-stream ends the connection without the last chunk")
    func failingProducer() throws {
        var router = TestRoutes.make()
        router.get("/fails") { _ in
            Response(
                body: .stream { writer in
                    try writer.write(Array("partial".utf8))
                    throw TestRoutes.UnexpectedError()
                })
        }
        try withTestServer(responder: router) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("GET /fails HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(throws: RawClientError.self) { try client.readResponse() }
            #expect(client.peerClosed)
            try RawClient.connect(port: server.port).expectUsable()
        }
    }

    /// A client that stops reading must stall the producer (bounded by the high-water mark and
    /// the socket buffers), not grow the server's memory by the size of the response; and when
    /// it goes away, the blocked producer must learn so.
    @Test("a client that does not read blocks the producer; closing it fails the producer's write")
    func backpressure() throws {
        let chunk = [UInt8](repeating: 0x61, count: 64 * 1024)
        let totalChunks = 200 * 1024 * 1024 / chunk.count
        let written = Counter()
        let failures = Counter()
        var router = TestRoutes.make()
        router.get("/flood") { _ in
            Response(
                headers: ["Content-Type": "application/octet-stream"],
                body: .stream { writer in
                    do {
                        for _ in 0..<totalChunks {
                            try writer.write(chunk)
                            written.increment()
                        }
                    } catch {
                        failures.increment()
                        throw error
                    }
                })
        }
        let configuration = ServerConfiguration.test(writeTimeout: .seconds(30), outboundHighWaterBytes: 256 * 1024)
        try withTestServer(configuration: configuration, responder: router) { server in
            let client = try RawClient.connect(port: server.port, receiveBufferSize: 64 * 1024)
            try client.send("GET /flood HTTP/1.1\r\nHost: a\r\n\r\n")
            blockingSleep(.milliseconds(400))
            let settled = written.count
            blockingSleep(.milliseconds(300))
            let later = written.count
            // 256 KiB high water + kernel buffers (a few MiB on loopback) ≈ tens of chunks, not 3,200.
            #expect(later < 160, "\(later) chunks of 64 KiB written to a client that reads nothing")
            #expect(later - settled <= 2, "the producer kept going: \(settled) then \(later) chunks")
            #expect(failures.count == 0)

            client.close()
            let deadline = ContinuousClock.now + .seconds(3)
            while failures.count == 0 && ContinuousClock.now < deadline { blockingSleep(.milliseconds(10)) }
            #expect(failures.count == 1, "the blocked producer's write never threw after the client closed")
            #expect(written.count < totalChunks)
            try RawClient.connect(port: server.port).expectUsable()
        }
    }

    @Test(
        "EINTR is retried by every socket call",
        .disabled("a signal cannot be made to land inside a given system call from a test; SocketIO retries EINTR"))
    func eintr() {}

    /// Writing to a peer that has gone raises SIGPIPE unless the server passes MSG_NOSIGNAL
    /// (or ignores the signal); the default action would end the whole process.
    @Test(
        "a client that closes during a 5 MB response neither kills nor disturbs the server",
        arguments: [false, true])
    func noSIGPIPE(resetInsteadOfClose: Bool) throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            // Count instead of ignore while this test runs, to see whether any write raised it.
            signal(SIGPIPE) { _ in sigpipeCount.add(1, ordering: .relaxed) }
            defer { signal(SIGPIPE, SIG_IGN) }
            let before = sigpipeCount.load(ordering: .relaxed)
            for _ in 0..<3 {
                let client = try RawClient.connect(port: server.port)
                try client.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n")
                if resetInsteadOfClose {
                    blockingSleep(.milliseconds(30))
                    client.reset()
                } else {
                    client.close()
                }
            }
            blockingSleep(.milliseconds(200))
            #expect(sigpipeCount.load(ordering: .relaxed) == before)
            let client = try RawClient.connect(port: server.port)
            try client.expectUsable()
            let big = try client.get("/big")
            #expect(big.body.count == 5 * 1024 * 1024)
        }
    }
}

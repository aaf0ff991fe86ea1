import HTTPCore
import HTTPTestSupport
import Synchronization
import Testing

/// Routes registered with `streamedBodyLimit` read their body while it arrives, under their own
/// limit; everything else about framing, limits and timeouts still holds.
@Suite("Streamed request bodies")
struct StreamedRequestBodyTests {
    /// The server's own body limit is 1 KiB; `/upload` streams up to 1 MiB and answers
    /// `<bytes> <largest piece>`; `/reject` answers 401 without reading.
    static func routes(seenError: SeenError = SeenError()) -> any Responder {
        var router = Router()
        router.get("/healthz") { _ in .text("ok") }
        router.post("/upload", streamedBodyLimit: 1 << 20) { request in
            let reader = request.bodyReader
            var total = 0
            var largest = 0
            do {
                while let piece = try reader.next() {
                    total += piece.count
                    largest = max(largest, piece.count)
                }
            } catch let error as HTTPError {
                seenError.value.withLock { $0 = "\(error.problem.status.code)" }
                throw error
            }
            return .text("\(total) \(largest)")
        }
        router.post("/reject", streamedBodyLimit: 1 << 20) { _ in
            throw HTTPError(.unauthorized, detail: "no")
        }
        router.post("/buffered") { request in .text("\(request.body.count)") }
        return router.wrapped(in: [ProblemMiddleware(), RequestDecompressionMiddleware(maxBodyBytes: 1024)])
    }

    static let configuration = ServerConfiguration.test(limits: ParserLimits(maxBodyBytes: 1024))

    static func post(_ path: String, _ body: [UInt8], headers: String = "") -> [UInt8] {
        Array("POST \(path) HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.count)\r\n\(headers)\r\n".utf8) + body
    }

    static func chunked(_ body: [UInt8], pieceSize: Int) -> [UInt8] {
        var out: [UInt8] = []
        var start = 0
        while start < body.count {
            let end = min(start + pieceSize, body.count)
            out += Array("\(String(end - start, radix: 16))\r\n".utf8) + body[start..<end] + Array("\r\n".utf8)
            start = end
        }
        return out + Array("0\r\n\r\n".utf8)
    }

    @Test("a Content-Length body past the server's limit streams to the route, then the connection goes on")
    func lengthBody() throws {
        try withTestServer(configuration: Self.configuration, responder: Self.routes()) { server in
            let client = try RawClient.connect(port: server.port)
            let body = [UInt8](repeating: 0x61, count: 600_000)
            try client.send(Self.post("/upload", body))
            let response = try client.readResponse()
            #expect(response.status == 200)
            let parts = response.bodyString.split(separator: " ").compactMap { Int($0) }
            #expect(parts.first == 600_000)
            // Delivered in pieces, never as one 600 kB buffer.
            #expect((parts.last ?? .max) < 600_000)
            try client.expectUsable()
        }
    }

    @Test("a chunked body streams, and other routes keep the server's limit")
    func chunkedBody() throws {
        try withTestServer(configuration: Self.configuration, responder: Self.routes()) { server in
            let client = try RawClient.connect(port: server.port)
            let body = [UInt8](repeating: 0x62, count: 300_000)
            try client.send(
                Array("POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
                    + Self.chunked(body, pieceSize: 7000))
            let response = try client.readResponse()
            #expect(response.bodyString.hasPrefix("300000 "))
            try client.expectUsable()

            let other = try RawClient.connect(port: server.port)
            try other.send(Self.post("/buffered", [UInt8](repeating: 0x61, count: 2000)))
            #expect(try other.readResponse().status == 413)
        }
    }

    @Test("a gzip body is decoded while it is read, held to the route's limit")
    func gzipBody() throws {
        try withTestServer(configuration: Self.configuration, responder: Self.routes()) { server in
            let client = try RawClient.connect(port: server.port)
            let plain = Array(String(repeating: "{\"type\":\"actor\"}\n", count: 20_000).utf8)
            try client.send(
                Self.post("/upload", try GzipEncoder.compress(plain), headers: "Content-Encoding: gzip\r\n"))
            #expect(try client.readResponse().bodyString.hasPrefix("\(plain.count) "))
            try client.expectUsable()

            let bomb = try GzipEncoder.compress([UInt8](repeating: 0, count: 2 << 20))
            let second = try RawClient.connect(port: server.port)
            try second.send(Self.post("/upload", bomb, headers: "Content-Encoding: gzip\r\n"))
            #expect(try second.readResponse().status == 413)

            let third = try RawClient.connect(port: server.port)
            try third.send(Self.post("/upload", Array("not gzip".utf8), headers: "Content-Encoding: gzip\r\n"))
            #expect(try third.readResponse().status == 400)
        }
    }

    @Test("past the route's limit: 413 before reading a declared length, and mid-body for chunks")
    func overLimit() throws {
        let seen = SeenError()
        try withTestServer(configuration: Self.configuration, responder: Self.routes(seenError: seen)) { server in
            let declared = try RawClient.connect(port: server.port)
            try declared.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: \(2 << 20)\r\n\r\n")
            #expect(try declared.readResponse().status == 413)

            let chunked = try RawClient.connect(port: server.port)
            try chunked.send(
                Array("POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
                    + Self.chunked([UInt8](repeating: 0x61, count: (1 << 20) + 10), pieceSize: 65536))
            let response = try chunked.readResponse()
            #expect(response.status == 413)
            #expect(response.announcesClose)
            #expect(seen.value.withLock { $0 } == "413")
        }
    }

    @Test("an answer before the body is read closes the connection; 100 Continue only once the body is read")
    func earlyAnswer() throws {
        try withTestServer(configuration: Self.configuration, responder: Self.routes()) { server in
            let rejected = try RawClient.connect(port: server.port)
            try rejected.send(
                "POST /reject HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n")
            let response = try rejected.readResponse()
            #expect(response.status == 401)
            #expect(response.announcesClose)

            let reading = try RawClient.connect(port: server.port)
            try reading.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n")
            #expect(try reading.readResponse().status == 100)
            try reading.send([UInt8](repeating: 0x61, count: 5000))
            #expect(try reading.readResponse().bodyString.hasPrefix("5000 "))
        }
    }

    @Test("a body cut short (peer half-closes) or stalled (timeout) fails the handler's read")
    func brokenBody() throws {
        let seen = SeenError()
        try withTestServer(configuration: Self.configuration, responder: Self.routes(seenError: seen)) { server in
            let halfClosed = try RawClient.connect(port: server.port)
            try halfClosed.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\nabc")
            halfClosed.shutdownWrite()
            #expect(try halfClosed.readResponse().status == 400)
            #expect(seen.value.withLock { $0 } == "400")

            let stalled = try RawClient.connect(port: server.port)
            try stalled.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\nabc")
            let response = try stalled.readResponse()
            #expect(response.status == 408)
            #expect(response.announcesClose)
        }
    }
}

/// The status of the error a handler's read threw, if any.
final class SeenError: Sendable {
    let value = Mutex<String?>(nil)
}

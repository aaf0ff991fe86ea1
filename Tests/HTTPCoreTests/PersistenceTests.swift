import HTTPCore
import HTTPTestSupport
import Testing

@Suite("Persistence: keep-alive, Connection: close, pipelining, requests split anywhere")
struct PersistenceTests {
    /// RFC 9112 §9.3: HTTP/1.1 connections persist unless either side says close.
    @Test("HTTP/1.1 keeps the connection alive by default")
    func keepAliveByDefault() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            for index in 0..<3 {
                let response = try client.get("/items/\(index)")
                #expect(response.status == 200)
                #expect(response.bodyString == "\(index)")
                #expect(response["Connection"] == nil)
            }
            #expect(!client.isClosedByPeer(within: .milliseconds(50)))
            try client.expectUsable()
        }
    }

    @Test("HTTP/1.0 closes by default")
    func http10Closes() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("GET /healthz HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.announcesClose)
            client.expectClosed()
        }
    }

    /// RFC 9112 §9.3 and RFC 2068 §19.7.1: a 1.0 client asks with `Connection: keep-alive`, and
    /// must be told the connection stays open.
    @Test("HTTP/1.0 with Connection: keep-alive stays open and says so")
    func http10KeepAlive() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            for _ in 0..<2 {
                try client.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response["Connection"]?.lowercased() == "keep-alive")
            }
            try client.send("GET /healthz HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            try client.expectUsable()
        }
    }

    @Test("the client's Connection: close is answered with Connection: close, then the server closes")
    func clientClose() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            let response = try client.get("/healthz", "Connection: close")
            #expect(response.status == 200)
            #expect(response.announcesClose)
            client.expectClosed()
        }
    }

    @Test("a handler's Connection: close closes the connection")
    func handlerClose() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("GET /close HTTP/1.1\r\nHost: a\r\n\r\nGET /count HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.bodyString == "bye")
            #expect(response.values(of: "Connection") == ["close"])
            client.expectClosed()
        }
    }

    /// RFC 9112 is a byte stream: a request may arrive in as many reads as it has bytes.
    @Test("a request sent one byte at a time")
    func byteByByte() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            let get = Array("GET /target?q=1 HTTP/1.1\r\nHost: test\r\n\r\n".utf8)
            try client.send(get, inPiecesOf: 1, pause: .milliseconds(2))
            let response = try client.readResponse()
            #expect(response.bodyString == "GET /target?q=1 path=/target")

            let post = Array(
                "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n"
                    .utf8)
            try client.send(post, inPiecesOf: 1, pause: .milliseconds(1))
            let echoed = try client.readResponse()
            #expect(echoed.status == 200)
            #expect(echoed.bodyString == "abc")
            try client.expectUsable()
        }
    }

    @Test("pipelined requests in one write are answered in order")
    func pipelined() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send(
                "GET /slow?ms=50 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /items/3 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "PUT /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
                    + "GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /x HTTP/1.1\r\nHost: a\r\n\r\n")
            let responses = try (0..<6).map { _ in try client.readResponse() }
            #expect(responses.map(\.status) == [200, 200, 200, 200, 404, 200])
            #expect(responses.map(\.bodyString).prefix(4) == ["slow", "hello", "3", "hi"])
            #expect(responses[5].bodyString == "x")
            #expect(client.readAvailable(timeout: .milliseconds(50)).isEmpty)
            try client.expectUsable()
        }
    }

    @Test("a hundred pipelined requests are all answered, in order")
    func manyPipelined() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send((0..<100).map { "GET /items/\($0) HTTP/1.1\r\nHost: a\r\n\r\n" }.joined())
            let bodies = try (0..<100).map { _ in try client.readResponse().bodyString }
            #expect(bodies == (0..<100).map(String.init))
            try client.expectUsable()
        }
    }

    /// A client may send its requests and shut its write side (`nc -q`, `printf | nc`): every
    /// complete request it sent still gets its answer.
    @Test("pipelined requests followed by a half-close are all answered, then the server closes")
    func pipelinedThenHalfClose() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send(
                "GET /slow?ms=50 HTTP/1.1\r\nHost: a\r\n\r\nGET /items/2 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /items/3 HTTP/1.1\r\nHost: a\r\n\r\n")
            client.shutdownWrite()
            let responses = try (0..<3).map { _ in try client.readResponse() }
            #expect(responses.map(\.bodyString) == ["slow", "2", "3"])
            #expect(responses.last?.announcesClose == true)
            client.expectClosed()
        }
    }

    /// Once a write fails the connection is gone; the requests queued behind it must not run,
    /// and above all must not write to a descriptor that is closed and may belong to another
    /// client by then.
    @Test("a failed write ends the connection: pipelined requests behind it are never handled")
    func failedWriteStopsPipeline() throws {
        let counter = Counter()
        // Small limits so a modest pipeline fills the input cap and the server stops reading:
        // the reset then goes unnoticed until the first response is written.
        let limits = ParserLimits(maxRequestLineBytes: 256, maxHeaderBytes: 1024, maxHeaderCount: 8, maxBodyBytes: 1024)
        try withTestServer(configuration: .test(limits: limits), responder: TestRoutes.make(counter: counter)) {
            server in
            let client = try RawClient.connect(port: server.port)
            let pipeline =
                "GET /slow?ms=300 HTTP/1.1\r\nHost: a\r\n\r\n"
                + String(repeating: "GET /count HTTP/1.1\r\nHost: a\r\n\r\n", count: 4000)
            try client.send(pipeline)
            blockingSleep(.milliseconds(50))
            client.reset()
            blockingSleep(.milliseconds(600))
            #expect(counter.count == 0, "requests were handled on a connection that had failed")
            try RawClient.connect(port: server.port).expectUsable()
        }
    }
}

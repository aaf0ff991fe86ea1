import HTTPCore
import HTTPTestSupport
import Testing

@Suite("Message bodies, Expect: 100-continue, request-target forms, HEAD")
struct MessageBodyTests {
    static let limits = ParserLimits(maxBodyBytes: 1024)

    @Test("a Content-Length body is read whole")
    func contentLength() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello")
            blockingSleep(.milliseconds(20))
            try client.send(" world")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyString == "hello world")
            #expect(response["Content-Length"] == "11")
            try client.expectUsable()
        }
    }

    /// RFC 9112 §7.1.1, §7.1.2: chunk extensions and trailer fields are accepted and ignored.
    @Test("a chunked body with extensions and trailers is de-chunked")
    func chunked() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send(
                "PUT /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=value\r\nhello\r\n1;quoted=\"a b\"\r\n \r\nA\r\n0123456789\r\n"
                    + "0;end\r\nX-Checksum: 1\r\nX-More: 2\r\n\r\n"
            )
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response["X-Method"] == "PUT")
            #expect(response.bodyString == "hello 0123456789")
            #expect(response["X-Checksum"] == nil)
            try client.expectUsable()
        }
    }

    /// RFC 9110 §10.1.1: the server sends 100 (Continue) when it intends to read the body.
    @Test("Expect: 100-continue gets 100 Continue before the body is sent")
    func expectContinue() throws {
        try withTestServer(configuration: .test(limits: Self.limits), responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            let interim = try client.readResponse()
            #expect(interim.status == 100)
            #expect(interim.raw == Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            try client.send("hello")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyString == "hello")
            try client.expectUsable()
        }
    }

    /// RFC 9110 §10.1.1: a server that will not read the body answers with the final status
    /// instead of 100; the client then does not send it.
    @Test("Expect: 100-continue with a declared length over the limit gets 413, no 100, and a close")
    func expectContinueTooLarge() throws {
        try withTestServer(configuration: .test(limits: Self.limits), responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1025\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response["Content-Type"] == "application/problem+json")
            #expect(response.announcesClose)
            client.expectClosed()
        }
    }

    @Test("Expect: 100-continue with the body already sent gets no 100")
    func expectContinueBodyAlreadySent() throws {
        try withTestServer(configuration: .test(limits: Self.limits), responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyString == "hi")
            try client.expectUsable()
        }
    }

    /// RFC 9112 §3.2.2: a server MUST accept the absolute-form; the authority is not the path.
    @Test("an absolute-form target is routed by its path")
    func absoluteForm() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("GET http://localhost/healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let health = try client.readResponse()
            #expect(health.status == 200)
            #expect(health.bodyString == "ok")
            try client.send("GET http://localhost:8080/target?a=b HTTP/1.1\r\nHost: localhost:8080\r\n\r\n")
            #expect(try client.readResponse().bodyString == "GET http://localhost:8080/target?a=b path=/target")
            try client.expectUsable()
        }
    }

    /// RFC 9110 §9.3.7: OPTIONS * asks about the server as a whole.
    @Test("OPTIONS * answers 204 with Allow")
    func optionsAsterisk() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 204)
            #expect(response["Content-Length"] == nil)
            #expect(response.body.isEmpty)
            let allow = Set(response["Allow"]?.split(separator: ",").map { $0.trimmingHTTPWhitespace() } ?? [])
            #expect(allow.isSuperset(of: ["GET", "HEAD", "POST", "OPTIONS"]))
            try client.expectUsable()
        }
    }

    /// RFC 9110 §9.3.2: HEAD is GET without the content, headers included.
    @Test("HEAD returns GET's headers and no body, and the connection stays in step")
    func head() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            let get = try client.get("/items/abcdef")
            try client.send("HEAD /items/abcdef HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n")
            let head = try client.readResponse(isHEAD: true)
            #expect(head.status == 200)
            #expect(head["Content-Length"] == get["Content-Length"])
            #expect(head["Content-Length"] == "6")
            #expect(head["Content-Type"] == get["Content-Type"])
            #expect(head.body.isEmpty)
            // Had the server sent a body, this response would start inside it.
            let next = try client.readResponse()
            #expect(next.status == 200)
            #expect(next.bodyString == "x")
            try client.expectUsable()
        }
    }

    @Test("HEAD of a streamed resource sends no body and no chunks")
    func headOfStream() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("HEAD /stream HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n")
            let head = try client.readResponse(isHEAD: true)
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(try client.readResponse().bodyString == "x")
            try client.expectUsable()
        }
    }
}

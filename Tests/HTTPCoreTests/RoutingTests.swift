import HTTPCore
import HTTPTestSupport
import Testing

@Suite("Routing over a socket: 404, 405 with Allow, 501, percent-decoding")
struct RoutingTests {
    @Test("an unknown path is 404 and the connection stays usable")
    func notFound() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            let response = try client.get("/nowhere")
            #expect(response.status == 404)
            #expect(response["Content-Type"] == "application/problem+json")
            #expect(response.bodyString.contains("\"status\":404"))
            #expect(!response.announcesClose)
            try client.expectUsable()
        }
    }

    /// RFC 9110 §15.5.6: a 405 response MUST carry Allow.
    @Test("a known path with another method is 405 with Allow")
    func methodNotAllowed() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("DELETE /echo HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 405)
            #expect(response["Allow"] == "POST, PUT, OPTIONS")
            try client.send("POST /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
            let other = try client.readResponse()
            #expect(other.status == 405)
            #expect(other["Allow"] == "GET, HEAD, OPTIONS")
            try client.expectUsable()
        }
    }

    /// RFC 9110 §15.5.6: content on a GET does not make a path answer GET. Found by schemathesis'
    /// `unsupported_method` check: `GET /v1/import` with a body was a 400, not the 405.
    @Test("a GET with content is 404 or 405 where a GET without is, and 400 only on a GET route")
    func contentOnGET() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("GET /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyz")
            let notAllowed = try client.readResponse()
            #expect(notAllowed.status == 405)
            #expect(notAllowed["Allow"] == "POST, PUT, OPTIONS")
            let other = try RawClient.connect(port: server.port)
            try other.send("GET /nowhere HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyz")
            #expect(try other.readResponse().status == 404)
            let third = try RawClient.connect(port: server.port)
            try third.send("GET /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyz")
            #expect(try third.readResponse().status == 400)
        }
    }

    /// RFC 9110 §9.1: an unknown method is 501; the core rejects it before any handler.
    @Test("an unknown method is 501, then the connection closes", arguments: ["FOO", "CONNECT"])
    func notImplemented(_ method: String) throws {
        let counter = Counter()
        try withTestServer(responder: TestRoutes.make(counter: counter)) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("\(method) /count HTTP/1.1\r\nHost: a\r\n\r\nGET /count HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 501)
            #expect(response.announcesClose)
            client.expectClosed()
            #expect(counter.count == 0)
        }
    }

    /// RFC 9110 §15.5.6: TRACE is a method we recognise but no resource allows: 405 with Allow,
    /// and the connection stays usable.
    @Test(arguments: ["TRACE", "QUERY"])
    func recognisedButUnsupportedMethodIsNotAllowed(_ method: String) throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("\(method) /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 405)
            #expect(response["Allow"] == "GET, HEAD, OPTIONS")
            try client.expectUsable()
        }
    }

    @Test(
        "path parameters are percent-decoded",
        arguments: [
            ("/items/a%20b", "a b"), ("/items/%C3%A9t%C3%A9", "été"), ("/items/a%2Fb", "a/b"),
            ("/items/plus+sign", "plus+sign"),
        ])
    func percentDecoded(_ path: String, _ expected: String) throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            let response = try client.get(path)
            #expect(response.status == 200)
            #expect(response.bodyString == expected)
        }
    }

    /// A malformed escape must never be read as some other path.
    @Test("bad percent-encoding in the path is 400", arguments: ["/items/%zz", "/items/%2", "/items/%", "/items/%FF"])
    func badPercentEncoding(_ path: String) throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            let response = try client.get(path)
            #expect(response.status == 400)
            #expect(response["Content-Type"] == "application/problem+json")
            try client.expectUsable()
        }
    }
}

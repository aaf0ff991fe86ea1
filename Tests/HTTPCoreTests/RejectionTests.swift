import HTTPCore
import HTTPTestSupport
import Testing

@Suite("Rejections over a socket: the right status, a close, and nothing smuggled")
struct RejectionTests {
    /// A complete, valid request sent right behind each invalid one. If the server ever
    /// answered it, the invalid request's framing would have been trusted (RFC 9112 §11.2).
    static let smuggled = "GET /count HTTP/1.1\r\nHost: a\r\n\r\n"

    @Test("every invalid vector is rejected with its status and the connection closes", arguments: ParserVector.invalid)
    func rejected(_ vector: ParserVector) throws {
        guard case .failure(let status, let after) = vector.expectation else { return }
        let counter = Counter()
        let configuration = ServerConfiguration.test(limits: ParserVector.limits)
        try withTestServer(configuration: configuration, responder: TestRoutes.make(counter: counter)) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send(vector.bytes + Array(Self.smuggled.utf8))
            for _ in 0..<after {
                let earlier = try client.readResponse()
                #expect(!earlier.announcesClose)
            }
            let response = try client.readResponse()
            #expect(response.status == status)
            #expect(response["Content-Type"] == "application/problem+json")
            #expect(response.bodyString.contains("\"status\":\(status)"))
            #expect(response["X-Request-Id"]?.isEmpty == false)
            #expect(response.announcesClose)
            client.expectClosed()
            #expect(counter.count == 0, "the request behind the invalid one was handled")
        }
    }

    /// The classic CL.TE smuggle, spelled out: the front end would see one request, a server
    /// trusting Content-Length would see two.
    @Test("Content-Length with Transfer-Encoding: 400, close, and the smuggled request is not answered")
    func smuggling() throws {
        let counter = Counter()
        try withTestServer(responder: TestRoutes.make(counter: counter)) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send(
                "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\nGET /count HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(response.announcesClose)
            client.expectClosed()
            #expect(counter.count == 0)
        }
    }
}

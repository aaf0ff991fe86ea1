import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

/// A request that will be refused is decided from its head: its body is never read, and
/// `100 Continue` goes only to a request that will be read.
@Suite("Admission: strangers' bodies are never read")
struct AdmissionTests {
    static let head10MB =
        "POST /v1/actors HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n"

    @Test("a key-less 10 MB POST is answered 401 from its head, and the connection closes")
    func keylessLargeBody() throws {
        try WritingClient.with { writer, _ in
            let client = try RawClient.connect(port: writer.server.port)
            try client.send(Self.head10MB + "\r\n")
            let response = try client.readResponse()
            #expect(response.status == 401)
            #expect(response.announcesClose)
        }
    }

    @Test("an unknown key is refused before the body too")
    func unknownKey() throws {
        try WritingClient.with { writer, _ in
            let client = try RawClient.connect(port: writer.server.port)
            try client.send(Self.head10MB + "Authorization: Bearer not-a-key\r\n\r\n")
            #expect(try client.readResponse().status == 401)
        }
    }

    @Test("Expect: 100-continue without credentials gets the 401, never 100 Continue")
    func noContinueForStrangers() throws {
        try WritingClient.with { writer, _ in
            let client = try RawClient.connect(port: writer.server.port)
            try client.send(Self.head10MB + "Expect: 100-continue\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 401)
        }
    }

    @Test("Expect: 100-continue with a valid key gets 100 Continue, then the answer")
    func continueForKeys() throws {
        try WritingClient.with { writer, _ in
            let body =
                #"{"id":"a-b","kind":"person","name":"A B","aliases":[],"country":"KH","description":null,"roles":[]}"#
            let client = try RawClient.connect(port: writer.server.port)
            try client.send(
                "POST /v1/actors HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer \(writer.token)\r\nExpect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
            )
            #expect(try client.readResponse().status == 100)
            try client.send(body)
            let created = try client.readResponse()
            #expect(created.status == 201, "\(created.bodyString)")
        }
    }

    @Test("a body in another charset is refused 415 from the head, with a valid key")
    func charsetFromHead() throws {
        try WritingClient.with { writer, _ in
            let client = try RawClient.connect(port: writer.server.port)
            try client.send(
                "POST /v1/actors HTTP/1.1\r\nHost: a\r\nContent-Type: application/json; charset=latin1\r\n"
                    + "Authorization: Bearer \(writer.token)\r\nContent-Length: 10000000\r\n\r\n")
            #expect(try client.readResponse().status == 415)
        }
    }

    @Test("a refused small body is dropped and the connection serves the next request")
    func smallRefusedBodyKeepsConnection() throws {
        try WritingClient.with { writer, _ in
            let body = #"{"id":"a-b"}"#
            let client = try RawClient.connect(port: writer.server.port)
            try client.send(
                "POST /v1/actors HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
                    + body + "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
            let refused = try client.readResponse()
            #expect(refused.status == 401)
            #expect(!refused.announcesClose)
            #expect(try client.readResponse().status == 200)
        }
    }

    @Test("a POST to an unknown path or with a wrong method is refused from its head")
    func routeFromHead() throws {
        try WritingClient.with { writer, _ in
            let client = try RawClient.connect(port: writer.server.port)
            try client.send("POST /v1/nothing HTTP/1.1\r\nHost: a\r\nContent-Length: 10000000\r\n\r\n")
            #expect(try client.readResponse().status == 404)
            let other = try RawClient.connect(port: writer.server.port)
            try other.send("POST /v1/countries HTTP/1.1\r\nHost: a\r\nContent-Length: 10000000\r\n\r\n")
            let response = try other.readResponse()
            #expect(response.status == 405)
            #expect(response["Allow"] != nil)
        }
    }

    @Test("a request refused from its head still spends its rate-limit budget")
    func refusalsAreCharged() throws {
        let limits = RateLimitConfiguration(writes: RateLimitBudget(quota: 2, window: 3600))
        try withAPIServer(configuration: APIConfiguration(rateLimits: limits)) { server, _, _ in
            var statuses: [Int] = []
            for _ in 0..<3 {
                let client = try RawClient.connect(port: server.port)
                try client.send(Self.head10MB + "\r\n")
                statuses.append(try client.readResponse().status)
            }
            #expect(statuses == [401, 401, 429])
        }
    }
}

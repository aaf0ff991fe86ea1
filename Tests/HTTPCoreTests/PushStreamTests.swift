import HTTPTestSupport
import Synchronization
import Testing

@testable import HTTPCore

/// Pushed bodies (`ResponseBody.push`): fed from outside the connection with no thread of their
/// own, chunked, ended cleanly by their feeder or by draining, and refused once the client has gone.
@Suite("Pushed bodies (Server-Sent Events' transport)")
struct PushStreamTests {
    /// Holds the streams `/push` hands over, for the test to feed.
    final class Streams: Sendable {
        private let streams = Mutex<[PushStream]>([])

        func add(_ stream: PushStream) { streams.withLock { $0.append(stream) } }

        /// The `index`th stream handed over, waiting up to `timeout` for it.
        func wait(for index: Int = 0, timeout: Duration = .seconds(3)) throws -> PushStream {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if let stream = streams.withLock({ $0.count > index ? $0[index] : nil }) { return stream }
                blockingSleep(.milliseconds(2))
            }
            throw PushTestFailure("no stream was handed over")
        }
    }

    struct PushTestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func routes(_ streams: Streams) -> Router {
        var router = TestRoutes.make()
        router.get("/push") { _ in
            Response(headers: ["Content-Type": "text/event-stream"], body: .push { streams.add($0) })
        }
        return router
    }

    /// Polls `condition` until it holds or `timeout` passes.
    static func eventually(_ timeout: Duration = .seconds(3), _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            blockingSleep(.milliseconds(5))
        }
        return condition()
    }

    @Test("pieces go out chunked as they are sent; finish ends the body, then the connection closes")
    func pushThenFinish() throws {
        let streams = Streams()
        try withTestServer(responder: Self.routes(streams)) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("GET /push HTTP/1.1\r\nHost: test\r\n\r\n")
            let stream = try streams.wait()
            #expect(stream.isOpen)
            #expect(stream.hasRoom)
            #expect(stream.send(Array("data: one\n\n".utf8)))
            let first = String(decoding: client.readAvailable(timeout: .milliseconds(200)), as: UTF8.self)
            #expect(first.hasPrefix("HTTP/1.1 200"))
            #expect(first.contains("Transfer-Encoding: chunked"))
            // A pushed body never ends by itself: its connection is not kept for reuse, so a
            // browser leaving the page drops it at once rather than draining it.
            #expect(first.contains("Connection: close"))
            #expect(first.hasSuffix("\r\n\r\nb\r\ndata: one\n\n\r\n"), "\(first.debugDescription)")
            #expect(stream.send([]), "an empty piece sends nothing and says the stream is open")
            #expect(stream.send(Array("data: two\n\n".utf8)))
            stream.finish()
            #expect(!stream.isOpen)
            #expect(!stream.send(Array("late".utf8)), "nothing goes out after the end")
            let rest = String(decoding: client.readAvailable(timeout: .milliseconds(200)), as: UTF8.self)
            #expect(rest == "b\r\ndata: two\n\n\r\n0\r\n\r\n")
            stream.finish()
            #expect(try client.readUntilClose().isEmpty, "the last chunk, then the close")
        }
    }

    @Test("an HTTP/1.0 client gets a close-delimited pushed body, closed at its end")
    func http10() throws {
        let streams = Streams()
        try withTestServer(responder: Self.routes(streams)) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("GET /push HTTP/1.0\r\n\r\n")
            let stream = try streams.wait()
            #expect(stream.send(Array("data: x\n\n".utf8)))
            stream.finish()
            let all = String(decoding: try client.readUntilClose(), as: UTF8.self)
            #expect(all.hasSuffix("\r\n\r\ndata: x\n\n"), "\(all.debugDescription)")
            #expect(!all.contains("chunked"))
        }
    }

    @Test("a HEAD answers the head alone and hands no stream over")
    func head() throws {
        let streams = Streams()
        try withTestServer(responder: Self.routes(streams)) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("HEAD /push HTTP/1.1\r\nHost: test\r\n\r\n")
            let response = try client.readResponse(isHEAD: true)
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
            try client.expectUsable()
            #expect((try? streams.wait(timeout: .milliseconds(100))) == nil)
        }
    }

    @Test("draining ends an open pushed body with its last chunk, then closes")
    func drainEndsTheBody() throws {
        let streams = Streams()
        let server = try HTTPServer(configuration: .test(), responder: Self.routes(streams))
        defer { server.shutdown() }
        let client = try RawClient.connect(port: server.port)
        try client.send("GET /push HTTP/1.1\r\nHost: test\r\n\r\n")
        let stream = try streams.wait()
        #expect(stream.send(Array("data: x\n\n".utf8)))
        server.shutdown()
        let all = String(decoding: try client.readUntilClose(), as: UTF8.self)
        #expect(all.hasSuffix("0\r\n\r\n"), "\(all.debugDescription)")
        #expect(!stream.isOpen)
    }

    @Test("once the client has gone, sends are refused")
    func refusedAfterTheClientWent() throws {
        let streams = Streams()
        try withTestServer(responder: Self.routes(streams)) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("GET /push HTTP/1.1\r\nHost: test\r\n\r\n")
            let stream = try streams.wait()
            _ = client.readAvailable(timeout: .milliseconds(50))
            client.reset()
            // The connection learns it from a failed write at the latest.
            #expect(Self.eventually { !stream.send(Array("data: x\n\n".utf8)) })
            #expect(!stream.isOpen)
        }
    }

    /// A client that closes its side (an `EventSource` closed, a tab gone) ends the pushed body
    /// at once: nothing will read it, and it holds an event-stream place until then.
    @Test("a client's close ends the pushed body without waiting for a write")
    func clientCloseEndsTheBody() throws {
        let streams = Streams()
        var configuration = ServerConfiguration.test()
        configuration.maxEventStreamsPerClient = 1
        try withTestServer(configuration: configuration, responder: Self.routes(streams)) { server in
            let client = try RawClient.connect(port: server.port)
            try client.send("GET /push HTTP/1.1\r\nHost: test\r\n\r\n")
            let stream = try streams.wait()
            _ = client.readAvailable(timeout: .milliseconds(50))
            client.close()
            #expect(Self.eventually(.seconds(1)) { !stream.isOpen }, "the stream still looks open")
            let next = try RawClient.connect(port: server.port)
            try next.send("GET /push HTTP/1.1\r\nHost: test\r\n\r\n")
            let head = String(decoding: next.readAvailable(timeout: .milliseconds(200)), as: UTF8.self)
            #expect(head.hasPrefix("HTTP/1.1 200"), "the place was not given back: \(head.prefix(40))")
        }
    }
}

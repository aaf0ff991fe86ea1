import HTTPCore
import Synchronization

extension Request {
    static func make(
        _ method: HTTPMethod = .get, _ target: String = "/v1/meetings", headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [], requestID: String = "", receivedAt: UInt64 = 0
    ) -> Request {
        Request(
            method: method, target: target, headers: headers, body: body, remoteAddress: "127.0.0.1:50000",
            requestID: requestID, receivedAt: receivedAt)
    }
}

extension Middleware {
    /// Runs this middleware around `handler`.
    func run(_ request: Request, _ handler: @escaping @Sendable (Request) throws -> Response) throws -> Response {
        try respond(to: request, next: ClosureResponder(handler))
    }
}

extension Response {
    var bodyBytes: [UInt8]? {
        if case .bytes(let bytes) = body { return bytes }
        return nil
    }

    /// Drains a streamed body (or returns the bytes).
    func collectBody() throws -> [UInt8] {
        switch body {
        case .bytes(let bytes): return bytes
        case .stream(let produce):
            let writer = CollectingWriter()
            try produce(writer)
            return writer.bytes
        case .push:
            // A pushed body has no end to drain to; its tests read it over a socket.
            throw PushedBodyError()
        }
    }
}

/// `collectBody()` was asked for a pushed body (Server-Sent Events), which never ends by itself.
struct PushedBodyError: Error {}

/// Collects what a streamed body writes, remembering each write.
final class CollectingWriter: BodyWriter {
    var bytes: [UInt8] = []
    var writes = 0
    func write(_ bytes: [UInt8]) throws {
        if bytes.isEmpty { return }
        self.bytes += bytes
        writes += 1
    }
}

/// A thread-safe list for what closures under test report.
final class Recorder<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])
    func append(_ item: Element) { items.withLock { $0.append(item) } }
    var all: [Element] { items.withLock { $0 } }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
}

import HTTPTestSupport
import Testing

extension RawClient {
    /// Sends `GET path` (HTTP/1.1, `Host: test`, plus `extraHeaders` lines) and reads the response.
    func get(_ path: String, _ extraHeaders: String...) throws -> RawResponse {
        try send("GET \(path) HTTP/1.1\r\nHost: test\r\n" + extraHeaders.map { $0 + "\r\n" }.joined() + "\r\n")
        return try readResponse()
    }

    /// Expects the server to close (or reset) the connection within `duration`, having sent
    /// nothing more.
    func expectClosed(within duration: Duration = .seconds(2), sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            isClosedByPeer(within: duration), "the server should have closed the connection",
            sourceLocation: sourceLocation)
        #expect(
            unreadBytes.isEmpty,
            "unexpected bytes after the response: \(String(decoding: unreadBytes, as: UTF8.self).debugDescription)",
            sourceLocation: sourceLocation)
    }

    /// Expects no bytes and no close over a couple of timer ticks (`.test()` ticks every 25 ms):
    /// with a manual clock that has not moved, no deadline may fire however long real time runs.
    func expectNothingYet(sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(readAvailable(timeout: .milliseconds(60)).isEmpty, sourceLocation: sourceLocation)
        #expect(!isClosedByPeer(within: .zero), sourceLocation: sourceLocation)
    }

    /// Expects the connection to still serve requests.
    func expectUsable(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let response = try get("/healthz")
        #expect(response.status == 200, sourceLocation: sourceLocation)
        #expect(response.bodyString == "ok", sourceLocation: sourceLocation)
    }
}

/// Measures how long `body` takes.
func elapsed(_ body: () throws -> Void) rethrows -> Duration {
    let start = ContinuousClock.now
    try body()
    return ContinuousClock.now - start
}

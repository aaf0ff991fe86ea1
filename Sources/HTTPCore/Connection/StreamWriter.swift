/// The `BodyWriter` a streamed response's producer writes to, on a thread of the stream pool.
final class StreamWriter: BodyWriter {
    private let connection: LoopBound<Connection>
    private let credit: StreamCredit
    private let chunked: Bool

    init(connection: LoopBound<Connection>, credit: StreamCredit, chunked: Bool) {
        self.connection = connection
        self.credit = credit
        self.chunked = chunked
    }

    /// Waits while the connection holds more unwritten bytes than its high-water mark; throws
    /// once the connection is closed or timed out, so the producer stops at once.
    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        let framed = chunked ? ResponseSerializer.chunk(bytes) : bytes
        try credit.acquire(framed.count)
        connection.async { $0.streamed(framed) }
    }

    /// Ends the body: the last chunk, then the connection takes the next request.
    func finish() {
        connection.async { $0.streamFinished() }
    }

    /// The producer failed after the head went out: the connection closes without the last
    /// chunk, so the client sees a truncated body rather than a complete one.
    func abort() {
        connection.async { $0.streamFailed() }
    }
}

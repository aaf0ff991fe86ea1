/// The `BodyWriter` a streamed response's producer writes to, on a worker thread.
final class StreamWriter: BodyWriter {
    private let connection: LoopBound<Connection>
    private let credit: StreamCredit
    private let chunked: Bool

    init(connection: LoopBound<Connection>, credit: StreamCredit, chunked: Bool) {
        self.connection = connection
        self.credit = credit
        self.chunked = chunked
    }

    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        let framed = chunked ? ResponseSerializer.chunk(bytes) : bytes
        try credit.acquire(framed.count)
        connection.async { $0.sendStreamed(framed) }
    }

    /// Ends the body: the last chunk, then the connection takes the next request.
    func finish() {
        connection.async { $0.finishStream() }
    }

    /// The producer failed after the head went out: the only honest signal left is to close
    /// without the last chunk, so the client sees a truncated body rather than a complete one.
    func abort() {
        connection.async { $0.abortStream() }
    }
}

import Synchronization

/// A response body fed from outside the connection without a thread of its own (Server-Sent
/// Events): whoever holds it sends pieces whenever it has them, from any thread, and never waits.
/// A sender that outruns its client sees ``hasRoom`` go false and holds back (a client that stops
/// reading altogether is closed by the write timeout); after the connection closes every send
/// is refused, so the sender drops the stream.
public final class PushStream: Sendable {
    private let connection: LoopBound<Connection>
    private let credit: StreamCredit
    private let chunked: Bool
    /// Set by ``finish()``; held while a piece is handed to the connection, so that nothing is
    /// handed over after the body's end (the connection may serve another request by then).
    private let ended = Mutex(false)

    init(connection: LoopBound<Connection>, credit: StreamCredit, chunked: Bool) {
        self.connection = connection
        self.credit = credit
        self.chunked = chunked
    }

    /// Whether the client can still be sent to.
    public var isOpen: Bool { !credit.isClosed && !ended.withLock { $0 } }

    /// Whether the bytes sent and not yet written are below the connection's high-water mark.
    public var hasRoom: Bool { credit.pendingBytes < credit.limit }

    /// Queues `bytes` for the client, however many are queued already.
    /// - Returns: false once the stream has ended or its connection is gone.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return isOpen }
        let framed = chunked ? ResponseSerializer.chunk(bytes) : bytes
        return ended.withLock { ended in
            guard !ended, credit.reserve(framed.count) else { return false }
            connection.async { $0.streamed(framed) }
            return true
        }
    }

    /// Ends the body cleanly (the last chunk); the connection then goes on or closes.
    public func finish() {
        let first = ended.withLock { ended in
            defer { ended = true }
            return !ended
        }
        if first { connection.async { $0.pushFinished(self) } }
    }
}

import DequeModule
import Locking

/// The body of a streamed request, fed by its connection and read by the handler on a worker.
///
/// Backpressure: `push` reports when more than `highWater` bytes wait unread, and the connection
/// then stops parsing (and, once its input buffer is full, reading the socket) until the handler
/// has read the queue down to half, when `onDrained` is called.
final class IncomingBody: RequestBodyStream, @unchecked Sendable {
    // Everything mutable is guarded by `lock`.
    private let lock = ConditionLock()
    private var pieces: Deque<[UInt8]> = []
    private var buffered = 0
    private var finished = false
    private var failure: HTTPError?
    private var cancelled = false
    private var paused = false
    private var started = false

    let limit: Int
    private let highWater: Int
    /// Called (on the reading thread, without the lock) when a paused producer may go on.
    private let onDrained: @Sendable () -> Void
    /// Called once, on the first read: the moment to send `100 Continue`.
    private let onFirstRead: @Sendable () -> Void

    init(
        limit: Int, highWater: Int, onFirstRead: @escaping @Sendable () -> Void,
        onDrained: @escaping @Sendable () -> Void
    ) {
        self.limit = limit
        self.highWater = max(highWater, 1)
        self.onFirstRead = onFirstRead
        self.onDrained = onDrained
    }

    func next() throws -> [UInt8]? {
        let first = lock.withLock {
            defer { started = true }
            return !started
        }
        // Ask for the body (100 Continue) before waiting for it.
        if first { onFirstRead() }
        var drained = false
        let piece: [UInt8]? = try lock.withLock {
            while pieces.isEmpty && !finished && failure == nil && !cancelled {
                lock.wait()
            }
            if let failure { throw failure }
            if cancelled { throw HTTPError(.badRequest, detail: "The request body is no longer read.") }
            guard let piece = pieces.popFirst() else { return nil }
            buffered -= piece.count
            if paused && buffered <= highWater / 2 {
                paused = false
                drained = true
            }
            return piece
        }
        if drained { onDrained() }
        return piece
    }

    /// Queues body bytes. - Returns: true when the producer should pause until `onDrained`.
    func push(_ bytes: [UInt8]) -> Bool {
        lock.withLock {
            guard !cancelled, failure == nil, !bytes.isEmpty else { return false }
            pieces.append(bytes)
            buffered += bytes.count
            lock.signal()
            if buffered > highWater {
                paused = true
                return true
            }
            return false
        }
    }

    /// The body is complete.
    func finish() {
        lock.withLock {
            finished = true
            lock.signal()
        }
    }

    /// The body cannot be completed; the reader gets `error`.
    func fail(_ error: HTTPError) {
        lock.withLock {
            if failure == nil && !finished { failure = error }
            lock.signal()
        }
    }

    /// The response went out before the body was read: drop what is queued and what comes.
    func cancel() {
        lock.withLock {
            cancelled = true
            pieces = []
            buffered = 0
            lock.signal()
        }
    }
}

import Locking

/// Backpressure between a stream-pool thread producing a streamed body and the connection
/// writing it: the producer blocks while more than `highWater` bytes are queued and not yet
/// written, and is woken with an error the moment the connection closes or times out.
final class StreamCredit: @unchecked Sendable {
    // `pending` and `closed` are guarded by `lock`.
    private let lock = ConditionLock()
    private var pending = 0
    private var closed = false
    private let highWater: Int

    init(highWater: Int) {
        self.highWater = max(highWater, 1)
    }

    /// Reserves `count` bytes, waiting while the queue is over the high-water mark.
    /// - Throws: `BodyWriterError.connectionClosed` once the connection is gone.
    func acquire(_ count: Int) throws {
        try lock.withLock {
            while pending > highWater && !closed { lock.wait() }
            if closed { throw BodyWriterError.connectionClosed }
            pending += count
        }
    }

    /// Returns `count` written bytes; wakes the producer once the queue is down to half.
    func release(_ count: Int) {
        lock.withLock {
            pending = max(0, pending - count)
            if pending <= highWater / 2 { lock.broadcast() }
        }
    }

    /// Reserves `count` bytes without waiting, however many are queued (a pushed body's sender
    /// checks ``pendingBytes`` itself).
    /// - Returns: false once the connection is gone.
    func reserve(_ count: Int) -> Bool {
        lock.withLock {
            if closed { return false }
            pending += count
            return true
        }
    }

    var isClosed: Bool { lock.withLock { closed } }

    /// The most bytes queued before a writer waits.
    var limit: Int { highWater }

    /// Bytes reserved and not yet written.
    var pendingBytes: Int { lock.withLock { pending } }

    /// Fails every present and future `acquire`.
    func close() {
        lock.withLock {
            closed = true
            lock.broadcast()
        }
    }
}

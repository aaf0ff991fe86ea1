import Locking

/// The reader connections of a store: each handed to one thread at a time, waited for when all
/// are busy, and closed only once every one has come back. Both stores' pools keep their readers
/// in one.
public final class ReaderPool<Connection: AnyObject>: @unchecked Sendable {
    // @unchecked: `idle` and `closed` are guarded by `lock`; `readers` never changes. A
    // connection is used only by the thread that checked it out.

    private let lock = ConditionLock()
    private let readers: [Connection]
    private var idle: [Connection]
    private var closed = false
    private let closedError: @Sendable () -> any Error

    /// Creates a pool of `readers`, all idle.
    /// - Parameter closedError: What ``checkOut()`` throws once the pool is closed.
    public init(_ readers: [Connection], closedError: @escaping @Sendable () -> any Error) {
        self.readers = readers
        idle = readers
        self.closedError = closedError
    }

    /// An idle reader, waiting while every one is busy. Give it back with ``checkIn(_:)``.
    /// - Throws: `closedError()` once the pool is closed, also to callers already waiting.
    public func checkOut() throws -> Connection {
        lock.lock()
        defer { lock.unlock() }
        while true {
            guard !closed else { throw closedError() }
            if let reader = idle.popLast() {
                return reader
            }
            lock.wait()
        }
    }

    /// Gives back a reader ``checkOut()`` handed out.
    public func checkIn(_ reader: Connection) {
        lock.withLock {
            idle.append(reader)
            // close() waits for every reader to come back, alongside readers waiting for one.
            if closed {
                lock.broadcast()
            } else {
                lock.signal()
            }
        }
    }

    /// Whether ``close(_:)`` has begun.
    public var isClosed: Bool { lock.withLock { closed } }

    /// Runs `body` with every reader, busy or not, and whether the pool is closed, under the
    /// pool's lock: ``close(_:)`` cannot close a reader meanwhile (an interrupt from another
    /// thread), and state kept beside the readers changes atomically with the pool's.
    public func withReaders<T>(_ body: (_ readers: [Connection], _ isClosed: Bool) throws -> T) rethrows -> T {
        try lock.withLock { try body(readers, closed) }
    }

    /// Closes the pool: readers waiting for a connection are woken and throw; then, once every
    /// reader has come back, `close` runs on each.
    public func close(_ close: (Connection) -> Void) {
        lock.withLock {
            closed = true
            lock.broadcast()
            while idle.count < readers.count {
                lock.wait()
            }
            readers.forEach(close)
        }
    }
}

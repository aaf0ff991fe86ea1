import Locking
import Storage

/// A PostgreSQL database shared by many threads: a few writer connections and a pool of reader
/// connections, each used by one thread at a time (libpq forbids sharing a `PGconn`).
///
/// Each write runs in a transaction of its own on one of the writers
/// (``PostgresConfiguration/writerCount``), so that one write's round trips leave the server free
/// for another's statements; writes beyond that many wait for a writer. Two writers of one node
/// race as two nodes' writers do, and end as they do (see ``write(_:)``). Reads run in
/// `REPEATABLE READ READ ONLY` transactions on the readers, each seeing one snapshot. The first
/// writer connects at once; the other connections on first use. A connection found lost connects
/// again the next time it is checked out, so the pool recovers by itself when the server comes
/// back; the call that found it lost throws `.unavailable`.
///
/// Every method blocks the calling thread while it waits for a connection: call them from worker
/// threads, never from an I/O queue or a Swift concurrency executor.
public final class PostgresPool: DatabaseStore, @unchecked Sendable {
    // @unchecked: `commitStep` is guarded by `commitStepLock`; `snapshotTokens` by the readers'
    // lock (`ReaderPool.withReaders`), which guards the readers too; the writers by their own
    // pool's lock. The `let` properties never change. A connection is used only by the thread that
    // checked it out; only cancel tokens, which lock themselves, cross threads (interrupt()).

    /// PostgreSQL.
    public var backend: Backend { .postgresql }

    /// The settings every connection is opened with.
    public let configuration: PostgresConfiguration
    /// How long reads and writes waited for a connection and held it.
    public let timings = DatabaseTimings()

    /// How many times a write that lost a race (serialization failure, deadlock) runs in all.
    public static let writeAttempts = 3

    /// The URI, kept for the connections opened later; never printed (it may hold a password).
    private let url: String

    private let writers: ReaderPool<PostgresDatabase>
    private let commitStepLock = ConditionLock()
    private var commitStep: (@Sendable (any Database) throws -> Void)?

    private let readers: ReaderPool<PostgresDatabase>
    /// The cancel tokens of the snapshot reads in progress, guarded by the readers' lock.
    private var snapshotTokens: [ObjectIdentifier: CancelToken] = [:]

    /// Connects the first writer; the other connections connect on first use.
    /// - Parameters:
    ///   - url: A libpq connection URI or conninfo string, passed to libpq unchanged (see
    ///     ``PostgresDatabase/init(url:configuration:)``).
    ///   - configuration: Timeouts, the number of readers, the statement cache's size.
    /// - Throws: ``PostgresError`` (`.unavailable`) when the server cannot be reached within the
    ///   connect timeout.
    public init(url: String, configuration: PostgresConfiguration = PostgresConfiguration()) throws {
        self.url = url
        self.configuration = configuration
        let writer = try PostgresDatabase(url: url, configuration: configuration)
        // Last, so that it is the first checked out (the pool hands out the latest returned).
        writers = ReaderPool(
            (1..<max(1, configuration.writerCount)).map { _ in
                PostgresDatabase(unconnected: url, configuration: configuration)
            } + [writer]
        ) { PostgresError.misuse("database pool is closed") }
        readers = ReaderPool(
            (0..<max(1, configuration.readerCount)).map { _ in
                PostgresDatabase(unconnected: url, configuration: configuration)
            }
        ) { PostgresError.misuse("database pool is closed") }
    }

    // MARK: Reading

    /// Runs `body` on a reader inside `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`, so
    /// everything it reads comes from one snapshot; blocks while every reader is busy.
    ///
    /// Do not nest reads more deeply than there are readers: the innermost would wait forever.
    /// - Throws: What `body` throws, or ``PostgresError`` (`.readOnly` for a write,
    ///   `.unavailable` when the server cannot be reached, `.misuse` after ``close()``).
    public func read<T>(_ body: (PostgresDatabase) throws -> T) throws -> T {
        let asked = ContinuousClock.now
        let reader = try readers.checkOut()
        let started = ContinuousClock.now
        defer {
            readers.checkIn(reader)
            timings.record(wait: .readerWait, started - asked, hold: .read, .now - started)
        }
        try reader.reconnectIfNeeded()
        return try reader.readSnapshot(body)
    }

    /// Runs `body` like ``read(_:)``, on a connection of its own, opened for it and closed after:
    /// for a read that lasts as long as a client takes to receive it (an export streamed to a slow
    /// reader), so it never holds one of the pool's readers. Its ``PostgresDatabase/forEachRow(_:_:_:)``
    /// streams rows one at a time, so an export of any size never sits in memory.
    /// - Throws: What `body` throws, or ``PostgresError``.
    public func snapshotRead<T>(_ body: (PostgresDatabase) throws -> T) throws -> T {
        let connection = PostgresDatabase(unconnected: url, configuration: configuration)
        connection.isStreaming = true
        let key = ObjectIdentifier(connection)
        try readers.withReaders { _, isClosed in
            guard !isClosed else { throw PostgresError.misuse("database pool is closed") }
            snapshotTokens[key] = connection.cancelToken
        }
        defer {
            readers.withReaders { _, _ in _ = snapshotTokens.removeValue(forKey: key) }
            connection.close()
        }
        try connection.reconnectIfNeeded()
        return try connection.readSnapshot(body)
    }

    // MARK: Writing

    /// Runs `body` on a writer inside a `READ COMMITTED` transaction, then
    /// ``beforeEachCommit``, then commits; rolls back when either throws. Blocks while every writer
    /// is busy.
    ///
    /// Writes on other writers (or other nodes) commit beside this one: a write's checks and its
    /// writes share its transaction, and one that another commits in between is refused by a
    /// unique or foreign-key violation, which the caller runs again (`RecordService`); row locks
    /// make concurrent changes of one row wait for each other.
    ///
    /// A transaction the server rolled back because it lost a race (a serialization failure or a
    /// deadlock, SQLSTATE `40001` or `40P01`) runs again, up to ``writeAttempts`` times in all:
    /// `body` must do nothing outside the database that it cannot repeat.
    ///
    /// Nesting `write` inside another on the same thread is a programmer error and traps; use
    /// ``PostgresDatabase/transaction(_:_:)`` on the given connection.
    /// - Throws: What `body` throws, after the rollback; or ``PostgresError``.
    public func write<T>(_ body: (PostgresDatabase) throws -> T) throws -> T {
        try withWriter { writer, step in
            var attempt = 1
            while true {
                do {
                    return try writer.transaction(beginning: "BEGIN ISOLATION LEVEL READ COMMITTED") { db in
                        let value = try body(db)
                        try step?(db)
                        return value
                    }
                } catch let error as PostgresError where error.isSerializationFailure && attempt < Self.writeAttempts {
                    attempt += 1
                }
            }
        }
    }

    /// The same as ``write(_:)``: every write on PostgreSQL has a transaction of its own.
    public func writeAlone<T>(_ body: (PostgresDatabase) throws -> T) throws -> T {
        try write(body)
    }

    public func listen(to channel: String, _ handler: @escaping @Sendable () -> Void) -> (any StoreListener)? {
        PostgresListener(url: url, configuration: configuration, channel: channel, handler: handler)
    }

    /// Work every ``write(_:)`` transaction runs after its writes, just before it commits — what a
    /// schema defers to the end of a transaction. If it throws, the transaction rolls back.
    public var beforeEachCommit: (@Sendable (any Database) throws -> Void)? {
        get { commitStepLock.withLock { commitStep } }
        set { commitStepLock.withLock { commitStep = newValue } }
    }

    /// Runs `body` on a writer outside any transaction (a migration manages its own).
    /// - Throws: What `body` throws, or ``PostgresError`` when `body` leaves a transaction open (it
    ///   is rolled back, so the next write does not silently nest inside it).
    public func writeWithoutTransaction<T>(_ body: (PostgresDatabase) throws -> T) throws -> T {
        try withWriter { writer, _ in
            let result: T
            do {
                result = try body(writer)
            } catch {
                writer.rollback()
                throw error
            }
            if writer.isInTransaction {
                writer.rollback()
                throw PostgresError.misuse("writeWithoutTransaction left a transaction open; it was rolled back")
            }
            return result
        }
    }

    /// Runs `body` with a writer, checked out and connected, and the commit step.
    private func withWriter<T>(
        _ body: (PostgresDatabase, (@Sendable (any Database) throws -> Void)?) throws -> T
    ) throws -> T {
        let asked = ContinuousClock.now
        let writer = try writers.checkOut()
        let started = ContinuousClock.now
        defer {
            writers.checkIn(writer)
            timings.record(wait: .writerWait, started - asked, hold: .write, .now - started)
        }
        try writer.reconnectIfNeeded()
        return try body(writer, beforeEachCommit)
    }

    // MARK: Lifecycle

    /// Makes every statement running on the pool's connections (the snapshot reads' too) fail with
    /// `.interrupted` as soon as possible, e.g. on shutdown (`PQcancel`). Statements started
    /// afterwards run normally.
    public func interrupt() {
        writers.withReaders { writers, isClosed in
            guard !isClosed else { return }
            for writer in writers {
                writer.cancel()
            }
        }
        readers.withReaders { readers, isClosed in
            guard !isClosed else { return }
            for reader in readers {
                reader.cancel()
            }
            for token in snapshotTokens.values {
                token.cancel()
            }
        }
    }

    /// Waits for reads and the write in progress to finish, then closes every connection
    /// (`PQfinish`). Further use throws; readers waiting for a connection are woken and throw.
    public func close() {
        readers.close { $0.close() }
        writers.close { $0.close() }
    }
}

import CSQLite
import Locking
import Storage

/// A database shared by many threads: one writer connection and a pool of reader connections.
///
/// In WAL mode "readers do not block writers and a writer does not block readers", so reads run
/// concurrently with each other and with the one write in progress. Writes are serialized by a lock
/// rather than by SQLite's busy handler, so they queue in order instead of retrying.
///
/// Every method blocks the calling thread while it waits for a connection: call them from worker
/// threads, never from an I/O queue or a Swift concurrency executor.
public final class SQLitePool: DatabaseStore, @unchecked Sendable {
    // @unchecked: `writer` and `isWriterClosed` are guarded by `writerLock`; the readers lock
    // themselves (`ReaderPool`). The `let` properties never change. A SQLiteDatabase is used
    // by one thread at a time: the writer while holding `writerLock`, a reader by the thread that
    // checked it out (interrupt() alone crosses threads, which SQLite allows).

    /// SQLite.
    public var backend: Backend { .sqlite }

    /// The database file.
    public let path: String
    /// The configuration every connection was opened with.
    public let configuration: StoreConfiguration

    private let writerLock = ConditionLock(errorChecking: true)
    private let writer: SQLiteDatabase
    private var isWriterClosed = false
    private var commitStep: (@Sendable (any Database) throws -> Void)?
    private let writeQueue: WriteQueue

    /// How long reads and writes waited for a connection and held it.
    public let timings = DatabaseTimings()

    /// The thread that checkpoints the WAL; nil for an in-memory database.
    let checkpointer: WALCheckpointer?

    private let readers: ReaderPool<SQLiteDatabase>

    /// Opens the writer (creating the file and switching it to WAL mode) and the readers.
    /// - Throws: ``SQLiteError`` when the database cannot be opened or set up.
    public init(path: String, configuration: StoreConfiguration = StoreConfiguration()) throws {
        self.path = path
        self.configuration = configuration
        writeQueue = WriteQueue(maxGroupSize: configuration.maxWriteGroupSize)
        // The writer goes first: it creates the file and puts it in WAL mode, which read-only
        // connections cannot do.
        writer = try SQLiteDatabase(path: path, mode: .readWrite, configuration: configuration)
        var readers: [SQLiteDatabase] = []
        for _ in 0..<max(1, configuration.readerCount) {
            readers.append(try SQLiteDatabase(path: path, mode: .readOnly, configuration: configuration))
        }
        self.readers = ReaderPool(readers) { SQLiteError.misuse("database pool is closed") }
        checkpointer = try Self.startCheckpointer(path: path, writer: writer, configuration: configuration)
    }

    deinit {
        // A pool dropped without close(): its thread must not outlive it.
        if let checkpointer, checkpointer.isRunning {
            checkpointer.detach(from: writer)
            checkpointer.stop()
        }
    }

    /// Moves checkpoints off the writer (see ``WALCheckpointer``); an in-memory database has no
    /// WAL, and if the thread cannot start the writer keeps SQLite's automatic checkpoints.
    private static func startCheckpointer(path: String, writer: SQLiteDatabase, configuration: StoreConfiguration)
        throws
        -> WALCheckpointer?
    {
        guard path != ":memory:", !path.isEmpty else { return nil }
        let checkpointer = try WALCheckpointer(path: path, configuration: configuration)
        checkpointer.start()
        guard checkpointer.isRunning else {
            checkpointer.stop()
            return nil
        }
        checkpointer.attach(to: writer)
        return checkpointer
    }

    /// Checkpoints the background thread has run (0 when checkpoints are the writer's own).
    public var backgroundCheckpoints: Int { checkpointer?.checkpointsRun ?? 0 }

    // MARK: Reading

    /// Runs `body` on a reader connection inside a deferred transaction, so everything it reads
    /// comes from one consistent snapshot; blocks while every reader is busy.
    ///
    /// A long streaming read (an export) simply holds its reader for the duration of `body`. The
    /// connection is read-only: writes fail with ``SQLiteError/isReadOnly``. Do not nest reads more
    /// deeply than there are readers: the innermost would wait forever.
    /// - Throws: What `body` throws, or ``SQLiteError`` (including after ``close()``).
    public func read<T>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        let asked = ContinuousClock.now
        let reader = try readers.checkOut()
        let started = ContinuousClock.now
        defer {
            readers.checkIn(reader)
            timings.record(wait: .readerWait, started - asked, hold: .read, .now - started)
        }
        return try reader.transaction(.deferred, body)
    }

    /// Runs `body` like ``read(_:)``, on a read-only connection of its own, opened for it and
    /// closed after: for a read that lasts as long as a client takes to receive it (an export
    /// streamed to a slow reader), so that it never holds one of the pool's readers while
    /// ordinary reads wait for them.
    /// - Throws: What `body` throws, or ``SQLiteError`` (including after ``close()``, and for an
    ///   in-memory database, whose data no other connection can see).
    public func snapshotRead<T>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        guard !readers.isClosed else { throw SQLiteError.misuse("database pool is closed") }
        guard path != ":memory:", !path.isEmpty else { return try read(body) }
        // A long read passes over each page once: a small cache serves it as well, and many
        // of them at once must not hold the pool's cache size each.
        var configuration = self.configuration
        configuration.cacheSizeKibibytes = min(configuration.cacheSizeKibibytes, 512)
        let reader = try SQLiteDatabase(path: path, mode: .readOnly, configuration: configuration)
        return try reader.transaction(.deferred, body)
    }

    // MARK: Writing

    /// Runs `body` on the writer inside `BEGIN IMMEDIATE`: commits when it returns, rolls back when it
    /// throws. Blocks while another write is in progress.
    ///
    /// Writes that arrive together commit together (``WriteQueue``): then `body` runs inside a
    /// savepoint of a transaction it shares, so its throw undoes only its own changes, and it
    /// returns only once the shared transaction has committed. If that commit fails, every write of
    /// the group throws. `body` must leave the transaction's settings alone (pragmas such as
    /// `defer_foreign_keys` would apply to the writes after it); use ``writeAlone(_:)`` for that.
    ///
    /// Nesting `write` (or ``writeWithoutTransaction(_:)``) inside another on the same thread is a
    /// programmer error and traps; use ``SQLiteDatabase/transaction(_:_:)`` on the given connection.
    /// - Throws: What `body` throws, after the rollback; or ``SQLiteError``.
    public func write<T>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { body in
            var value: T?
            let submitted = ContinuousClock.now
            var started: ContinuousClock.Instant?
            let job = WriteQueue.Job { db in
                started = .now
                value = try body(db)
            }
            writeQueue.submit(job) { runGroup($0) }
            // The hold ends at the group's commit, which is when this write became durable.
            if let started { timings.record(wait: .writerWait, started - submitted, hold: .write, .now - started) }
            if let error = job.error { throw error }
            guard let value else { preconditionFailure("a write ended with neither a value nor an error") }
            return value
        }
    }

    /// Like ``write(_:)``, in a transaction of its own: for a write that changes the transaction's
    /// settings (an import deferring its foreign-key checks) or holds the writer for long.
    /// - Throws: What `body` throws, after the rollback; or ``SQLiteError``.
    public func writeAlone<T>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        try writeWithoutTransaction { writer in
            // The writer lock is held: the step is read directly.
            let step = commitStep
            return try writer.transaction(.immediate) { db in
                let value = try body(db)
                try step?(db)
                return value
            }
        }
    }

    /// Work every ``write(_:)`` and ``writeAlone(_:)`` transaction runs after its writes, just
    /// before it commits — what a schema defers to the end of a transaction (see
    /// `Migrator.beforeEachCommit`). If it throws, the transaction rolls back.
    /// SQLite has no notifications between processes: nil, poll instead.
    public func listen(to channel: String, _ handler: @escaping @Sendable () -> Void) -> (any StoreListener)? {
        nil
    }

    public var beforeEachCommit: (@Sendable (any Database) throws -> Void)? {
        get { writerLock.withLock { commitStep } }
        set { writerLock.withLock { commitStep = newValue } }
    }

    /// Writes waiting for the writer (for tests).
    var waitingWrites: Int { writeQueue.waitingCount }

    /// Runs a group of writes in one transaction, each in a savepoint of its own (a group of one
    /// needs none), and records each one's outcome in its job.
    private func runGroup(_ jobs: [WriteQueue.Job]) {
        writerLock.lock()
        defer { writerLock.unlock() }
        guard !isWriterClosed else {
            jobs.forEach { $0.error = SQLiteError.misuse("database pool is closed") }
            return
        }
        let step = commitStep
        if jobs.count == 1 {
            let job = jobs[0]
            do {
                try writer.transaction(.immediate) { db in
                    try job.run?(db)
                    try step?(db)
                }
            } catch {
                job.error = error
            }
            return
        }
        do {
            try writer.transaction(.immediate) { db in
                for job in jobs {
                    do {
                        try db.transaction { try job.run?($0) }
                    } catch {
                        job.error = error
                    }
                    // SQLite rolled the whole transaction back (a full disk, an I/O error): the
                    // writes before this one are gone, and the ones after must not run outside it.
                    guard db.isInTransaction else {
                        throw job.error
                            ?? SQLiteError(
                                extendedCode: SQLITE_ABORT, message: "the transaction was rolled back", sql: nil)
                    }
                }
                try step?(db)
            }
        } catch {
            for job in jobs where job.error == nil {
                job.error = error
            }
        }
    }

    /// Runs `body` on the writer outside any transaction, e.g. for `VACUUM`, pragmas, or a
    /// ``Migrator`` that manages its own transactions.
    /// - Throws: What `body` throws, or ``SQLiteError`` when `body` leaves a transaction open (it is
    ///   rolled back, so the next write does not silently nest inside it).
    public func writeWithoutTransaction<T>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        let asked = ContinuousClock.now
        writerLock.lock()
        let started = ContinuousClock.now
        defer {
            writerLock.unlock()
            timings.record(wait: .writerWait, started - asked, hold: .write, .now - started)
        }
        guard !isWriterClosed else { throw SQLiteError.misuse("database pool is closed") }
        let result: T
        do {
            result = try body(writer)
        } catch {
            if writer.isInTransaction {
                try? writer.execute("ROLLBACK")
            }
            throw error
        }
        if writer.isInTransaction {
            try? writer.execute("ROLLBACK")
            throw SQLiteError.misuse("writeWithoutTransaction left a transaction open; it was rolled back")
        }
        return result
    }

    // MARK: Lifecycle

    /// Makes every statement running on the pool's connections fail with `SQLITE_INTERRUPT`, e.g. on
    /// shutdown. Statements started afterwards run normally.
    public func interrupt() {
        // Under the readers' lock, so close() cannot close a connection while it is being interrupted.
        readers.withReaders { readers, isClosed in
            guard !isClosed else { return }
            writer.interrupt()
            for reader in readers {
                reader.interrupt()
            }
        }
    }

    /// Waits for reads and the write in progress to finish, then closes every connection. Further
    /// use throws; readers waiting for a connection are woken and throw.
    ///
    /// The writer closes last (after the checkpointer's connection): as the last connection, it
    /// checkpoints the WAL into the database file and removes it.
    public func close() {
        readers.close { $0.close() }
        writerLock.withLock {
            isWriterClosed = true
            // The hook goes first: the writer's close must not call into a stopped checkpointer.
            if let checkpointer {
                checkpointer.detach(from: writer)
                checkpointer.stop()
            }
            writer.close()
        }
    }

    // MARK: Maintenance

    /// Runs `PRAGMA integrity_check` on a reader: `["ok"]` when the database is sound, otherwise
    /// one line per problem found.
    public func integrityCheck() throws -> [String] {
        try read { try $0.integrityCheck() }
    }
}

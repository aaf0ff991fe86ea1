import CSQLite
import Locking
import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// Copies the write-ahead log back into the database file on a thread of its own, so that no
/// write waits for a checkpoint.
///
/// By default SQLite checkpoints inside the commit that takes the WAL past 1,000 pages: that
/// commit copies the pages and, unless `synchronous=OFF`, syncs the database file, all while the
/// pool's one writer holds its lock, so every write queued behind it waits as well. Here the
/// writer's WAL hook only asks for a checkpoint; this thread runs it on its own connection.
///
/// The checkpoints are `PASSIVE`: "Checkpoint as many frames as possible without waiting for any
/// database readers or writers to finish". Writers go on appending to the WAL meanwhile, and a
/// checkpoint that a long reader holds back is simply asked for again by a later commit.
final class WALCheckpointer: @unchecked Sendable {
    // @unchecked: `isRequested`, `isStopping` and `checkpointsRun` are guarded by `lock`;
    // `connection` is used only by the thread (and closed after it has been joined).
    private let lock = ConditionLock()
    private var isRequested = false
    private var isStopping = false
    private var runs = 0
    private let connection: SQLiteDatabase
    /// Set by `start` and cleared by `stop`, both called by the owning pool only, never at once.
    private var thread: pthread_t?
    /// WAL size, in pages, from which a commit asks for a checkpoint.
    let thresholdPages: Int
    /// How many thresholds the WAL may reach before the writer checkpoints it itself.
    static let writerCatchUpFactor = 4

    /// Opens the checkpointer's own connection to the database at `path` (already in WAL mode).
    init(path: String, configuration: StoreConfiguration) throws {
        connection = try SQLiteDatabase(path: path, mode: .readWrite, configuration: configuration)
        thresholdPages = max(1, configuration.checkpointThresholdPages)
    }

    /// Checkpoints run so far (for tests and metrics).
    var checkpointsRun: Int { lock.withLock { runs } }

    /// Starts the thread.
    func start() {
        let unmanaged = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let status = pthread_create(
            &handle, nil,
            { context in
                guard let context else { return nil }
                let checkpointer = Unmanaged<WALCheckpointer>.fromOpaque(context).takeRetainedValue()
                checkpointer.run()
                return nil
            }, unmanaged.toOpaque())
        guard status == 0 else {
            // Without the thread, checkpoints fall back to the writer (see `attach`'s caller).
            unmanaged.release()
            return
        }
        thread = handle
    }

    /// Whether the thread is running; when it is not, the writer must checkpoint as SQLite does.
    var isRunning: Bool { thread != nil }

    /// Asks for a checkpoint; returns at once. Called by the writer after a commit.
    func request() {
        lock.withLock {
            isRequested = true
            lock.signal()
        }
    }

    /// Stops the thread after the checkpoint in progress, if any, and closes its connection.
    func stop() {
        lock.withLock {
            isStopping = true
            lock.signal()
        }
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
        connection.close()
    }

    private func run() {
        while true {
            let stop = lock.withLock { () -> Bool in
                while !isRequested && !isStopping { lock.wait() }
                isRequested = false
                return isStopping
            }
            if stop { return }
            var logFrames: Int32 = 0
            var checkpointedFrames: Int32 = 0
            // SQLITE_BUSY here means another checkpoint is running (another process's, say):
            // nothing is lost, a later commit asks again.
            _ = sqlite3_wal_checkpoint_v2(
                connection.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &checkpointedFrames)
            lock.withLock { runs += 1 }
        }
    }

    /// Installs the WAL hook on `writer`: after each commit, a WAL of `thresholdPages` or more asks
    /// this checkpointer for a checkpoint. The hook replaces SQLite's automatic checkpoints on
    /// that connection. The checkpointer must outlive the hook: ``detach(from:)`` before stopping.
    func attach(to writer: SQLiteDatabase) {
        sqlite3_wal_hook(
            writer.handle,
            { context, connection, _, pages in
                guard let context else { return SQLITE_OK }
                let checkpointer = Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue()
                let pages = Int(pages)
                if pages >= checkpointer.thresholdPages * WALCheckpointer.writerCatchUpFactor {
                    // The log restarts from its beginning only when a write begins with every frame
                    // copied back; under a steady stream of writes the thread is always a few
                    // commits behind, so the log would grow without end. Far past the threshold,
                    // the writer finishes the copy itself: the thread has done most of it already.
                    sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
                } else if pages >= checkpointer.thresholdPages {
                    checkpointer.request()
                }
                return SQLITE_OK
            }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Removes the hook and gives `writer` SQLite's automatic checkpoints back.
    func detach(from writer: SQLiteDatabase) {
        sqlite3_wal_hook(writer.handle, nil, nil)
        sqlite3_wal_autocheckpoint(writer.handle, Int32(clamping: thresholdPages))
    }
}

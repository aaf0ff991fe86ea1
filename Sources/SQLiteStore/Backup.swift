import CSQLite
import Storage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SQLitePool {
    /// Copies the database to `destinationPath` with SQLite's online backup API while reads and
    /// writes go on.
    ///
    /// The copy is taken through a reader holding one read transaction for the whole backup, so it
    /// is the consistent state of a single moment, and the writer is never blocked (WAL readers do not
    /// block writers). Without that transaction SQLite would restart the backup after every write
    /// from another connection: "If the source database is modified by ... a different connection
    /// ... during a backup, then the backup will be restarted by the next call to
    /// sqlite3_backup_step()", which under steady writes may never finish.
    ///
    /// The copy is written to `destinationPath + ".partial"`, checked with `PRAGMA integrity_check`,
    /// then renamed into place, so `destinationPath` holds either its previous content or a complete,
    /// sound backup.
    /// - Parameters:
    ///   - destinationPath: The file to create or replace; its directory must exist.
    ///   - pagesPerStep: Pages copied per `sqlite3_backup_step`; the thread yields between steps.
    /// - Throws: ``SQLiteError`` when the copy fails or does not pass the integrity check.
    public func backup(to destinationPath: String, pagesPerStep: Int = 256) throws {
        if let source = BackupFiles.canonicalPath(path), source == BackupFiles.canonicalPath(destinationPath) {
            throw SQLiteError.misuse("backup destination is the database itself: \(destinationPath)")
        }
        let partialPath = destinationPath + ".partial"
        BackupFiles.removeDatabaseFiles(at: partialPath)
        do {
            try read { source in
                // A deferred transaction reads nothing until asked; this read pins the snapshot.
                _ = try source.scalar("SELECT count(*) FROM sqlite_schema")
                try source.copy(
                    to: partialPath,
                    pagesPerStep: max(1, pagesPerStep),
                    busyTimeoutMilliseconds: max(0, configuration.busyTimeoutMilliseconds)
                )
            }
            try BackupFiles.moveIntoPlace(partialPath, destinationPath)
        } catch {
            BackupFiles.removeDatabaseFiles(at: partialPath)
            throw error
        }
    }
}

/// File operations around a backup, outside `SQLitePool` so that Glibc's `close` is not shadowed.
private enum BackupFiles {
    static func moveIntoPlace(_ source: String, _ destination: String) throws {
        guard rename(source, destination) == 0 else {
            throw SQLiteError(
                extendedCode: SQLITE_IOERR,
                message: "could not rename backup into place (errno \(errno)): \(destination)"
            )
        }
        // The rename itself is durable only once its directory is synced.
        let slash = destination.lastIndex(of: "/")
        let directory = slash.map { $0 == destination.startIndex ? "/" : String(destination[..<$0]) } ?? "."
        let descriptor = open(directory, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }

    static func removeDatabaseFiles(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            unlink(path + suffix)
        }
    }

    static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension SQLiteDatabase {
    /// Copies this connection's main database into a new file at `path`, then checks the copy.
    func copy(to path: String, pagesPerStep: Int, busyTimeoutMilliseconds: Int) throws {
        let destination = try SQLiteDatabase(
            path: path, mode: .readWrite, configuration: StoreConfiguration(), setUp: false)
        defer { destination.close() }
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw SQLiteError(
                connection: destination.handle, resultCode: sqlite3_extended_errcode(destination.handle), sql: nil)
        }
        var busyMilliseconds = 0
        var stepResult: Int32
        while true {
            stepResult = sqlite3_backup_step(backup, Int32(clamping: pagesPerStep))
            if stepResult == SQLITE_OK {
                // Let other threads (the writer) run between batches of pages.
                sched_yield()
            } else if (stepResult == SQLITE_BUSY || stepResult == SQLITE_LOCKED)
                && busyMilliseconds < busyTimeoutMilliseconds
            {
                // "If SQLITE_BUSY is returned ... the call can be retried at a later time."
                usleep(10_000)
                busyMilliseconds += 10
            } else {
                break
            }
        }
        // "sqlite3_backup_finish() ... returns SQLITE_OK if no errors occurred ... or an error code
        // from the failing sqlite3_backup_step()", and leaves the message on the destination.
        let finishResult = sqlite3_backup_finish(backup)
        guard stepResult == SQLITE_DONE, finishResult == SQLITE_OK else {
            let code = finishResult != SQLITE_OK ? finishResult : stepResult
            throw SQLiteError(connection: destination.handle, resultCode: code, sql: nil)
        }
        let problems = try destination.integrityCheck()
        guard problems == ["ok"] else {
            throw SQLiteError(
                extendedCode: SQLITE_CORRUPT,
                message: "backup failed its integrity check: \(problems.prefix(3).joined(separator: "; "))",
                sql: "PRAGMA integrity_check"
            )
        }
    }
}

extension SQLiteDatabase {
    /// Runs `PRAGMA integrity_check`: `["ok"]` when the database is sound, otherwise one line per
    /// problem found (at most 100, SQLite's default).
    public func integrityCheck() throws -> [String] {
        try query("PRAGMA integrity_check") { try $0.string(0) }
    }
}

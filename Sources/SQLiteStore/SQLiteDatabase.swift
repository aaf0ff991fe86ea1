import CSQLite
import Glibc
import Storage

/// One SQLite connection.
///
/// A connection is opened with `SQLITE_OPEN_NOMUTEX`: SQLite does no locking of its own on it, so it
/// must be used by one thread at a time. ``SQLitePool`` is the thread-safe way to share a database.
///
/// On open the connection is set up as the store requires (SQLite's documentation quoted where it
/// matters):
/// - `journal_mode=WAL` (writers): "WAL provides more concurrency as readers do not block writers
///   and a writer does not block readers";
/// - `foreign_keys=ON`, which SQLite leaves off by default, for compatibility;
/// - the configured `busy_timeout` and `synchronous` level, `cache_size`, `temp_store=MEMORY`.
public final class SQLiteDatabase: Database {
    /// SQLite.
    public var backend: Backend { .sqlite }

    /// Whether a connection may write.
    public enum Mode: Sendable {
        /// Read and write, creating the file if it does not exist; the database is put in WAL mode.
        case readWrite
        /// Read only (`SQLITE_OPEN_READONLY`); the database must exist.
        case readOnly
    }

    /// The `sqlite3` handle.
    let handle: OpaquePointer
    /// The path the connection was opened with.
    public let path: String
    /// Whether the connection may write.
    public let mode: Mode
    /// Whether ``close()`` has run.
    public private(set) var isClosed = false
    /// Prepared statements kept for reuse, by SQL.
    private var statementCache: [String: Statement] = [:]
    private let statementCacheCapacity: Int
    /// How many savepoints ``transaction(_:_:)`` has open inside the outermost transaction.
    var savepointDepth = 0
    /// What ``subscript(attachment:)`` keeps, by type.
    private var attachments: [ObjectIdentifier: AnyObject] = [:]

    /// Opens a connection and sets it up.
    /// - Parameters:
    ///   - path: The database file; `":memory:"` for a private in-memory database.
    ///   - mode: Whether the connection may write.
    ///   - configuration: Timeouts, durability and cache sizes.
    /// - Throws: ``SQLiteError`` when the file cannot be opened or set up.
    public convenience init(
        path: String, mode: Mode = .readWrite, configuration: StoreConfiguration = StoreConfiguration()
    ) throws {
        try self.init(path: path, mode: mode, configuration: configuration, setUp: true)
    }

    /// Opens a connection; with `setUp: false` no pragma runs, for a backup's destination, whose
    /// journal mode and page size the backup itself decides.
    init(path: String, mode: Mode, configuration: StoreConfiguration, setUp: Bool) throws {
        precondition(sqlite3_threadsafe() != 0, "libsqlite3 was built without thread support")
        Self.configureLibrary
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readWrite: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var connection: OpaquePointer?
        let result = sqlite3_open_v2(path, &connection, flags, nil)
        guard result == SQLITE_OK, let connection else {
            // "Whether or not an error occurs when it is opened, resources associated with the database
            // connection handle should be released by passing it to sqlite3_close()."
            let error = SQLiteError(connection: connection, resultCode: result, sql: nil)
            sqlite3_close_v2(connection)
            // The path is not secret and is what an operator needs to fix the problem.
            throw SQLiteError(extendedCode: error.extendedCode, message: "\(error.message): \(path)")
        }
        self.handle = connection
        self.path = path
        self.mode = mode
        self.statementCacheCapacity = max(1, configuration.statementCacheCapacity)
        sqlite3_extended_result_codes(connection, 1)
        guard setUp else { return }
        do {
            try self.setUp(configuration)
        } catch {
            close()
            throw error
        }
    }

    /// Process-wide settings, made once before the first connection opens (SQLite accepts them
    /// only before it initializes).
    ///
    /// Memory statistics off: with them on, "SQLite ... keeps statistics" under a global mutex that
    /// every allocation takes (`SQLITE_CONFIG_MEMSTATUS`), which was about 770 lock and unlock pairs
    /// per meeting POST, 4 % of its instructions, shared by every thread. Nothing here reads them
    /// (`sqlite3_memory_used`, the soft heap limit). If SQLite was initialized already, by other
    /// code in the process, the call fails and the statistics stay on.
    private static let configureLibrary: Void = {
        _ = bilateral_sqlite_config_memstatus(0)
    }()

    deinit {
        if !isClosed {
            statementCache.removeAll()
            sqlite3_close_v2(handle)
        }
    }

    private func setUp(_ configuration: StoreConfiguration) throws {
        // Same effect as PRAGMA busy_timeout, without formatting SQL.
        sqlite3_busy_timeout(handle, Int32(clamping: max(0, configuration.busyTimeoutMilliseconds)))
        // PRAGMA arguments cannot be bound parameters. Each value below is an integer or a fixed
        // keyword chosen by a switch, so nothing from outside can reach the SQL text.
        try execute("PRAGMA foreign_keys = ON")
        try execute("PRAGMA cache_size = -\(max(1, configuration.cacheSizeKibibytes))")
        try execute("PRAGMA temp_store = MEMORY")
        guard mode == .readWrite else { return }
        let journalMode = try scalar("PRAGMA journal_mode = WAL")?.string?.lowercased()
        // An in-memory database reports "memory"; it has no file for a WAL to live beside.
        guard journalMode == "wal" || path == ":memory:" || path.isEmpty else {
            throw SQLiteError(
                extendedCode: SQLITE_CANTOPEN,
                message: "could not switch to WAL mode (journal_mode is \(journalMode ?? "unknown"))",
                sql: "PRAGMA journal_mode = WAL"
            )
        }
        switch configuration.synchronous {
        case .full: try execute("PRAGMA synchronous = FULL")
        case .normal: try execute("PRAGMA synchronous = NORMAL")
        }
    }

    /// Closes the connection, finalizing cached statements; later statements throw. Idempotent.
    ///
    /// Uses `sqlite3_close_v2`: statements still referenced elsewhere keep the connection alive as a
    /// "zombie" until they are released, instead of failing the close.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    // MARK: Statements

    /// Runs one or more `;`-separated statements without arguments, e.g. a migration's DDL.
    /// - Throws: ``SQLiteError`` carrying the statement that failed.
    public func execute(_ sql: String) throws {
        try checkOpen(sql)
        try sql.withCString { start in
            var next: UnsafePointer<CChar>? = start
            while let current = next, current.pointee != 0 {
                var statementHandle: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let result = sqlite3_prepare_v2(handle, current, -1, &statementHandle, &tail)
                guard result == SQLITE_OK else {
                    // On failure the tail points at the error, not the end of the statement: report
                    // the rest of the script, which starts with the failing statement.
                    throw SQLiteError(connection: handle, resultCode: result, sql: Self.text(from: current, to: nil))
                }
                next = tail
                // Whitespace or a comment after the last `;` prepares to no statement at all.
                guard let statementHandle else { continue }
                let statement = Statement(
                    handle: statementHandle, connection: handle, sql: Self.text(from: current, to: tail))
                try statement.execute()
            }
        }
    }

    /// Prepares a statement that is not cached; it is finalized when released.
    /// - Throws: ``SQLiteError`` when the SQL does not compile, or holds more than one statement.
    public func prepare(_ sql: String) throws -> Statement {
        try prepare(sql, flags: 0)
    }

    private func prepare(_ sql: String, flags: UInt32) throws -> Statement {
        try checkOpen(sql)
        var statementHandle: OpaquePointer?
        var hasSecondStatement = false
        let result = sql.withCString { start in
            var tail: UnsafePointer<CChar>?
            let result = sqlite3_prepare_v3(handle, start, -1, flags, &statementHandle, &tail)
            if result == SQLITE_OK, let tail {
                hasSecondStatement = containsStatement(tail)
            }
            return result
        }
        guard result == SQLITE_OK else {
            throw SQLiteError(connection: handle, resultCode: result, sql: sql)
        }
        guard let statementHandle else {
            throw SQLiteError.misuse("no statement to prepare", sql: sql)
        }
        let statement = Statement(handle: statementHandle, connection: handle, sql: sql)
        // Silently ignoring a second statement would hide a bug; execute(_:) is for scripts.
        guard !hasSecondStatement else {
            throw SQLiteError.misuse("more than one statement; use execute(_:) for scripts", sql: sql)
        }
        return statement
    }

    /// Whether `text` holds anything but whitespace and comments, asking SQLite's own tokenizer.
    private func containsStatement(_ text: UnsafePointer<CChar>) -> Bool {
        var cursor = text
        // Skip space, newline, tab, carriage return and `;`: the usual end of a single statement.
        while [0x20, 0x0A, 0x09, 0x0D, 0x3B].contains(cursor.pointee) {
            cursor += 1
        }
        guard cursor.pointee != 0 else { return false }
        var statementHandle: OpaquePointer?
        let result = sqlite3_prepare_v2(handle, cursor, -1, &statementHandle, nil)
        sqlite3_finalize(statementHandle)
        // Something that does not compile is something, too.
        return result != SQLITE_OK || statementHandle != nil
    }

    /// A prepared statement from this connection's cache, prepared on first use.
    ///
    /// The statement comes back reset, with its bindings cleared. If the cached statement is still
    /// running (a nested use of the same SQL), a fresh uncached statement is returned instead.
    public func cachedStatement(_ sql: String) throws -> Statement {
        if let statement = statementCache[sql] {
            if sqlite3_stmt_busy(statement.handle) == 0 {
                statement.reset()
                statement.clearBindings()
                return statement
            }
            return try prepare(sql)
        }
        // "SQLITE_PREPARE_PERSISTENT ... hint to the query planner that the prepared statement will be
        // retained for a long time and probably reused many times."
        let statement = try prepare(sql, flags: UInt32(SQLITE_PREPARE_PERSISTENT))
        if statementCache.count >= statementCacheCapacity {
            // SQL in this program is made of constants, so overflowing means a bug (SQL built from
            // data); emptying keeps memory bounded without the bookkeeping of an LRU.
            statementCache.removeAll()
        }
        statementCache[sql] = statement
        return statement
    }

    // MARK: State

    /// An object kept with this connection, one per type, for code above that is handed only the
    /// connection: for example work that a long transaction defers to its end.
    public subscript<Value: AnyObject>(attachment type: Value.Type) -> Value? {
        get { attachments[ObjectIdentifier(type)] as? Value }
        set { attachments[ObjectIdentifier(type)] = newValue }
    }

    /// The rowid of the most recent successful `INSERT` on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the most recent `INSERT`, `UPDATE` or `DELETE` on this connection.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// Rows changed since the connection was opened.
    public var totalChanges: Int { Int(sqlite3_total_changes64(handle)) }

    /// Whether a transaction is open (the connection is not in autocommit mode).
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Makes the statement running on this connection fail with `SQLITE_INTERRUPT` as soon as possible.
    ///
    /// This is the one method that may be called from another thread, as long as the connection
    /// stays open meanwhile: "It is safe to call this routine from a thread different from the thread
    /// that is currently running the database operation." ``SQLitePool/interrupt()`` does so safely.
    public func interrupt() {
        sqlite3_interrupt(handle)
    }

    // MARK: Private

    private func checkOpen(_ sql: String) throws {
        // Using a closed connection is a programmer error, but one a shutdown race can produce; an
        // error is kinder to in-flight requests than a trap.
        guard !isClosed else { throw SQLiteError.misuse("database connection is closed", sql: sql) }
    }

    /// The SQL between `start` and `end` (the end of the string when nil), without the whitespace
    /// around it — trimmed as bytes: a migration's script is long, and every statement of it gets one.
    private static func text(from start: UnsafePointer<CChar>, to end: UnsafePointer<CChar>?) -> String {
        let count = end.map { max(0, $0 - start) } ?? strlen(start)
        var bytes = UnsafeRawBufferPointer(start: start, count: count)[...]
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        while let first = bytes.first, isSpace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isSpace(last) { bytes = bytes.dropLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

@available(
    *, unavailable, message: "a SQLiteDatabase is one connection, used by one thread at a time; share a SQLitePool"
)
extension SQLiteDatabase: Sendable {}

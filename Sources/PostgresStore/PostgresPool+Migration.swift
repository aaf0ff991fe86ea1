import Storage

/// Applying a ``MigrationPlan`` once, however many nodes start at the same time.
extension PostgresPool {
    /// The key of the session-level advisory lock that migrations hold: "Bilatera" in ASCII, so
    /// that it is unlikely to collide with another application's lock on the same server.
    public static let migrationLockKey: Int64 = 0x4269_6C61_7465_7261

    /// Applies every pending migration in order, each in its own transaction together with the row
    /// that records it in `schema_migrations`, then installs ``beforeEachCommit``.
    ///
    /// The writer holds `pg_advisory_lock(migrationLockKey)` meanwhile, so other nodes migrating
    /// at once wait, then find nothing to do. While it migrates the writer has no statement or lock
    /// timeout: a migration may rewrite a large table, and a node waiting for the lock waits only
    /// as long as a live peer holds it (the server releases it when that peer's session ends).
    /// - Returns: The migrations applied now; empty when the schema was up to date.
    /// - Throws: ``MigrationError`` when the database is newer than this build or a migration fails
    ///   (those before it stay applied); ``PostgresError`` for failures around them.
    @discardableResult
    public func migrate(_ plan: MigrationPlan) throws -> [Migration] {
        let applied = try writeWithoutTransaction { db -> [Migration] in
            try db.execute("SET statement_timeout = 0; SET lock_timeout = 0")
            defer { try? db.execute(db.configuration.sessionSettings) }
            try db.execute("SELECT pg_advisory_lock(CAST(? AS BIGINT))", [.integer(Self.migrationLockKey)])
            // A session-level lock outlives transactions: it must be released on every path. If
            // the connection is gone, so is the lock.
            defer { try? db.execute("SELECT pg_advisory_unlock(CAST(? AS BIGINT))", [.integer(Self.migrationLockKey)]) }
            return try Self.applyPending(plan, on: db)
        }
        beforeEachCommit = plan.beforeEachCommit
        return applied
    }

    /// The versions recorded in `schema_migrations`, ascending; empty when the table does not exist.
    public func appliedMigrationVersions() throws -> [Int] {
        try read { db in
            let exists = try db.scalar("SELECT to_regclass('schema_migrations') IS NOT NULL")?.int ?? 0
            guard exists != 0 else { return [] }
            return try db.query("SELECT version FROM schema_migrations ORDER BY version", []) { try $0.int(0) }
        }
    }

    private static func applyPending(_ plan: MigrationPlan, on db: PostgresDatabase) throws -> [Migration] {
        try db.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """
        )
        let applied = try db.query("SELECT version FROM schema_migrations ORDER BY version", []) { try $0.int(0) }
        let pending = try plan.pending(applied: applied)
        for migration in pending {
            do {
                try db.transaction(.deferred) { db in
                    try migration.apply(db)
                    try db.execute(
                        """
                        INSERT INTO schema_migrations (version, name, applied_at)
                        VALUES (?, ?, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                        """,
                        [.integer(Int64(migration.version)), .text(migration.name)]
                    )
                }
            } catch {
                throw MigrationError.failed(migration, underlying: error)
            }
        }
        return pending
    }
}

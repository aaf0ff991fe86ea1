import Storage

/// Applies ordered, versioned ``Migration``s and records them in `schema_migrations`.
///
/// Each pending migration runs in its own `BEGIN IMMEDIATE` transaction together with the row that
/// records it, so a migration is applied entirely or not at all, and two processes migrating at once
/// cannot apply the same one twice.
public struct Migrator: Sendable {
    /// The migrations and the work before each commit.
    public let plan: MigrationPlan

    /// The migrations this build knows, by ascending version.
    public var migrations: [Migration] { plan.migrations }

    /// Creates a migrator for `plan`.
    public init(_ plan: MigrationPlan) {
        self.plan = plan
    }

    /// Creates a migrator for `migrations` (see ``MigrationPlan/init(_:beforeEachCommit:)``).
    public init(_ migrations: [Migration], beforeEachCommit: (@Sendable (any Database) throws -> Void)? = nil) {
        plan = MigrationPlan(migrations, beforeEachCommit: beforeEachCommit)
    }

    /// What every write transaction runs just before it commits (see
    /// ``MigrationPlan/beforeEachCommit``).
    public var beforeEachCommit: (@Sendable (any Database) throws -> Void)? { plan.beforeEachCommit }

    /// The highest version this build knows, 0 when it has no migrations.
    public var latestVersion: Int { plan.latestVersion }

    /// Applies every pending migration in order.
    /// - Returns: The migrations applied now, in order; empty when the schema was up to date.
    /// - Throws: ``MigrationError`` when the database is newer than this build or a migration fails
    ///   (everything before it stays applied); ``SQLiteError`` for failures around them.
    @discardableResult
    public func migrate(_ db: SQLiteDatabase) throws -> [Migration] {
        guard !db.isInTransaction else { throw MigrationError.insideTransaction }
        try db.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """
        )
        let applied = Set(try appliedVersions(in: db))
        _ = try plan.pending(applied: applied)
        var appliedNow: [Migration] = []
        for migration in migrations where !applied.contains(migration.version) {
            let didApply = try db.transaction(.immediate) { db -> Bool in
                // Another process may have applied it since the versions were read.
                let recorded = try db.scalar(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", migration.version)
                guard recorded == nil else { return false }
                do {
                    try migration.apply(db)
                } catch {
                    throw MigrationError.failed(migration, underlying: error)
                }
                try db.execute(
                    """
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                    """,
                    migration.version, migration.name
                )
                return true
            }
            if didApply {
                appliedNow.append(migration)
            }
        }
        return appliedNow
    }

    /// Applies every pending migration through the pool's writer, then installs
    /// ``beforeEachCommit`` on the pool.
    @discardableResult
    public func migrate(_ pool: SQLitePool) throws -> [Migration] {
        let applied = try pool.writeWithoutTransaction { try migrate($0) }
        pool.beforeEachCommit = beforeEachCommit
        return applied
    }

    /// The versions recorded in `schema_migrations`, ascending; empty when the table does not exist.
    public func appliedVersions(in db: SQLiteDatabase) throws -> [Int] {
        let exists = try db.scalar(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'")
        guard exists != nil else { return [] }
        return try db.query("SELECT version FROM schema_migrations ORDER BY version") { try $0.int(0) }
    }

    /// The migrations not yet applied to `db`, in order.
    /// - Throws: ``MigrationError`` when the database is newer than this build.
    public func pendingMigrations(in db: SQLiteDatabase) throws -> [Migration] {
        try plan.pending(applied: try appliedVersions(in: db))
    }
}

extension SQLitePool {
    /// Applies `plan`'s pending migrations through the writer (see ``Migrator``).
    @discardableResult
    public func migrate(_ plan: MigrationPlan) throws -> [Migration] {
        try Migrator(plan).migrate(self)
    }
}

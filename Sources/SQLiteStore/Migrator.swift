/// Applies ordered, versioned ``Migration``s and records them in `schema_migrations`.
///
/// Each pending migration runs in its own `BEGIN IMMEDIATE` transaction together with the row that
/// records it, so a migration is applied entirely or not at all, and two processes migrating at once
/// cannot apply the same one twice.
public struct Migrator: Sendable {
    /// The migrations this build knows, by ascending version.
    public let migrations: [Migration]

    /// What every write transaction on a database of this schema runs just before it commits:
    /// work the schema's triggers defer to the end of a transaction. ``migrate(_:)-(DatabasePool)``
    /// installs it on the pool (``DatabasePool/beforeEachCommit``).
    public let beforeEachCommit: (@Sendable (Database) throws -> Void)?

    /// Creates a migrator.
    /// - Parameters:
    ///   - migrations: Versions must be positive and strictly ascending (a programmer error
    ///     otherwise: migrations are constants of the program).
    ///   - beforeEachCommit: See ``beforeEachCommit``.
    public init(_ migrations: [Migration], beforeEachCommit: (@Sendable (Database) throws -> Void)? = nil) {
        for (previous, next) in zip(migrations, migrations.dropFirst()) {
            precondition(previous.version < next.version, "migration versions must be strictly ascending")
        }
        precondition(migrations.allSatisfy { $0.version > 0 }, "migration versions must be positive")
        self.migrations = migrations
        self.beforeEachCommit = beforeEachCommit
    }

    /// The highest version this build knows, 0 when it has no migrations.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Applies every pending migration in order.
    /// - Returns: The migrations applied now, in order; empty when the schema was up to date.
    /// - Throws: ``MigrationError`` when the database is newer than this build or a migration fails
    ///   (everything before it stays applied); ``SQLiteError`` for failures around them.
    @discardableResult
    public func migrate(_ db: Database) throws -> [Migration] {
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
        try checkKnown(applied)
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
    public func migrate(_ pool: DatabasePool) throws -> [Migration] {
        let applied = try pool.writeWithoutTransaction { try migrate($0) }
        pool.beforeEachCommit = beforeEachCommit
        return applied
    }

    /// The versions recorded in `schema_migrations`, ascending; empty when the table does not exist.
    public func appliedVersions(in db: Database) throws -> [Int] {
        let exists = try db.scalar(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'")
        guard exists != nil else { return [] }
        return try db.query("SELECT version FROM schema_migrations ORDER BY version") { try $0.int(0) }
    }

    /// The migrations not yet applied to `db`, in order.
    /// - Throws: ``MigrationError`` when the database is newer than this build.
    public func pendingMigrations(in db: Database) throws -> [Migration] {
        let applied = Set(try appliedVersions(in: db))
        try checkKnown(applied)
        return migrations.filter { !applied.contains($0.version) }
    }

    private func checkKnown(_ applied: Set<Int>) throws {
        // Code older than its database would write data the newer schema does not expect.
        if let newest = applied.max(), newest > latestVersion {
            throw MigrationError.databaseIsNewer(databaseVersion: newest, latestKnownVersion: latestVersion)
        }
        let known = Set(migrations.map(\.version))
        if let unknown = applied.subtracting(known).min() {
            throw MigrationError.unknownVersion(unknown)
        }
    }
}

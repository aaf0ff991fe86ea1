/// The migrations of one schema on one backend, and what every write transaction runs before its
/// commit. Versions are the same on every backend: version 7 is the same change on SQLite and on
/// PostgreSQL, each written in its engine's SQL.
public struct MigrationPlan: Sendable {
    /// The migrations this build knows, by ascending version.
    public let migrations: [Migration]
    /// See ``DatabaseStore/beforeEachCommit``.
    public let beforeEachCommit: (@Sendable (any Database) throws -> Void)?

    /// Creates a plan. Versions must be positive and strictly ascending (a programmer error
    /// otherwise: migrations are constants of the program).
    public init(_ migrations: [Migration], beforeEachCommit: (@Sendable (any Database) throws -> Void)? = nil) {
        for (previous, next) in zip(migrations, migrations.dropFirst()) {
            precondition(previous.version < next.version, "migration versions must be strictly ascending")
        }
        precondition(migrations.allSatisfy { $0.version > 0 }, "migration versions must be positive")
        self.migrations = migrations
        self.beforeEachCommit = beforeEachCommit
    }

    /// The highest version this build knows, 0 when it has no migrations.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// The migrations not applied yet, given the versions a database records.
    /// - Throws: ``MigrationError`` when the database records a version this build does not know:
    ///   code older than its database would write data the newer schema does not expect.
    public func pending(applied: some Sequence<Int>) throws -> [Migration] {
        let applied = Set(applied)
        if let newest = applied.max(), newest > latestVersion {
            throw MigrationError.databaseIsNewer(databaseVersion: newest, latestKnownVersion: latestVersion)
        }
        let known = Set(migrations.map(\.version))
        if let unknown = applied.subtracting(known).min() {
            throw MigrationError.unknownVersion(unknown)
        }
        return migrations.filter { !applied.contains($0.version) }
    }
}

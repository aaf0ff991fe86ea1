import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

@Suite struct MigratorTests {
    struct Failure: Error {}

    static let createActors = Migration(version: 1, name: "create actors") { db in
        try db.execute("CREATE TABLE actors (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    }
    static let addSlug = Migration(version: 2, name: "add slug") { db in
        try db.execute("ALTER TABLE actors ADD COLUMN slug TEXT")
        try db.execute("CREATE UNIQUE INDEX actors_slug ON actors (slug)")
    }
    static let seed = Migration(version: 3, name: "seed") { db in
        // Depends on version 2 having run first.
        try db.execute("INSERT INTO actors (name, slug) VALUES (?, ?)", "Seed", "seed")
    }

    @Test func appliesInOrderAndRecordsEachVersion() throws {
        let directory = try TemporaryDirectory()
        let db = try SQLiteDatabase(path: directory.databasePath)
        let migrator = Migrator([Self.createActors, Self.addSlug, Self.seed])
        let applied = try migrator.migrate(db)
        #expect(applied.map(\.version) == [1, 2, 3])
        #expect(try db.scalar("SELECT slug FROM actors")?.string == "seed")
        let recorded = try db.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version") {
            row in (try row.int(0), try row.string(1), try row.string(2))
        }
        #expect(recorded.map(\.0) == [1, 2, 3])
        #expect(recorded.map(\.1) == ["create actors", "add slug", "seed"])
        #expect(recorded.allSatisfy { $0.2.hasSuffix("Z") && $0.2.count >= 20 })
        #expect(try migrator.appliedVersions(in: db) == [1, 2, 3])
    }

    @Test func isIdempotentAndAppliesOnlyWhatIsPending() throws {
        let directory = try TemporaryDirectory()
        let db = try SQLiteDatabase(path: directory.databasePath)
        #expect(try Migrator([Self.createActors]).migrate(db).map(\.version) == [1])
        let full = Migrator([Self.createActors, Self.addSlug, Self.seed])
        #expect(try full.pendingMigrations(in: db).map(\.version) == [2, 3])
        #expect(try full.migrate(db).map(\.version) == [2, 3])
        #expect(try full.migrate(db).isEmpty)
        #expect(try db.scalar("SELECT count(*) FROM actors")?.int == 1)
    }

    @Test func failingMigrationRollsBackEntirely() throws {
        let directory = try TemporaryDirectory()
        let db = try SQLiteDatabase(path: directory.databasePath)
        let broken = Migration(version: 2, name: "broken") { db in
            try db.execute("CREATE TABLE half_done (x)")
            try db.execute("INSERT INTO half_done VALUES (1)")
            throw Failure()
        }
        let migrator = Migrator([Self.createActors, broken, Self.seed])
        let error = try #require(throws: MigrationError.self) { try migrator.migrate(db) }
        #expect(error.version == 2)
        #expect(error.underlying is Failure)
        #expect(error.description.contains("broken"))
        #expect(try migrator.appliedVersions(in: db) == [1])
        #expect(try db.scalar("SELECT 1 FROM sqlite_schema WHERE name = 'half_done'") == nil)
        #expect(!db.isInTransaction)

        // An SQL error inside a migration is wrapped the same way.
        let badSQL = Migration(version: 2, name: "bad sql") { db in
            try db.execute("CREATE TABLE fine (x); CREATE TABLE actors (x)")
        }
        let sqlError = try #require(throws: MigrationError.self) {
            try Migrator([Self.createActors, badSQL]).migrate(db)
        }
        #expect(sqlError.underlying is SQLiteError)
        #expect(try db.scalar("SELECT 1 FROM sqlite_schema WHERE name = 'fine'") == nil)
    }

    @Test func refusesADatabaseNewerThanTheCode() throws {
        let directory = try TemporaryDirectory()
        let db = try SQLiteDatabase(path: directory.databasePath)
        try Migrator([Self.createActors, Self.addSlug, Self.seed]).migrate(db)
        let older = Migrator([Self.createActors, Self.addSlug])
        let error = try #require(throws: MigrationError.self) { try older.migrate(db) }
        #expect(error.isDatabaseNewer)
        #expect(error.version == 3)
        #expect(error.description.contains("newer"))
        #expect(throws: MigrationError.self) { try older.pendingMigrations(in: db) }
    }

    @Test func migratesThroughAPoolAndRefusesAnOpenTransaction() throws {
        let directory = try TemporaryDirectory()
        let pool = try SQLitePool(path: directory.databasePath)
        defer { pool.close() }
        let migrator = Migrator([Self.createActors, Self.addSlug, Self.seed])
        #expect(try migrator.migrate(pool).count == 3)
        #expect(try pool.read { try $0.scalar("SELECT count(*) FROM actors")?.int } == 1)
        #expect(throws: MigrationError.self) {
            try pool.write { try migrator.migrate($0) }
        }
    }
}

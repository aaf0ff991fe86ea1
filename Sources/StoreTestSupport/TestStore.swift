import BilateralAPI
import HTTPTestSupport
import PostgresStore
import SQLiteStore
import Storage

/// The stores a test runs on: SQLite always, PostgreSQL too when `BILATERAL_TEST_POSTGRES` names a
/// server (see ``TestPostgres``).
public enum TestStore {
    /// The backends available to this run.
    public static var backends: [Backend] { TestPostgres.isConfigured ? [.sqlite, .postgresql] : [.sqlite] }

    /// Runs `body` with a fresh, migrated store of `backend`: a SQLite file in `directory`, or a
    /// database of its own on the test server, dropped after. The store is always closed.
    public static func with<T>(
        _ backend: Backend, in directory: TemporaryDirectory, _ body: (any DatabaseStore) throws -> T
    ) throws -> T {
        switch backend {
        case .sqlite:
            let pool = try SQLitePool(path: directory.databasePath)
            defer { pool.close() }
            try Schema.migrate(pool)
            return try body(pool)
        case .postgresql:
            return try TestPostgres.withDatabase { url in
                let pool = try PostgresPool(url: url, configuration: PostgresConfiguration())
                defer { pool.close() }
                try Schema.migrate(pool)
                return try body(pool)
            }
        }
    }
}

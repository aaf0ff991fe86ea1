import Dispatch
import Foundation
import PostgresStore
import Storage
import Synchronization

/// The server the tests run against: the libpq URI in `BILATERAL_TEST_POSTGRES`, on which they may
/// `CREATE DATABASE`. Without it every test that needs a server is skipped, with one notice.
public enum TestPostgres {
    public static let url: String? = {
        guard let url = getenv("BILATERAL_TEST_POSTGRES").map({ String(cString: $0) }), !url.isEmpty else {
            print("BILATERAL_TEST_POSTGRES is not set: tests on PostgreSQL are skipped (SQLite only)")
            return nil
        }
        return url
    }()

    public static var isConfigured: Bool { url != nil }

    /// Runs `body` with the URI of a fresh database, dropped after (`WITH (FORCE)` ends sessions a
    /// test left behind).
    public static func withDatabase<T>(_ body: (String) throws -> T) throws -> T {
        guard let url else { throw StoreError(.misuse, message: "BILATERAL_TEST_POSTGRES is not set") }
        let name = "bilateral_test_" + (0..<12).map { _ in String(UInt8.random(in: 0...15), radix: 16) }.joined()
        let admin = try PostgresDatabase(url: url)
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(name)")
        defer { try? admin.execute("DROP DATABASE \(name) WITH (FORCE)") }
        return try body(replacingDatabase(of: url, with: name))
    }

    /// Runs `body` with a pool on a fresh database.
    public static func withPool<T>(
        _ configuration: PostgresConfiguration = PostgresConfiguration(),
        _ body: (PostgresPool, String) throws -> T
    ) throws -> T {
        try withDatabase { url in
            let pool = try PostgresPool(url: url, configuration: configuration)
            defer { pool.close() }
            return try body(pool, url)
        }
    }

    /// `url` naming the database `name`: a URI's path is replaced, a conninfo string gets a
    /// `dbname` (the last one wins).
    public static func replacingDatabase(of url: String, with name: String) -> String {
        guard PostgresConfiguration.isConnectionURI(url), let schemeEnd = url.range(of: "://") else {
            return url + " dbname=\(name)"
        }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let queryStart = rest[authorityEnd...].firstIndex(of: "?") ?? rest.endIndex
        return String(url[..<authorityEnd]) + "/" + name + String(rest[queryStart...])
    }
}

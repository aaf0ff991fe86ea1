import ArgumentParser
import BilateralAPI
import SQLiteStore

/// Where a command's database is: a SQLite file, or a PostgreSQL server named by a libpq URI.
enum StoreLocation: CustomStringConvertible, Equatable {
    case sqlite(path: String)
    case postgresql(url: String)

    /// `--db` as given: a `postgresql://` or `postgres://` URI, else a file path.
    init(_ value: String) {
        let lowered = value.lowercased()
        if lowered.hasPrefix("postgresql://") || lowered.hasPrefix("postgres://") {
            self = .postgresql(url: value)
        } else {
            self = .sqlite(path: value)
        }
    }

    /// The path, or the URI without its password: what messages may show.
    var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgresql(let url): return Self.redacted(url)
        }
    }

    /// `url` with the password of its user-info part replaced by `***`.
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else {
            return url
        }
        return String(url[..<authority.index(after: colon)]) + "***" + String(url[at...])
    }
}

/// The database options every command shares.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: """
            The SQLite database file (created when missing), or a PostgreSQL libpq URI \
            (postgresql://user@host:5432/db?sslmode=require; password from the URI, PGPASSWORD or \
            ~/.pgpass). [env: BILATERAL_DB] (default: ./bilateral.sqlite)
            """)
    var db: String?

    @Option(
        name: .long,
        help:
            "SQLite durability: `full` (every commit reaches the disk) or `normal` (faster; a power cut may lose the last commits). [env: BILATERAL_SYNCHRONOUS] (default: full)"
    )
    var synchronous: String?

    func location() throws -> StoreLocation {
        StoreLocation(try EnvironmentDefault.resolve(db, "DB", "./bilateral.sqlite") { $0 })
    }

    func configuration() throws -> StoreConfiguration {
        var configuration = StoreConfiguration()
        let mode = try EnvironmentDefault.resolve(synchronous, "SYNCHRONOUS", "full") { $0 }
        switch mode.lowercased() {
        case "full": configuration.synchronous = .full
        case "normal": configuration.synchronous = .normal
        default: throw ValidationError("--synchronous must be `full` or `normal`, not '\(mode)'.")
        }
        return configuration
    }
}

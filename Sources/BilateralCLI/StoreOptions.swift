import ArgumentParser
import BilateralAPI
import SQLiteStore

/// The database options every command shares.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "The SQLite database file; created when missing. [env: BILATERAL_DB] (default: ./bilateral.sqlite)")
    var db: String?

    @Option(
        name: .long,
        help:
            "SQLite durability: `full` (every commit reaches the disk) or `normal` (faster; a power cut may lose the last commits). [env: BILATERAL_SYNCHRONOUS] (default: full)"
    )
    var synchronous: String?

    func path() throws -> String {
        try EnvironmentDefault.resolve(db, "DB", "./bilateral.sqlite") { $0 }
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

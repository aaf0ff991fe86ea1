/// Why a ``Migrator`` refused to run or stopped.
public struct MigrationError: Error, CustomStringConvertible, Sendable {
    private enum Kind: Sendable {
        case databaseIsNewer(databaseVersion: Int, latestKnownVersion: Int)
        case unknownVersion(Int)
        case failed(version: Int, name: String, underlying: any Error)
        case insideTransaction
    }

    private let kind: Kind

    private init(_ kind: Kind) {
        self.kind = kind
    }

    public static func databaseIsNewer(databaseVersion: Int, latestKnownVersion: Int) -> MigrationError {
        MigrationError(.databaseIsNewer(databaseVersion: databaseVersion, latestKnownVersion: latestKnownVersion))
    }

    public static func unknownVersion(_ version: Int) -> MigrationError {
        MigrationError(.unknownVersion(version))
    }

    public static func failed(_ migration: Migration, underlying: any Error) -> MigrationError {
        MigrationError(.failed(version: migration.version, name: migration.name, underlying: underlying))
    }

    public static let insideTransaction = MigrationError(.insideTransaction)

    /// The database was migrated by a newer build: running older code against it could corrupt data.
    public var isDatabaseNewer: Bool {
        if case .databaseIsNewer = kind { return true }
        return false
    }

    /// The database records a version this build does not have (but not newer than its latest).
    public var isUnknownVersion: Bool {
        if case .unknownVersion = kind { return true }
        return false
    }

    /// The version of the migration that failed, or that the database has and this build lacks.
    public var version: Int? {
        switch kind {
        case .databaseIsNewer(let version, _), .unknownVersion(let version), .failed(let version, _, _):
            return version
        case .insideTransaction:
            return nil
        }
    }

    /// The error a failing migration threw; it has been rolled back entirely.
    public var underlying: (any Error)? {
        if case .failed(_, _, let underlying) = kind { return underlying }
        return nil
    }

    /// What went wrong, with the versions involved.
    public var description: String {
        switch kind {
        case .databaseIsNewer(let databaseVersion, let latestKnownVersion):
            return "database schema version \(databaseVersion) is newer than this build knows "
                + "(latest \(latestKnownVersion)); refusing to use it"
        case .unknownVersion(let version):
            return "database has migration \(version) applied, which this build does not know; refusing to use it"
        case .failed(let version, let name, let underlying):
            return "migration \(version) (\(name)) failed and was rolled back: \(underlying)"
        case .insideTransaction:
            return "migrations must not run inside a transaction: each one needs its own"
        }
    }
}

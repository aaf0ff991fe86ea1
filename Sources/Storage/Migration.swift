/// One step of the schema's history: a version number, a name for logs, and the change itself.
public struct Migration: Sendable {
    /// The version this migration brings the schema to; versions only grow.
    public let version: Int
    /// A short description, recorded in `schema_migrations`.
    public let name: String
    /// Applies the change. Runs inside a transaction that also records the version, so a throw (or
    /// an SQL error) leaves no trace. Foreign keys stay enforced; a table rebuild should use
    /// `PRAGMA defer_foreign_keys = ON`, which works inside a transaction.
    public let apply: @Sendable (any Database) throws -> Void

    /// Creates a migration.
    public init(version: Int, name: String, apply: @escaping @Sendable (any Database) throws -> Void) {
        self.version = version
        self.name = name
        self.apply = apply
    }
}

import Storage

/// The database schema, as ordered migrations, one plan per backend with the same versions. A
/// migration, once released, never changes: later changes are new migrations.
public enum Schema {
    /// The plan for `backend`.
    public static func plan(for backend: Backend) -> MigrationPlan {
        switch backend {
        case .sqlite: return sqlite
        case .postgresql: return PostgresSchema.plan
        }
    }

    /// Brings `store`'s schema up to date (once, however many processes start together).
    @discardableResult
    public static func migrate(_ store: any DatabaseStore) throws -> [Migration] {
        try store.migrate(plan(for: store.backend))
    }
}

import Storage

/// The PostgreSQL schema (placeholder until the port lands on this branch).
enum PostgresSchema {
    static let plan = MigrationPlan([])
}

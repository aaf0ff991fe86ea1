import Storage

/// Migration 10 on PostgreSQL: nothing to do.
///
/// On SQLite it rewrote the CHECK constraints' `IN` lists as `=`/`OR` chains, because SQLite builds
/// a temporary b-tree for an `IN` list of constants at every row it checks. PostgreSQL evaluates
/// such a list as a scalar array comparison, without that cost, and migration 4 already declares
/// constraints that accept and reject exactly the same values.
extension PostgresRecordSchema {
    static let checksMigration = Migration(version: 10, name: "checks_without_temporary_tables") { _ in }
}

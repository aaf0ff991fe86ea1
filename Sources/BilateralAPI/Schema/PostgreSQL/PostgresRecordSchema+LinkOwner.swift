import Storage

/// Migration 12 on PostgreSQL: no change of schema, as on SQLite (see ``RecordSchema``'s
/// `linkOwnerMigration`). The version is what matters: a build that still lets meetings write
/// links to initiatives refuses a database at version 12.
extension PostgresRecordSchema {
    static let linkOwnerMigration = Migration(version: 12, name: "initiatives_own_meeting_links") { _ in }
}

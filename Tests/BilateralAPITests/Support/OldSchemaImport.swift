import SQLiteStore
import Storage

@testable import BilateralAPI

/// Imports `ndjson` into a database migrated only part of the way, as an older build would have
/// written it. This build's write path appends to the change feed (migration 14), which such a
/// database lacks: the import gets a scratch feed, dropped afterwards, so the migrations still to
/// come find the schema as the older build left it.
func importIntoOldSchema(_ ndjson: [UInt8], to pool: SQLitePool) throws -> RecordImport.Counts {
    try pool.writeAlone { db in try ChangeSchema.migration.apply(db) }
    let counts = try RecordImport.apply(ndjson, to: pool)
    try pool.writeAlone { db in try db.execute("DROP TABLE changes; DROP TABLE change_clock;") }
    return counts
}

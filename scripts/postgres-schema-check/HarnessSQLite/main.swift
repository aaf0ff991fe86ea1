import SQLiteStore
import Storage

let migrations = [
    Migration(version: 1, name: "countries", apply: Schema.createCountries),
    Migration(version: 2, name: "api_keys", apply: Schema.createAPIKeys),
    Migration(version: 3, name: "settings", apply: Schema.createSettings),
    RecordSchema.migration, TextSearchSchema.migration, RelationSchema.migration, TextSearchQueue.migration,
    RelationSchema.payloadMigration, RelationSchema.listCopiesMigration, RecordSchema.checksMigration,
    TextSearchMerging.migration, RecordSchema.linkOwnerMigration,
]
let pool = try SQLitePool(path: CommandLine.arguments[1])
for migration in migrations {
    try pool.write { db in try migration.apply(db) }
}

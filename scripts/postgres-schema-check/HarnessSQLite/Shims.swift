import SQLiteStore
import Storage
typealias Database = SQLiteDatabase
typealias SQLiteValue = SQLValue
struct Migration: Sendable {
    let version: Int
    let name: String
    let apply: @Sendable (SQLiteDatabase) throws -> Void
    init(version: Int, name: String, apply: @escaping @Sendable (SQLiteDatabase) throws -> Void) {
        self.version = version
        self.name = name
        self.apply = apply
    }
}

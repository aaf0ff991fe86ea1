import HTTPCore
import Storage

/// Values written straight from a row's columns: the text as SQLite holds it is copied (escaped
/// where JSON requires) without a `String` in between, for exports, which write every record.
/// The bytes are the ones the `String` would give (`JSONWriter.string(utf8:)`).
extension JSONWriter {
    /// Writes the text of column `index` as a string.
    /// - Throws: ``SQLiteError`` when the column is `NULL`, as `Row.string` does.
    mutating func string(_ row: Row, _ index: Int) throws {
        try row.withUnsafeText(index) { string(utf8: $0) }
    }

    /// Writes the text of column `index` as a string, or `null` when `NULL`.
    mutating func optionalString(_ row: Row, _ index: Int) {
        row.withUnsafeOptionalText(index) { text in
            if let text { string(utf8: text) } else { null() }
        }
    }

    /// Writes column `index` as an integer.
    /// - Throws: ``SQLiteError`` when the column is `NULL`, as `Row.int` does.
    mutating func int(_ row: Row, _ index: Int) throws {
        int(try row.int(index))
    }

    /// Writes an array of the text in column 1 of the current record's rows of `table` (a list of
    /// ids or codes, its record's id in column 0).
    mutating func strings(_ children: inout RecordChildren, _ table: some RawRepresentable<Int>) throws {
        beginArray()
        try children.forEach(table) { try string($0, 1) }
        endArray()
    }
}

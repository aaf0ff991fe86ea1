import Storage

/// A row read from its column `offset` on: column 0 is the underlying row's column `offset`. For
/// a query whose rows carry two layouts side by side (`ChildTablesUnion`'s record and its child
/// tables), so that each part is read by the column numbers of its own query.
struct OffsetRow: Row {
    let base: any Row
    let offset: Int

    var count: Int { base.count - offset }
    func columnName(at index: Int) -> String { base.columnName(at: index + offset) }
    func isNull(_ index: Int) -> Bool { base.isNull(index + offset) }
    func value(_ index: Int) -> SQLValue { base.value(index + offset) }
    func optionalInt64(_ index: Int) -> Int64? { base.optionalInt64(index + offset) }
    func optionalDouble(_ index: Int) -> Double? { base.optionalDouble(index + offset) }
    func optionalString(_ index: Int) -> String? { base.optionalString(index + offset) }
    func optionalBlob(_ index: Int) -> [UInt8]? { base.optionalBlob(index + offset) }

    func withUnsafeOptionalText<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> T) rethrows -> T {
        try base.withUnsafeOptionalText(index + offset, body)
    }

    func index(of name: String) throws -> Int { try base.index(of: name) - offset }
    func nullError(_ index: Int) -> any Error { base.nullError(index + offset) }
}

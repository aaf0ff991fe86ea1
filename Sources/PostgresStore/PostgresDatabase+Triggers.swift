import Storage

/// Suspending triggers for set-based work that does what they do, row by row, for many rows at once.
extension PostgresDatabase {
    /// The setting that names the tables whose triggers stand aside, comma-separated: the schema's
    /// trigger functions return at once when their table is listed (`ALTER TABLE ... DISABLE
    /// TRIGGER` would do it too, but holds the table's ACCESS EXCLUSIVE lock, which would stall
    /// every reader of the table until the transaction ends).
    public static let suspendedTriggersSetting = "bilateral.suspended_triggers"

    /// Runs `body` with the triggers of `tables` standing aside. It must run inside a
    /// transaction: the setting is local to it (`set_config(..., true)`), so no other connection
    /// is affected and a rollback ends the suspension too.
    public func withoutTriggers<T>(on tables: [String], _ body: () throws -> T) throws -> T {
        precondition(isInTransaction, "withoutTriggers must run inside a transaction")
        let setting = SQLValue.text(Self.suspendedTriggersSetting)
        try execute("SELECT set_config(?, ?, true)", [setting, .text(tables.joined(separator: ","))])
        let result = try body()
        try execute("SELECT set_config(?, '', true)", [setting])
        return result
    }
}

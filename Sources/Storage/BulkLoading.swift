/// A connection that appends many rows to a table in one command (PostgreSQL's
/// `COPY ... FROM STDIN`) instead of one `INSERT` per row, each a round trip to the server.
public protocol BulkLoading: AnyObject {
    /// Appends `rows` to `table`, each row holding the values of `columns` in that order: what as
    /// many `INSERT INTO table (columns) VALUES (...)` would do, triggers and constraints included.
    /// - Parameters:
    ///   - table: one of the program's tables (a constant, never input).
    ///   - columns: its columns (constants too).
    func load(_ rows: [[SQLValue]], into table: String, columns: [String]) throws
}

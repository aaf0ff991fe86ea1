/// How an outermost transaction takes its locks.
public enum TransactionKind: Sendable {
    /// No lock until the first read or write (SQLite's `BEGIN DEFERRED`; PostgreSQL's `BEGIN`). A
    /// read transaction sees one snapshot from its first read on.
    case deferred
    /// Takes the write lock at once (SQLite's `BEGIN IMMEDIATE`), so the transaction cannot fail
    /// halfway through when another connection writes. PostgreSQL locks rows as it writes them and
    /// treats this as `deferred`.
    case immediate
}

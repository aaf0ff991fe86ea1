/// A database shared by many threads: a writer and a pool of readers, each connection used by one
/// thread at a time. SQLite's `SQLitePool` and PostgreSQL's `PostgresPool` implement it; the
/// server holds one as `any DatabaseStore` and never learns which.
///
/// Every method blocks the calling thread while it waits for a connection: call them from worker
/// threads, never from an I/O queue or a Swift concurrency executor.
public protocol DatabaseStore: AnyObject, Sendable {
    /// The connection type handed to the closures.
    associatedtype Connection: Database

    /// Which engine this is.
    var backend: Backend { get }

    /// How long callers waited for connections and held them.
    var timings: DatabaseTimings { get }

    /// Runs `body` in a read-only transaction that sees one snapshot of the database from its first
    /// read to its end, so several queries that make one response never mix two states.
    func read<T>(_ body: (Connection) throws -> T) throws -> T

    /// Like ``read(_:)``, on a connection of its own: for a read that lasts as long as a client
    /// takes to receive it (an export), so it never holds one of the pool's readers meanwhile.
    func snapshotRead<T>(_ body: (Connection) throws -> T) throws -> T

    /// Runs `body` in a write transaction (possibly committed together with other writes) and
    /// returns once it has committed.
    func write<T>(_ body: (Connection) throws -> T) throws -> T

    /// Like ``write(_:)``, in a transaction of its own: for a write that changes the transaction's
    /// settings (deferring foreign keys) or holds the writer for long.
    func writeAlone<T>(_ body: (Connection) throws -> T) throws -> T

    /// Work every write transaction runs just before it commits: what the schema defers to the end
    /// of a transaction. If it throws, the transaction rolls back.
    var beforeEachCommit: (@Sendable (any Database) throws -> Void)? { get set }

    /// Applies every pending migration in order, once however many processes start at the same
    /// time (others wait, then find nothing to do), and installs ``beforeEachCommit``.
    /// - Returns: The migrations applied now; empty when the schema was up to date.
    /// - Throws: ``MigrationError`` when the database is newer than this build or one fails.
    @discardableResult
    func migrate(_ plan: MigrationPlan) throws -> [Migration]

    /// Calls `handler` after a transaction that notified `channel` commits, in any process, for as
    /// long as the returned listener runs (PostgreSQL's `LISTEN`, on a connection and a thread of
    /// its own, connecting again when the server comes back, and calling `handler` then too:
    /// notifications sent meanwhile are lost). `handler` runs on that thread and must not block.
    /// - Returns: nil where the engine has no notifications between processes (SQLite): poll.
    func listen(to channel: String, _ handler: @escaping @Sendable () -> Void) -> (any StoreListener)?

    /// Makes every statement running on the pool's connections fail as soon as possible (shutdown).
    func interrupt()

    /// Waits for the work in progress, then closes every connection. Further use throws.
    func close()
}

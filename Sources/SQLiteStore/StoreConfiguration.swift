import Storage

/// How connections are set up and how many readers a ``SQLitePool`` keeps.
public struct StoreConfiguration: Sendable, Equatable {
    /// The `PRAGMA synchronous` level of writing connections.
    ///
    /// SQLite's documentation: with `FULL` in WAL mode "transactions are durable across application
    /// crashes and operating-system crashes"; with `NORMAL` "a transaction committed in WAL mode ...
    /// might roll back following a power loss or system crash". Acknowledged writes must be durable,
    /// so `full` is the default.
    public enum Synchronous: String, Sendable, CaseIterable {
        /// `PRAGMA synchronous=FULL`: every commit is fsynced.
        case full
        /// `PRAGMA synchronous=NORMAL`: the WAL is fsynced only at checkpoints.
        case normal
    }

    /// How long a connection waits for a lock held by another connection before failing with
    /// `SQLITE_BUSY`, in milliseconds.
    public var busyTimeoutMilliseconds: Int
    /// Durability of commits.
    public var synchronous: Synchronous
    /// Page cache per connection, in KiB (`PRAGMA cache_size` with a negative value).
    public var cacheSizeKibibytes: Int
    /// Reader connections in a ``SQLitePool``; reads beyond this many wait for one to be free.
    public var readerCount: Int
    /// Prepared statements each connection keeps in its cache before it is emptied.
    public var statementCacheCapacity: Int
    /// WAL size, in pages, from which a ``SQLitePool`` copies the log back into the database
    /// file, on a thread of its own (SQLite's own default is 1,000 pages, checkpointed by the
    /// writing connection inside its commit).
    public var checkpointThresholdPages: Int
    /// The most writes a ``SQLitePool`` commits in one transaction when they arrive together
    /// (group commit); 1 gives every write a transaction of its own.
    public var maxWriteGroupSize: Int

    /// Creates a configuration; every default is the production setting.
    ///
    /// Values may come from the command line, so none is trapped on: out-of-range numbers are clamped
    /// where they are used (a negative timeout to 0, a count or size below 1 to 1).
    public init(
        busyTimeoutMilliseconds: Int = 5000,
        synchronous: Synchronous = .full,
        cacheSizeKibibytes: Int = 8192,
        readerCount: Int = 4,
        statementCacheCapacity: Int = 128,
        checkpointThresholdPages: Int = 1000,
        maxWriteGroupSize: Int = 64
    ) {
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.synchronous = synchronous
        self.cacheSizeKibibytes = cacheSizeKibibytes
        self.readerCount = readerCount
        self.statementCacheCapacity = statementCacheCapacity
        self.checkpointThresholdPages = checkpointThresholdPages
        self.maxWriteGroupSize = maxWriteGroupSize
    }
}

/// How a ``PostgresPool`` sets up its connections and how many readers it keeps.
///
/// Every wait has a limit, so that a lost server or a stuck lock never holds a thread forever:
/// libpq's `connect_timeout` for connecting, and the server's `statement_timeout`, `lock_timeout`
/// and `idle_in_transaction_session_timeout`, set on every connection when it opens.
public struct PostgresConfiguration: Sendable, Equatable {
    /// Reader connections in a ``PostgresPool``; reads beyond this many wait for one to be free.
    public var readerCount: Int
    /// Writer connections in a ``PostgresPool``, each running one write transaction at a time;
    /// writes beyond this many wait for one to be free.
    public var writerCount: Int
    /// The longest a statement may run before the server cancels it (`statement_timeout`).
    public var statementTimeout: Duration
    /// The longest a statement waits for a lock before failing (`lock_timeout`).
    public var lockTimeout: Duration
    /// The longest a transaction may sit idle before the server ends its session
    /// (`idle_in_transaction_session_timeout`).
    public var idleInTransactionTimeout: Duration
    /// The longest connecting may take (libpq's `connect_timeout`, whole seconds, at least 1); a
    /// `connect_timeout` in the connection URI wins over it.
    public var connectTimeout: Duration
    /// Prepared statements each connection keeps before it deallocates them all.
    public var statementCacheCapacity: Int
    /// The `application_name` the server shows in `pg_stat_activity`, unless the URI names one
    /// (libpq's `fallback_application_name`).
    public var applicationName: String

    /// Creates a configuration; every default is the production setting.
    ///
    /// Values may come from the command line, so none is trapped on: a negative duration counts as
    /// 0 (which the server reads as "no limit"), a count below 1 as 1.
    public init(
        readerCount: Int = 4,
        writerCount: Int = 2,
        statementTimeout: Duration = .seconds(30),
        lockTimeout: Duration = .seconds(5),
        idleInTransactionTimeout: Duration = .seconds(60),
        connectTimeout: Duration = .seconds(5),
        statementCacheCapacity: Int = 128,
        applicationName: String = "bilateral"
    ) {
        self.readerCount = readerCount
        self.writerCount = writerCount
        self.statementTimeout = statementTimeout
        self.lockTimeout = lockTimeout
        self.idleInTransactionTimeout = idleInTransactionTimeout
        self.connectTimeout = connectTimeout
        self.statementCacheCapacity = statementCacheCapacity
        self.applicationName = applicationName
    }

    /// Whether `string` is a libpq connection URI (`postgresql://` or `postgres://`), as opposed to
    /// a SQLite file path.
    public static func isConnectionURI(_ string: String) -> Bool {
        string.hasPrefix("postgresql://") || string.hasPrefix("postgres://")
    }

    /// `duration` in whole milliseconds, rounded up, never negative: the unit of the server's
    /// timeout settings.
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let (whole, fraction) = attoseconds.quotientAndRemainder(dividingBy: 1_000_000_000_000_000)
        let (total, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return Int64(Int32.max) }
        // The server keeps these settings in an int; larger values are rejected.
        return min(total + whole + (fraction > 0 ? 1 : 0), Int64(Int32.max))
    }

    /// The session settings every connection runs once it is open. Each value is an integer this
    /// module formats, never text from outside.
    ///
    /// JIT compilation is off: the server compiles a statement whose estimated cost passes
    /// `jit_above_cost`, and ours are key lookups and the set refreshes of an import, whose
    /// estimates, made before the rows just written have statistics, run to millions. Compiling
    /// took 1.5 s of a 30 s import of 100,000 meetings, about half of each refresh statement's
    /// time (`auto_explain`), and saved nothing.
    var sessionSettings: String {
        """
        SET statement_timeout = \(Self.milliseconds(statementTimeout));
        SET lock_timeout = \(Self.milliseconds(lockTimeout));
        SET idle_in_transaction_session_timeout = \(Self.milliseconds(idleInTransactionTimeout));
        SET jit = off
        """
    }

    /// libpq's `connect_timeout`, in whole seconds: "Maximum time to wait while connecting, in
    /// seconds ... Zero, negative, or not specified means to wait indefinitely", so at least 1.
    var connectTimeoutSeconds: Int64 {
        max(1, (Self.milliseconds(connectTimeout) + 999) / 1000)
    }
}

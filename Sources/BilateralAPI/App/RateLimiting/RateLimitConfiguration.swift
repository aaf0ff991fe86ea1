import HTTPCore

/// Which budgets apply, as `bilateral serve` configures them. Every default lives here.
///
/// Each class's budget applies twice over: to every API key (a request with a syntactically valid
/// bearer token) and to every client address, and a request needs a token from both. A class
/// without a budget is not limited at all.
public struct RateLimitConfiguration: Sendable {
    /// False: nothing is limited and no rate-limit headers are sent (`--rate-limit off`).
    public var enabled: Bool
    public var reads: RateLimitBudget?
    public var writes: RateLimitBudget?
    public var search: RateLimitBudget?
    public var bulk: RateLimitBudget?
    /// Most buckets held at once, over all keys, addresses and classes (about 80 bytes each).
    public var tableCapacity: Int
    /// Monotonic nanoseconds; tests inject their own so they never sleep.
    public var clock: @Sendable () -> UInt64
    /// The classes whose buckets every node counts together, in the database
    /// (`SharedRateLimits`); the others are counted by each node in memory.
    public var sharedClasses: Set<RateLimitClass>

    /// Reads are not limited: they are indexed queries that answer in microseconds, and the
    /// benchmarks read tens of thousands of times a second from one loopback address.
    public static let defaultReads: RateLimitBudget? = nil
    /// A million writes an hour: a runaway script is held to about 280 a second once it has
    /// spent them, while the write benchmark (a few thousand a second for seconds) never notices.
    public static let defaultWrites: RateLimitBudget? = RateLimitBudget(quota: 1_000_000, window: 3600)
    /// 1,200 searches a minute (20 a second sustained): a person or a scripted report never
    /// meets it; the search benchmark sends about 320.
    public static let defaultSearch: RateLimitBudget? = RateLimitBudget(quota: 1200, window: 60)
    /// 120 exports or imports an hour (one every 30 s once spent): each reads or writes the
    /// whole record, seconds of a core.
    public static let defaultBulk: RateLimitBudget? = RateLimitBudget(quota: 120, window: 3600)
    /// Bulk: a budget of the whole service (an export reads everything, whichever node serves
    /// it), and rare enough that a query per request costs nothing.
    public static let defaultSharedClasses: Set<RateLimitClass> = [.bulk]
    /// 65,536 buckets, about 5 MB at most.
    public static let defaultTableCapacity = 65_536

    public init(
        enabled: Bool = true, reads: RateLimitBudget? = RateLimitConfiguration.defaultReads,
        writes: RateLimitBudget? = RateLimitConfiguration.defaultWrites,
        search: RateLimitBudget? = RateLimitConfiguration.defaultSearch,
        bulk: RateLimitBudget? = RateLimitConfiguration.defaultBulk,
        tableCapacity: Int = RateLimitConfiguration.defaultTableCapacity,
        sharedClasses: Set<RateLimitClass> = RateLimitConfiguration.defaultSharedClasses,
        clock: @escaping @Sendable () -> UInt64 = { MonotonicClock.now() }
    ) {
        self.sharedClasses = sharedClasses
        self.enabled = enabled
        self.reads = reads
        self.writes = writes
        self.search = search
        self.bulk = bulk
        self.tableCapacity = tableCapacity
        self.clock = clock
    }

    /// Nothing limited.
    public static var off: RateLimitConfiguration { RateLimitConfiguration(enabled: false) }

    /// The budget of `rateClass`, or nil when that class is not limited (or limiting is off).
    public func budget(for rateClass: RateLimitClass) -> RateLimitBudget? {
        guard enabled else { return nil }
        switch rateClass {
        case .reads: return reads
        case .writes: return writes
        case .search: return search
        case .bulk: return bulk
        }
    }
}

import HTTPCore
import Storage

/// The budgets every node counts together, in the database's `rate_limit_buckets`: by default
/// the bulk class's (`RateLimitConfiguration.sharedClasses`), whose 120 exports or imports an hour
/// are a budget of the service, not of each node behind a balancer. The other classes stay in
/// each node's memory (`RateLimiter`), decided without a query; the limiter's decision comes
/// first, this one second.
///
/// A bucket is the same generic cell rate as `TokenBucket`: one number, the instant it is full
/// again, moved forward by one request's interval in one statement that refuses to move it past
/// the budget. Instants are wall-clock nanoseconds, which every node shares (up to clock skew),
/// read through the limiter's clock so that tests move them too.
final class SharedRateLimits: Sendable {
    let store: any DatabaseStore
    let classes: Set<RateLimitClass>
    /// Wall-clock nanoseconds minus the limiter's clock, at start.
    private let offset: Int64
    private let clock: @Sendable () -> UInt64

    init(store: any DatabaseStore, configuration: RateLimitConfiguration) {
        self.store = store
        classes = configuration.sharedClasses
        clock = configuration.clock
        offset = Int64(bitPattern: WallTime.nanoseconds() &- configuration.clock())
    }

    /// Charges the shared buckets of `request` (its key's, when it carries a bearer token, and
    /// its address's), both or neither, once the node's own limiter admitted it with `status`.
    /// - Returns: `.admitted` with the tighter bucket's status, or `.refused` with the bucket that
    ///   ran out.
    func charge(_ request: Request, admitted status: RateLimitStatus) throws -> RateLimitDecision {
        let budget = status.budget
        let now = Int64(bitPattern: clock() &+ UInt64(bitPattern: offset))
        let interval = Int64(budget.interval)
        let capacity = interval &* Int64(budget.quota)
        var buckets: [(String, RateLimitScope)] = []
        if let token = RateLimiter.bearerToken(request.headers["Authorization"]) {
            buckets.append(("\(status.rateClass)|key|\(SHA256.hash(Array(token.utf8)).hexString)", .key))
        }
        let (high, low) = RateLimiter.addressBlock(request.remoteAddress)
        buckets.append(("\(status.rateClass)|address|\(high):\(low)", .address))
        do {
            // A write waits for the writer (and on SQLite for the group commit), like a record's.
            return try HandlerWait.run {
                try store.write { db in
                    let dialect = SQLDialect.of(db)
                    let next = "\(dialect.greatest("rate_limit_buckets.full_at", "CAST(?2 AS BIGINT)")) + ?3"
                    try db.execute("DELETE FROM rate_limit_buckets WHERE full_at < ?", [.integer(now)])
                    var tightest: (remaining: Int64, reset: Int64)?
                    for (bucket, scope) in buckets {
                        try db.execute(
                            """
                            INSERT INTO rate_limit_buckets (bucket, full_at) VALUES (?1, CAST(?2 AS BIGINT) + ?3)
                            ON CONFLICT (bucket) DO UPDATE SET full_at = \(next) WHERE \(next) - ?2 <= ?4
                            """, [.text(bucket), .integer(now), .integer(interval), .integer(capacity)])
                        let fullAt =
                            try db.scalar("SELECT full_at FROM rate_limit_buckets WHERE bucket = ?", [.text(bucket)])?
                            .int64 ?? now
                        let debt = max(0, fullAt - now)
                        guard db.changes == 1 else {
                            // Refused: nothing of this request is kept, the other bucket's charge neither.
                            throw Refusal(waitNanos: debt + interval - capacity, scope: scope)
                        }
                        let remaining = (capacity - debt) / interval
                        if tightest.map({ remaining < $0.remaining || (remaining == $0.remaining && debt >= $0.reset) })
                            ?? true
                        {
                            tightest = (remaining, debt)
                        }
                    }
                    var shared = status
                    if let tightest, Int(tightest.remaining) <= status.remaining {
                        shared.remaining = Int(tightest.remaining)
                        shared.resetSeconds = RateLimitStatus.seconds(rounding: UInt64(tightest.reset))
                    }
                    return .admitted(shared)
                }
            }
        } catch let refusal as Refusal {
            var refused = status
            refused.remaining = 0
            refused.resetSeconds = max(1, RateLimitStatus.seconds(rounding: UInt64(max(0, refusal.waitNanos))))
            return .refused(refused, scope: refusal.scope)
        }
    }

    private struct Refusal: Error {
        var waitNanos: Int64
        var scope: RateLimitScope
    }
}

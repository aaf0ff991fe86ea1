/// A token bucket kept as one number, the instant it will be full again (the generic cell rate
/// algorithm's "theoretical arrival time"). Refill needs no timer and no per-bucket bookkeeping:
/// the tokens missing at `now` are the time left until `fullAt`, divided by the refill interval.
/// A bucket whose `fullAt` has passed is exactly a fresh one, which is what lets the table forget it.
struct TokenBucket: Equatable {
    /// Monotonic nanoseconds; 0 (or any past instant) means full.
    var fullAt: UInt64 = 0

    /// What taking one token would give.
    enum Outcome: Equatable {
        /// Taken; `remaining` tokens are left and the bucket is full again in `resetNanos`.
        case taken(remaining: Int, resetNanos: UInt64)
        /// Empty; one token is back in `waitNanos`.
        case empty(waitNanos: UInt64)
    }

    func isFull(at now: UInt64) -> Bool { fullAt <= now }

    /// The time-equivalent of the tokens spent and not yet refilled.
    func debt(at now: UInt64) -> UInt64 { fullAt > now ? fullAt - now : 0 }

    /// Whether one token can be taken at `now`, and what would be left; changes nothing.
    func peek(_ budget: RateLimitBudget, at now: UInt64) -> Outcome {
        let interval = budget.interval
        let capacity = interval &* UInt64(budget.quota)
        let after = debt(at: now) + interval
        guard after <= capacity else { return .empty(waitNanos: after - capacity) }
        return .taken(remaining: Int((capacity - after) / interval), resetNanos: after)
    }

    /// Takes one token; call only after `peek` said `.taken`.
    mutating func take(_ budget: RateLimitBudget, at now: UInt64) {
        fullAt = max(fullAt, now) + budget.interval
    }
}

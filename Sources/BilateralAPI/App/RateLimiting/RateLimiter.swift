import HTTPCore
import Synchronization

/// Token buckets per API key and per client address, one budget per `RateLimitClass`.
///
/// A request is charged to its address's bucket of its class and, when it carries a
/// syntactically valid bearer token, to that key's bucket as well; it goes through only if both
/// have a token. The key is not looked up: a made-up token buys a bucket of its own but never
/// escapes its address's budget, which is why both are charged.
///
/// The decision reads the method, path, `Authorization` and peer address only, never the body, so
/// the server may call it as soon as a request head is complete. It is O(1): two hashes and one or
/// two of `stripeCount` locks, each held for a dictionary lookup. Memory is bounded by
/// `RateLimitConfiguration.tableCapacity` (see `BucketTable` for what happens when it is full).
public final class RateLimiter: Sendable {
    public let configuration: RateLimitConfiguration
    private let stripes: [Stripe]
    private let metrics: Metrics?

    /// Sixteen locks: two cores' worth of workers rarely meet on one.
    static let stripeCount = 16
    static let refusedName = "bilateral_rate_limited_total"
    static let bucketsName = "bilateral_rate_limit_buckets"

    private final class Stripe: Sendable {
        let table: Mutex<BucketTable>
        init(capacity: Int) { table = Mutex(BucketTable(capacity: capacity)) }
    }

    /// - Parameter metrics: counts refusals in `bilateral_rate_limited_total{class,scope}` and
    ///   reports the buckets held in the gauge `bilateral_rate_limit_buckets`.
    public init(configuration: RateLimitConfiguration, metrics: Metrics? = nil) {
        self.configuration = configuration
        self.metrics = metrics
        let perStripe = max(1, configuration.tableCapacity / Self.stripeCount)
        stripes = (0..<Self.stripeCount).map { _ in Stripe(capacity: perStripe) }
        if let metrics, configuration.enabled {
            metrics.registerGauge(
                Self.bucketsName,
                help: "Rate-limit buckets held (keys and addresses that spent part of a budget recently)."
            ) { [stripes] in
                Double(stripes.reduce(0) { count, stripe in count + stripe.table.withLock { $0.count } })
            }
        }
    }

    /// Buckets held now, over all stripes.
    public var bucketCount: Int {
        stripes.reduce(0) { count, stripe in count + stripe.table.withLock { $0.count } }
    }

    /// The 429 response for `request` when it is over budget, or nil to go on. The limiter's
    /// whole decision for the server's head-time admission step and for `RateLimitMiddleware`;
    /// call it once per request, as it spends a token.
    /// - Parameter now: monotonic nanoseconds; the configuration's clock when nil.
    public func admit(_ request: Request, now: UInt64? = nil) -> Response? {
        guard case .refused(let status, let scope) = decide(request, now: now ?? configuration.clock()) else {
            return nil
        }
        return Self.refusal(status, scope: scope, for: request)
    }

    /// Decides `request` at `now`, spending a token from its buckets when it is admitted. A
    /// refused request spends nothing, so a client that keeps retrying is back as soon as
    /// `Retry-After` says.
    ///
    /// - Parameter spending: false to ask without spending (the head-time admission step, which
    ///   refuses an empty bucket before the body is read and leaves the charge to the middleware).
    ///   The clock is read only for a request that has a budget.
    public func decide(
        _ request: Request, now: @autoclosure () -> UInt64, spending: Bool = true
    ) -> RateLimitDecision {
        guard let rateClass = RateLimitClass.of(method: request.method, path: request.path),
            let budget = configuration.budget(for: rateClass)
        else { return .unlimited }
        let now = now()
        let (high, low) = Self.addressBlock(request.remoteAddress)
        let address = BucketKey(scope: .address, rateClass: rateClass, high: high, low: low)
        let key = Self.tokenDigest(request.headers["Authorization"]).map {
            BucketKey(scope: .key, rateClass: rateClass, high: $0, low: 0)
        }
        let verdict = charge(address, key, budget: budget, now: now, spending: spending)
        switch verdict {
        case .taken(let remaining, let resetNanos):
            let status = RateLimitStatus(
                rateClass: rateClass, budget: budget, remaining: remaining,
                resetSeconds: RateLimitStatus.seconds(rounding: resetNanos))
            return .admitted(status)
        case .refused(let waitNanos, let scope):
            let status = RateLimitStatus(
                rateClass: rateClass, budget: budget, remaining: 0,
                resetSeconds: max(1, RateLimitStatus.seconds(rounding: waitNanos)))
            countRefusal(of: rateClass, scope: scope)
            return .refused(status, scope: scope)
        }
    }

    /// Counts a 429 in `bilateral_rate_limited_total{class,scope}`.
    func countRefusal(of rateClass: RateLimitClass, scope: RateLimitScope) {
        metrics?.increment(
            counter: Self.refusedName, help: "Requests refused with 429 for want of budget, by class and scope.",
            labels: ["class": rateClass.description, "scope": scope.description])
    }

    /// The 429 problem for a refused request, with `Retry-After` and the rate-limit fields.
    public static func refusal(_ status: RateLimitStatus, scope: RateLimitScope, for request: Request) -> Response {
        var problem = APIError.rateLimited(status, scope: scope).problem
        problem.instance = request.path
        return problem.response()
    }

    // MARK: Charging

    enum Verdict: Equatable {
        case taken(remaining: Int, resetNanos: UInt64)
        case refused(waitNanos: UInt64, scope: RateLimitScope)
    }

    /// One bucket looked up under its stripe's lock.
    private struct Lookup {
        var key: BucketKey
        var slot: BucketTable.Slot
        var bucket: TokenBucket
        var outcome: TokenBucket.Outcome

        init(_ key: BucketKey, in table: inout BucketTable, budget: RateLimitBudget, now: UInt64) {
            self.key = key
            slot = table.slot(for: key, at: now)
            bucket = table.bucket(in: slot)
            outcome = bucket.peek(budget, at: now)
        }

        func commit(in table: inout BucketTable, budget: RateLimitBudget, now: UInt64) {
            var charged = bucket
            charged.take(budget, at: now)
            table.store(charged, for: key, in: slot, at: now)
        }
    }

    /// Checks both buckets, then charges both or neither. Two stripes are locked in index order,
    /// so two requests never hold one lock each while waiting for the other's.
    func charge(
        _ address: BucketKey, _ key: BucketKey?, budget: RateLimitBudget, now: UInt64, spending: Bool = true
    ) -> Verdict {
        let first = stripeIndex(address)
        guard let key else {
            return stripes[first].table.withLock { table in
                let lookup = Lookup(address, in: &table, budget: budget, now: now)
                return Self.settle(lookup, nil, budget: budget) { lookup in
                    if spending { lookup.commit(in: &table, budget: budget, now: now) }
                }
            }
        }
        let second = stripeIndex(key)
        if first == second {
            return stripes[first].table.withLock { table in
                let one = Lookup(address, in: &table, budget: budget, now: now)
                let other = Lookup(key, in: &table, budget: budget, now: now)
                return Self.settle(one, other, budget: budget) { lookup in
                    if spending { lookup.commit(in: &table, budget: budget, now: now) }
                }
            }
        }
        return stripes[min(first, second)].table.withLock { lower in
            stripes[max(first, second)].table.withLock { upper in
                if first < second {
                    Self.charge(
                        address, in: &lower, key, in: &upper, budget: budget, now: now, spending: spending)
                } else {
                    Self.charge(
                        address, in: &upper, key, in: &lower, budget: budget, now: now, spending: spending)
                }
            }
        }
    }

    /// `charge` for two buckets in two tables, both locked by the caller.
    private static func charge(
        _ one: BucketKey, in oneTable: inout BucketTable, _ other: BucketKey, in otherTable: inout BucketTable,
        budget: RateLimitBudget, now: UInt64, spending: Bool
    ) -> Verdict {
        let first = Lookup(one, in: &oneTable, budget: budget, now: now)
        let second = Lookup(other, in: &otherTable, budget: budget, now: now)
        return settle(first, second, budget: budget) { lookup in
            if !spending { return }
            if lookup.key == one {
                lookup.commit(in: &oneTable, budget: budget, now: now)
            } else {
                lookup.commit(in: &otherTable, budget: budget, now: now)
            }
        }
    }

    /// The verdict of one or two lookups, committing them through `commit` when each has a token:
    /// a bucket already in the table before a fresh one (see `BucketTable.store`).
    private static func settle(
        _ one: Lookup, _ other: Lookup?, budget: RateLimitBudget, commit: (Lookup) -> Void
    ) -> Verdict {
        guard let other else {
            switch one.outcome {
            case .empty(let wait):
                return .refused(waitNanos: wait, scope: one.key.scope)
            case .taken(let remaining, let reset):
                commit(one)
                return .taken(remaining: remaining, resetNanos: reset)
            }
        }
        switch (one.outcome, other.outcome) {
        case (.empty(let wait), .empty(let otherWait)):
            // The longer wait is the one to report; on a tie, the key's, the more specific of the two.
            if wait > otherWait || (wait == otherWait && one.key.scope == .key) {
                return .refused(waitNanos: wait, scope: one.key.scope)
            }
            return .refused(waitNanos: otherWait, scope: other.key.scope)
        case (.empty(let wait), .taken):
            return .refused(waitNanos: wait, scope: one.key.scope)
        case (.taken, .empty(let wait)):
            return .refused(waitNanos: wait, scope: other.key.scope)
        case (.taken(let remaining, let reset), .taken(let otherRemaining, let otherReset)):
            if one.slot == .fresh {
                commit(other)
                commit(one)
            } else {
                commit(one)
                commit(other)
            }
            // The tighter bucket speaks for both: fewer requests left, or as few and longer to refill.
            if remaining < otherRemaining || (remaining == otherRemaining && reset >= otherReset) {
                return .taken(remaining: remaining, resetNanos: reset)
            }
            return .taken(remaining: otherRemaining, resetNanos: otherReset)
        }
    }

    private func stripeIndex(_ key: BucketKey) -> Int {
        Int(UInt(bitPattern: key.hashValue) % UInt(stripes.count))
    }
}

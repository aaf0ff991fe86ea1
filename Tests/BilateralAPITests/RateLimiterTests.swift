import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

@Suite("Rate limits: bucket math, table bounds, classes, clients")
struct RateLimiterTests {
    static let second: UInt64 = 1_000_000_000

    // MARK: Bucket math

    @Test func aFreshBucketAllowsTheWholeQuotaAtOnceThenRefillsOneIntervalAtATime() {
        let budget = RateLimitBudget(quota: 3, window: 60)  // a token every 20 s
        var bucket = TokenBucket()
        let start: UInt64 = 1000 * Self.second
        #expect(bucket.peek(budget, at: start) == .taken(remaining: 2, resetNanos: 20 * Self.second))
        for _ in 0..<3 { bucket.take(budget, at: start) }
        #expect(bucket.peek(budget, at: start) == .empty(waitNanos: 20 * Self.second))
        // Half an interval later, half the wait is left.
        #expect(bucket.peek(budget, at: start + 10 * Self.second) == .empty(waitNanos: 10 * Self.second))
        // One interval later, one token is back: taking it leaves none, full again in a minute.
        #expect(
            bucket.peek(budget, at: start + 20 * Self.second) == .taken(remaining: 0, resetNanos: 60 * Self.second))
        // After the whole window the bucket is full, which is what lets the table forget it.
        #expect(!bucket.isFull(at: start + 59 * Self.second))
        #expect(bucket.isFull(at: start + 60 * Self.second))
    }

    @Test func theBurstIsTheQuotaAndNeverMore() {
        let budget = RateLimitBudget(quota: 10, window: 10)
        var bucket = TokenBucket()
        let start: UInt64 = 5 * Self.second
        var taken = 0
        while case .taken = bucket.peek(budget, at: start) {
            bucket.take(budget, at: start)
            taken += 1
        }
        #expect(taken == 10)
        // An idle hour does not bank more than the quota.
        let later = start + 3600 * Self.second
        taken = 0
        while case .taken = bucket.peek(budget, at: later) {
            bucket.take(budget, at: later)
            taken += 1
        }
        #expect(taken == 10)
    }

    @Test func retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() throws {
        let clock = ManualClock()
        // 2 per 3 s: a token every 1.5 s, so the wait after the burst is 1.5 s → 2.
        let limiter = RateLimiter(configuration: .init(writes: RateLimitBudget(quota: 2, window: 3), clock: clock.read))
        let request = Self.request(.post, "/v1/actors")
        #expect(limiter.admit(request) == nil)
        #expect(limiter.admit(request) == nil)
        let refusal = try #require(limiter.admit(request))
        #expect(refusal.status == .tooManyRequests)
        #expect(refusal.headers["Retry-After"] == "2")
        #expect(refusal.headers["RateLimit"] == #""writes";r=0;t=2"#)
        #expect(refusal.headers["RateLimit-Policy"] == #""writes";q=2;w=3"#)
        // 1.4 s later 0.1 s is left: still refused, and Retry-After says 1, never 0.
        clock.advance(seconds: 1.4)
        #expect(try #require(limiter.admit(request)).headers["Retry-After"] == "1")
        clock.advance(seconds: 0.1)
        #expect(limiter.admit(request) == nil)
    }

    @Test func aRefusalSpendsNothing() {
        let clock = ManualClock()
        let limiter = RateLimiter(
            configuration: .init(search: RateLimitBudget(quota: 1, window: 10), clock: clock.read))
        let request = Self.request(.get, "/v1/search?q=x")
        #expect(limiter.admit(request) == nil)
        for _ in 0..<50 { #expect(limiter.admit(request) != nil) }
        clock.advance(seconds: 10)
        #expect(limiter.admit(request) == nil, "retrying while refused does not push the wait further")
    }

    @Test func admittedStatusReportsTheTighterBucket() {
        let clock = ManualClock()
        let limiter = RateLimiter(
            configuration: .init(writes: RateLimitBudget(quota: 5, window: 50), clock: clock.read))
        // The key spends 3 from one address; from another address it has 1 left, not 4.
        for _ in 0..<3 { _ = limiter.decide(Self.request(.post, "/v1/actors", token: "a"), now: clock.now) }
        let decision = limiter.decide(
            Self.request(.post, "/v1/actors", token: "a", from: "192.0.2.9:1"), now: clock.now)
        guard case .admitted(let status) = decision else {
            Issue.record("expected admitted, got \(decision)")
            return
        }
        #expect(status.remaining == 1)
        #expect(status.resetSeconds == 40)
    }

    // MARK: Scopes

    @Test func aKeyIsLimitedWhereverItComesFromAndAnAddressWhateverKeyItSends() {
        let clock = ManualClock()
        let limiter = RateLimiter(
            configuration: .init(writes: RateLimitBudget(quota: 2, window: 60), clock: clock.read))
        func decide(_ token: String?, _ address: String) -> RateLimitDecision {
            limiter.decide(Self.request(.delete, "/v1/actors/x", token: token, from: address), now: clock.now)
        }
        #expect(Self.isAdmitted(decide("key-a", "198.51.100.1:4000")))
        #expect(Self.isAdmitted(decide("key-a", "198.51.100.1:4001")))
        // Both the key and the address are spent: the key is named.
        #expect(Self.refusedScope(decide("key-a", "198.51.100.1:4002")) == .key)
        // The key from another address: still refused, by the key.
        #expect(Self.refusedScope(decide("key-a", "203.0.113.7:1")) == .key)
        // Another key from the spent address: refused by the address, so made-up tokens buy nothing.
        #expect(Self.refusedScope(decide("key-b", "198.51.100.1:4003")) == .address)
        #expect(Self.refusedScope(decide(nil, "198.51.100.1:4004")) == .address)
        // Another key from another address is untouched.
        #expect(Self.isAdmitted(decide("key-b", "203.0.113.8:1")))
    }

    @Test func classesHaveSeparateBudgets() {
        let clock = ManualClock()
        let limiter = RateLimiter(
            configuration: .init(
                writes: RateLimitBudget(quota: 1, window: 60), search: RateLimitBudget(quota: 1, window: 60),
                bulk: RateLimitBudget(quota: 1, window: 60), clock: clock.read))
        for (method, target) in [
            (HTTPMethod.get, "/v1/export"), (.get, "/v1/search?q=a"), (.post, "/v1/meetings"),
        ] {
            #expect(Self.isAdmitted(limiter.decide(Self.request(method, target), now: clock.now)), "\(target)")
            #expect(Self.refusedScope(limiter.decide(Self.request(method, target), now: clock.now)) == .address)
        }
        // Import shares the bulk budget with export; reads have none by default.
        #expect(Self.refusedScope(limiter.decide(Self.request(.post, "/v1/import"), now: clock.now)) == .address)
        #expect(limiter.decide(Self.request(.get, "/v1/countries"), now: clock.now) == .unlimited)
    }

    @Test func offMeansNothingIsLimited() {
        let limiter = RateLimiter(
            configuration: .init(enabled: false, reads: RateLimitBudget(quota: 1, window: 60)))
        for _ in 0..<10 {
            #expect(limiter.decide(Self.request(.get, "/v1/export"), now: 1) == .unlimited)
            #expect(limiter.decide(Self.request(.get, "/v1/countries"), now: 1) == .unlimited)
        }
        #expect(limiter.bucketCount == 0)
    }

    // MARK: The table

    @Test func theTableEvictsTheLeastRecentlyUsedBucketOnlyOnceItIsFull() {
        let budget = RateLimitBudget(quota: 2, window: 20)  // a token every 10 s
        var table = BucketTable(capacity: 2)
        func key(_ n: UInt64) -> BucketKey { BucketKey(scope: .address, rateClass: .writes, high: 0, low: n) }
        func spend(_ n: UInt64, at now: UInt64) -> BucketTable.Slot {
            let slot = table.slot(for: key(n), at: now)
            var bucket = table.bucket(in: slot)
            bucket.take(budget, at: now)
            table.store(bucket, for: key(n), in: slot, at: now)
            return slot
        }
        let t0: UInt64 = 100 * Self.second
        #expect(spend(1, at: t0) == .fresh)
        #expect(spend(2, at: t0) == .fresh)
        #expect(table.count == 2)
        // Full of buckets mid-budget: a newcomer is charged to the shared overflow bucket.
        guard case .overflow = spend(3, at: t0) else {
            Issue.record("expected the overflow bucket")
            return
        }
        #expect(table.count == 2)
        // 1 is used again, so 2 is now the least recently used; once it is full, 4 takes its place.
        #expect(spend(1, at: t0 + 5 * Self.second) == .entry(0))
        #expect(spend(4, at: t0 + 10 * Self.second) == .fresh)
        #expect(table.count == 2)
        if case .entry = table.slot(for: key(2), at: t0 + 10 * Self.second) {
            Issue.record("2 should have been evicted")
        }
        #expect(table.slot(for: key(1), at: t0 + 10 * Self.second) != .fresh, "1 is kept")
    }

    @Test func memoryStaysBoundedHoweverManyAddressesComeAndTheOverflowIsShared() {
        let clock = ManualClock()
        let limiter = RateLimiter(
            configuration: .init(
                bulk: RateLimitBudget(quota: 3, window: 3600), tableCapacity: 16, clock: clock.read))
        var refused = 0
        for n in 0..<5000 {
            let address = "10.\(n / 65536 % 256).\(n / 256 % 256).\(n % 256):1"
            if !Self.isAdmitted(limiter.decide(Self.request(.get, "/v1/export", from: address), now: clock.now)) {
                refused += 1
            }
        }
        #expect(limiter.bucketCount <= 16)
        // 16 buckets of their own, then newcomers share one overflow bucket per stripe.
        #expect(refused > 4000, "a flood of fresh addresses does not buy fresh budgets")
        // An hour on, every bucket is full again and new clients get buckets of their own.
        clock.advance(seconds: 3600)
        #expect(Self.isAdmitted(limiter.decide(Self.request(.get, "/v1/export", from: "172.16.0.1:1"), now: clock.now)))
    }

    // MARK: Classes and clients

    @Test(arguments: [
        (HTTPMethod.get, "/v1/countries", RateLimitClass?.some(.reads)),
        (.head, "/v1/meetings/abc", .reads),
        (.options, "/v1/actors", .reads),
        (.get, "/v1/search", .search),
        (.get, "/v1/export", .bulk),
        (.get, "/v1/%65xport", .bulk),
        (.head, "/v1/export", .bulk),
        (.post, "/v1/import", .bulk),
        (.post, "/v1/meetings", .writes),
        (.put, "/v1/actors/x", .writes),
        (.patch, "/v1/actors/x", .writes),
        (.delete, "/v1/actors/x", .writes),
        (.post, "/v1/search", .writes),
        (.get, "/healthz", nil),
        (.get, "/readyz", nil),
        (.get, "/metrics", nil),
        (.post, "/healthz", .writes),
    ])
    func requestClasses(method: HTTPMethod, path: String, expected: RateLimitClass?) {
        #expect(RateLimitClass.of(method: method, path: path) == expected)
    }

    @Test(arguments: [
        ("600/60", RateLimitBudget??.some(RateLimitBudget(quota: 600, window: 60))),
        ("600/60s", .some(RateLimitBudget(quota: 600, window: 60))),
        ("1000000/1h", .some(RateLimitBudget(quota: 1_000_000, window: 3600))),
        ("10/2m", .some(RateLimitBudget(quota: 10, window: 120))),
        (" 5/1d ", .some(RateLimitBudget(quota: 5, window: 86_400))),
        ("off", .some(nil)),
        ("OFF", .some(nil)),
        ("0", .some(nil)),
        ("0/60", nil),
        ("600", nil),
        ("600/0", nil),
        ("600/-1", nil),
        ("a/60", nil),
        ("600/60x", nil),
        ("", nil),
    ])
    func budgetsParse(text: String, expected: RateLimitBudget??) {
        #expect(RateLimitBudget.parse(text) == expected)
    }

    @Test func addressesAreCountedWholeForIPv4AndByTheirSlash64ForIPv6() {
        let v4 = RateLimiter.addressBlock("192.0.2.1:5555")
        #expect(v4 == (0, 0xFFFF_C000_0201))
        #expect(RateLimiter.addressBlock("[::ffff:192.0.2.1]:80") == v4, "IPv4-mapped is the IPv4 client")
        #expect(RateLimiter.addressBlock("192.0.2.2:5555") != v4)
        let a = RateLimiter.addressBlock("[2001:db8:1:2:aaaa::1]:443")
        #expect(a == RateLimiter.addressBlock("[2001:db8:1:2:ffff:ffff:ffff:ffff]:1"), "same /64")
        #expect(a != RateLimiter.addressBlock("[2001:db8:1:3::1]:443"), "another /64")
        #expect(RateLimiter.addressBlock("[fe80::1%eth0]:1") == RateLimiter.addressBlock("[fe80::2]:2"))
        #expect(RateLimiter.addressBlock("") == (.max, .max))
        #expect(RateLimiter.addressBlock("nonsense:1") == (.max, .max))
    }

    @Test func onlySyntacticallyValidBearerTokensHaveBuckets() {
        let digest = RateLimiter.tokenDigest("Bearer bil_abc-DEF_123")
        #expect(digest != nil)
        #expect(RateLimiter.tokenDigest("bearer bil_abc-DEF_123") == digest, "the scheme is case-insensitive")
        #expect(RateLimiter.tokenDigest("Bearer  bil_abc-DEF_123 ") == digest)
        #expect(RateLimiter.tokenDigest("Bearer bil_abc-DEF_124") != digest)
        #expect(RateLimiter.tokenDigest("Bearer abc==") != nil)
        for invalid in [
            nil, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer a b", "Bearer =abc", "Bearer ab=c",
            "Bearer " + String(repeating: "a", count: 257), "Bearer tökén",
        ] {
            #expect(RateLimiter.tokenDigest(invalid) == nil, "\(invalid ?? "nil")")
        }
    }

    // MARK: Helpers

    static func request(
        _ method: HTTPMethod, _ target: String, token: String? = nil, from address: String = "127.0.0.1:50000"
    ) -> Request {
        var headers = HTTPHeaders()
        if let token { headers.add("Authorization", "Bearer \(token)") }
        return Request(method: method, target: target, headers: headers, remoteAddress: address)
    }

    static func isAdmitted(_ decision: RateLimitDecision) -> Bool {
        if case .admitted = decision { return true }
        return false
    }

    static func refusedScope(_ decision: RateLimitDecision) -> RateLimitScope? {
        if case .refused(_, let scope) = decision { return scope }
        return nil
    }
}

/// Which bucket: a client (an API key or an address block) and the class it spends.
struct BucketKey: Hashable {
    /// `.address`: `high`/`low` are an IPv6 address (IPv4 mapped into `::ffff:0:0/96`) masked to
    /// its block; `.key`: `high` is a keyed hash of the bearer token and `low` is 0.
    var scope: RateLimitScope
    var rateClass: RateLimitClass
    var high: UInt64
    var low: UInt64
}

/// A fixed-capacity map from `BucketKey` to `TokenBucket`, in least-recently-used order, with
/// O(1) lookup, insertion and eviction: a dictionary to slots, the slots threaded on a doubly
/// linked list by index (no allocation per entry once the slab has grown to `capacity`).
///
/// Forgetting a full bucket loses nothing (a fresh bucket is full). When the table is at capacity
/// and a new client comes, the least recently used bucket is evicted if it is full; if even that
/// one is not, every bucket here is mid-budget (a flood of clients) and the newcomer is charged
/// to this table's shared overflow bucket for its scope and class instead, so memory stays
/// bounded and the flood cannot buy fresh budgets by churning identities.
struct BucketTable {
    /// Where a key's bucket is.
    enum Slot: Equatable {
        /// An entry of the table.
        case entry(Int32)
        /// Not in the table, and there is room for it (or a full bucket to evict): a fresh bucket.
        case fresh
        /// Not in the table and no room: the shared overflow bucket at this index.
        case overflow(Int)
    }

    let capacity: Int
    private var slots: [BucketKey: Int32] = [:]
    private var keys: [BucketKey] = []
    private var buckets: [TokenBucket] = []
    private var previous: [Int32] = []
    private var next: [Int32] = []
    /// Most and least recently used entries; -1 when empty.
    private var newest: Int32 = -1
    private var oldest: Int32 = -1
    /// One per scope and class.
    private var overflow: [TokenBucket]

    init(capacity: Int) {
        precondition(capacity >= 1 && capacity < Int(Int32.max), "a table holds 1 to 2^31 buckets")
        self.capacity = capacity
        overflow = Array(repeating: TokenBucket(), count: 2 * RateLimitClass.allCases.count)
    }

    /// Entries held now.
    var count: Int { slots.count }

    /// Finds `key`'s bucket and marks it as used now.
    mutating func slot(for key: BucketKey, at now: UInt64) -> Slot {
        if let index = slots[key] {
            touch(index)
            return .entry(index)
        }
        if slots.count < capacity || (oldest >= 0 && buckets[Int(oldest)].isFull(at: now)) { return .fresh }
        return .overflow(Int(key.scope.rawValue) * RateLimitClass.allCases.count + Int(key.rateClass.rawValue))
    }

    /// The bucket in `slot` (a fresh one for `.fresh`).
    func bucket(in slot: Slot) -> TokenBucket {
        switch slot {
        case .entry(let index): buckets[Int(index)]
        case .fresh: TokenBucket()
        case .overflow(let index): overflow[index]
        }
    }

    /// Stores `bucket` for `key` in `slot`. A `.fresh` slot takes a new entry, evicting the least
    /// recently used one when at capacity; should that one have stopped being full since `slot(for:)`
    /// (another key of the same request was charged first), the charge goes to the overflow bucket
    /// instead. Of several keys looked up together, store the `.entry` ones first: a `.fresh` store
    /// may evict an entry that is still full because it has not been stored yet.
    mutating func store(_ bucket: TokenBucket, for key: BucketKey, in slot: Slot, at now: UInt64) {
        switch slot {
        case .entry(let index):
            buckets[Int(index)] = bucket
        case .overflow(let index):
            overflow[index] = bucket
        case .fresh:
            if slots.count < capacity {
                let index = Int32(keys.count)
                keys.append(key)
                buckets.append(bucket)
                previous.append(-1)
                next.append(-1)
                slots[key] = index
                pushNewest(index)
            } else if oldest >= 0, buckets[Int(oldest)].isFull(at: now) {
                let index = oldest
                unlink(index)
                slots[keys[Int(index)]] = nil
                keys[Int(index)] = key
                buckets[Int(index)] = bucket
                slots[key] = index
                pushNewest(index)
            } else {
                let overflowIndex =
                    Int(key.scope.rawValue) * RateLimitClass.allCases.count + Int(key.rateClass.rawValue)
                let charge = bucket.fullAt > now ? bucket.fullAt - now : 0
                overflow[overflowIndex].fullAt = max(overflow[overflowIndex].fullAt, now) + charge
            }
        }
    }

    // MARK: The list

    private mutating func touch(_ index: Int32) {
        guard index != newest else { return }
        unlink(index)
        pushNewest(index)
    }

    private mutating func unlink(_ index: Int32) {
        let before = previous[Int(index)]
        let after = next[Int(index)]
        if before >= 0 { next[Int(before)] = after } else { newest = after }
        if after >= 0 { previous[Int(after)] = before } else { oldest = before }
        previous[Int(index)] = -1
        next[Int(index)] = -1
    }

    private mutating func pushNewest(_ index: Int32) {
        previous[Int(index)] = -1
        next[Int(index)] = newest
        if newest >= 0 { previous[Int(newest)] = index }
        newest = index
        if oldest < 0 { oldest = index }
    }
}

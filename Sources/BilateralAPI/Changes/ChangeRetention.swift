import HTTPCore
import Storage

/// How long the change feed keeps its changes: all by default, or those of the last `days`, or
/// the newest `rows`; whichever keeps fewer. Pruning moves `change_clock.pruned_through`, so a
/// reader asking for what was pruned gets a 410, never a silently partial feed.
public struct ChangeRetention: Sendable, Equatable {
    public var days: Int?
    public var rows: Int?

    public init(days: Int? = nil, rows: Int? = nil) {
        self.days = days
        self.rows = rows
    }

    public var keepsAll: Bool { days == nil && rows == nil }

    /// Deletes the changes older than kept, as of `now` (seconds since the epoch).
    /// - Returns: The number of changes deleted.
    @discardableResult
    public func prune(_ store: any DatabaseStore, now: Int) throws -> Int {
        guard !keepsAll else { return 0 }
        let cutoff = days.map { WallClock.rfc3339(secondsSinceEpoch: now - $0 * 86_400, nanoseconds: 0) }
        return try store.write { db in
            let clock = try ChangeFeed.Clock.read(in: db)
            var through = clock.prunedThrough
            if let rows { through = max(through, clock.lastSeq - rows) }
            if let cutoff,
                let last = try db.scalar("SELECT max(seq) FROM changes WHERE at < ?", [.text(cutoff)])?.int
            {
                through = max(through, last)
            }
            guard through > clock.prunedThrough else { return 0 }
            try db.execute("DELETE FROM changes WHERE seq <= ?", [.integer(Int64(through))])
            let deleted = db.changes
            try db.execute("UPDATE change_clock SET pruned_through = ?", [.integer(Int64(through))])
            return deleted
        }
    }
}

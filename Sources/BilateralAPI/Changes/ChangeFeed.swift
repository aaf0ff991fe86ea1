import HTTPCore
import Storage

/// Reads the change feed: the changes after a sequence number, in order, each with the record as
/// it was right after it (`ChangeLog`). Read inside one read transaction, so the page, its
/// records and the clock it is judged against are one snapshot.
public struct ChangeFeed {
    /// What a read asks for.
    struct Query: Sendable, Equatable {
        /// The last sequence number the reader has (0: from the start).
        var since: Int
        /// Only changes of these types (`RecordImport.kinds`); all when empty.
        var types: Set<String>
        var limit: Int
        /// Whether each change carries its record (`include=record`, the default) or only its
        /// type, id, operation and version (`include=none`).
        var includeRecord: Bool
    }

    /// A page of changes, each written as a JSON object.
    struct Page {
        var changes: [[UInt8]] = []
        /// The sequence number of each change in `changes`.
        var sequence: [Int] = []
        /// Where the next read goes on from: the last change returned when the page is full, else
        /// the newest change there is (a filtered read has looked at everything up to it).
        var nextSince: Int
    }

    /// The changes after `query.since` (at most `query.limit`).
    /// - Throws: 410 (``ChangeFeedGone``) when changes after `since` were pruned.
    static func read(_ query: Query, in db: any Database) throws -> Page {
        let clock = try Clock.read(in: db)
        if query.since < clock.prunedThrough { throw ChangeFeedGone.error(since: query.since, clock: clock) }
        // A `since` ahead of the feed (a cursor from another database) finds nothing yet; the
        // cursor stays where the reader put it rather than going back.
        var page = Page(nextSince: max(query.since, clock.lastSeq))
        guard query.since < clock.lastSeq else { return page }
        var sql =
            "SELECT seq, type, id, op, version, at, \(query.includeRecord ? "record" : "NULL") FROM changes WHERE seq > ?"
        var arguments: [SQLValue] = [.integer(Int64(query.since))]
        if !query.types.isEmpty {
            sql += " AND type IN (\(Array(repeating: "?", count: query.types.count).joined(separator: ", ")))"
            arguments += query.types.sorted().map(SQLValue.text)
        }
        sql += " ORDER BY seq LIMIT ?"
        arguments.append(.integer(Int64(query.limit)))
        let rows = try db.query(sql, arguments) { row in
            (
                seq: try row.int(0), type: try row.string(1), id: try row.string(2), op: try row.string(3),
                version: try row.int(4), at: try row.string(5), record: row.optionalString(6)
            )
        }
        for row in rows {
            var json = JSONWriter(reservingCapacity: 128 + (row.record?.utf8.count ?? 0))
            json.beginObject()
            json.key("seq"); json.int(row.seq)
            json.key("type"); json.string(row.type)
            json.key("id"); json.string(row.id)
            json.key("op"); json.string(row.op)
            json.key("version"); json.int(row.version)
            json.key("at"); json.string(row.at)
            if query.includeRecord {
                json.key("record")
                if let record = row.record {
                    json.raw(Array(record.utf8))
                } else if row.op == ChangeLog.Operation.delete.rawValue {
                    json.null()
                } else if let current = try Self.representation(type: row.type, id: row.id, in: db) {
                    // Appended unrendered by an import; the record has not changed since.
                    json.raw(current)
                } else {
                    json.null()
                }
            }
            json.endObject()
            page.changes.append(json.bytes)
            page.sequence.append(row.seq)
        }
        if rows.count == query.limit, let last = rows.last { page.nextSince = last.seq }
        return page
    }

    /// The representation of the record `type`/`id` now, as GET answers it.
    static func representation(type: String, id: String, in db: any Database) throws -> [UInt8]? {
        switch type {
        case Sources.singular: try Sources.representation(of: id, in: db)
        case Actors.singular: try Actors.representation(of: id, in: db)
        case Meetings.singular: try Meetings.representation(of: id, in: db)
        case Statements.singular: try Statements.representation(of: id, in: db)
        case Initiatives.singular: try Initiatives.representation(of: id, in: db)
        default: nil
        }
    }

    /// The one-row clock: the newest sequence number, and the newest one pruned.
    struct Clock: Equatable, Sendable {
        var lastSeq: Int
        var prunedThrough: Int

        static func read(in db: any Database) throws -> Clock {
            guard
                let clock = try db.queryOne(
                    "SELECT last_seq, pruned_through FROM change_clock", [],
                    row: {
                        Clock(lastSeq: try $0.int(0), prunedThrough: try $0.int(1))
                    })
            else { throw ChangeFeedError.missingClock }
            return clock
        }
    }
}

/// Changes after the `since` asked for were pruned: the feed cannot be followed from there, and a
/// consumer starts again from an export (410 Gone, never a partial feed).
enum ChangeFeedGone {
    static func error(since: Int, clock: ChangeFeed.Clock) -> HTTPError {
        HTTPError(
            .gone,
            detail:
                "The changes after seq \(since) are no longer kept; this feed keeps those after seq \(clock.prunedThrough). Note the newest seq, \(clock.lastSeq), take an export (GET /v1/export), then follow the feed from that seq."
        )
    }
}

extension ChangeFeed {
    /// Writes the changes after `since` as NDJSON, a page at a time, each page from one snapshot,
    /// until the newest (`bilateral changes`).
    /// - Parameter sink: receives each page's lines.
    /// - Returns: The seq to go on from.
    /// - Throws: 410 when changes after `since` were pruned.
    public static func writeNDJSON(
        since: Int, types: Set<String>, includeRecord: Bool, from store: any DatabaseStore,
        to sink: ([UInt8]) throws -> Void
    ) throws -> Int {
        var position = since
        while true {
            let query = Query(since: position, types: types, limit: 500, includeRecord: includeRecord)
            let page = try store.read { db in try read(query, in: db) }
            var bytes: [UInt8] = []
            for change in page.changes {
                bytes += change
                bytes.append(0x0A)
            }
            if !bytes.isEmpty { try sink(bytes) }
            position = page.nextSince
            if page.changes.count < query.limit { return position }
        }
    }

    /// The channel a store notifies when the feed grows (PostgreSQL), for followers to listen on.
    public static let channel = ChangeHub.channel
}

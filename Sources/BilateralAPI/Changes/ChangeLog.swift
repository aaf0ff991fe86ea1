import HTTPCore
import Storage

/// Appends to the change feed from inside a write transaction: one change per record a write
/// creates, changes or deletes, numbered by the one-row clock (`ChangeSchema`), so that numbers
/// follow commit order and a rolled-back write leaves none behind.
enum ChangeLog {
    enum Operation: String, Sendable {
        case create, update, delete
    }

    /// One change, before its number is known.
    struct Entry {
        let type: String
        let id: String
        let op: Operation
        let version: Int
        let at: String
        /// The representation right after the change; nil for a delete, or left for the feed to
        /// render (an import's lines: ``fillPending(type:id:representation:in:)``).
        let record: [UInt8]?
    }

    static let insert = "INSERT INTO changes (seq, type, id, op, version, at, record) VALUES (?, ?, ?, ?, ?, ?, ?)"

    /// Appends `entry` with the next number.
    static func append(_ entry: Entry, in db: any Database) throws {
        if let oneStatement = SQLDialect.of(db).appendChange {
            return try db.execute(oneStatement, Array(row(entry, seq: 0).dropFirst()))
        }
        let seq = try advance(by: 1, in: db)
        try db.execute(insert, row(entry, seq: seq))
    }

    /// Appends `entries`, numbered in their order, with one bulk load (an import's chunk).
    static func append(_ entries: [Entry], in db: any Database) throws {
        guard !entries.isEmpty else { return }
        let last = try advance(by: entries.count, in: db)
        var rows = TableRows()
        for (offset, entry) in entries.enumerated() {
            rows.add("changes", columns, row(entry, seq: last - entries.count + 1 + offset))
        }
        try rows.load(in: db)
    }

    /// Before the record `type`/`id` changes again: if its last change was appended without its
    /// representation (by an import), that change gets the representation it still has now.
    /// Only then is `representation` called.
    static func fillPending(
        type: String, id: String, representation: () throws -> [UInt8], in db: any Database
    ) throws {
        guard
            let seq = try db.scalar(
                "SELECT seq FROM changes WHERE type = ? AND id = ? AND record IS NULL AND op <> 'delete'",
                [.text(type), .text(id)])
        else { return }
        try db.execute(
            "UPDATE changes SET record = ? WHERE seq = ?",
            [.text(String(decoding: try representation(), as: UTF8.self)), seq])
    }

    /// Takes `count` numbers: the clock's row stays locked until the transaction ends, so the
    /// next transaction's numbers come after this one's commit (PostgreSQL, several writers).
    /// - Returns: The last number taken.
    private static func advance(by count: Int, in db: any Database) throws -> Int {
        guard
            let last = try db.scalar(
                "UPDATE change_clock SET last_seq = last_seq + ? RETURNING last_seq", [.integer(Int64(count))])?.int
        else { throw ChangeFeedError.missingClock }
        return last
    }

    private static let columns = ["seq", "type", "id", "op", "version", "at", "record"]

    private static func row(_ entry: Entry, seq: Int) -> [SQLValue] {
        [
            .integer(Int64(seq)), .text(entry.type), .text(entry.id), .text(entry.op.rawValue),
            .integer(Int64(entry.version)), .text(entry.at),
            entry.record.map { .text(String(decoding: $0, as: UTF8.self)) } ?? .null,
        ]
    }
}

/// The change feed's tables are missing or broken: a schema this build did not migrate.
enum ChangeFeedError: Error {
    case missingClock
}

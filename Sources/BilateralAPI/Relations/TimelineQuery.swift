import Storage

/// One page of a relation's timeline as sort keys: meetings, statements and status-history
/// entries of the pair merged into one list ordered by (date, type, record id, history index),
/// ascending or exactly reversed. Keyset paging on that full key: a page starts strictly after
/// the previous page's last key, so nothing is skipped or repeated, even among equal dates.
struct TimelineQuery {
    /// A timeline position: the sort key of one event.
    struct Key: Sendable, Equatable {
        var date: String
        var type: TimelineType
        var id: String
        /// The entry's index in the initiative's `status_history`; 0 for meetings and statements.
        var index: Int
    }

    var pair: CountryPair
    var types: [TimelineType] = TimelineType.allCases
    var from: String?
    var to: String?
    var ascending = false
    var after: Key?
    var limit = 50

    /// `limit + 1` keys, so the caller can tell whether another page follows.
    func page(in db: any Database) throws -> [Key] {
        let (sql, arguments) = self.sql()
        return try db.query(sql, arguments) { row in
            Key(
                date: try row.string(0), type: TimelineType(rank: try row.int(1)), id: try row.string(2),
                index: try row.int(3))
        }
    }

    /// The SQL and arguments of `page`, apart so tests can check its query plan.
    func sql() -> (sql: String, arguments: [SQLValue]) {
        var arms: [String] = []
        var arguments: [SQLValue] = []
        for type in TimelineType.allCases where types.contains(type) {
            let (dateColumn, idColumn, indexColumn, source): (String, String, String, String)
            switch type {
            case .meeting: (dateColumn, idColumn, indexColumn, source) = ("date", "meeting_id", "0", "meeting_pairs p")
            case .statement:
                (dateColumn, idColumn, indexColumn, source) = ("date", "statement_id", "0", "statement_pairs p")
            case .statusChange:
                (dateColumn, idColumn, indexColumn, source) = (
                    "h.date", "h.initiative_id", "h.position",
                    "initiative_pairs p JOIN initiative_status_history h ON h.initiative_id = p.initiative_id"
                )
            }
            var conditions = ["p.a = ?", "p.b = ?"]
            arguments += [.text(pair.a), .text(pair.b)]
            if let from {
                conditions.append("\(dateColumn) >= ?")
                arguments.append(.text(from))
            }
            if let to {
                conditions.append("\(dateColumn) <= ?")
                arguments.append(.text(to))
            }
            if let after {
                let (condition, values) = Self.after(
                    after, type: type, ascending: ascending, date: dateColumn, id: idColumn, index: indexColumn)
                conditions.append(condition)
                arguments += values
            }
            arms.append(
                "SELECT \(dateColumn) AS date, \(type.rank) AS rank, \(idColumn) AS id, \(indexColumn) AS position "
                    + "FROM \(source) WHERE " + conditions.joined(separator: " AND "))
        }
        let order = ascending ? "ASC" : "DESC"
        let sql =
            arms.joined(separator: "\nUNION ALL\n")
            + "\nORDER BY 1 \(order), 2 \(order), 3 \(order), 4 \(order) LIMIT ?"
        return (sql, arguments + [.integer(Int64(limit + 1))])
    }

    /// The condition "this arm's row comes after `key`" in the walk's direction, with a plain
    /// date bound first so the pair index's date range does the work.
    private static func after(
        _ key: Key, type: TimelineType, ascending: Bool, date: String, id: String, index: String
    ) -> (String, [SQLValue]) {
        let beyond = ascending ? ">" : "<"
        let bound = "\(date) \(beyond)= ?"
        let strictly = "\(date) \(beyond) ?"
        if type.rank != key.type.rank {
            // Same date: the whole arm is after the key when its type sorts after the key's.
            let armAfter = ascending ? type.rank > key.type.rank : type.rank < key.type.rank
            return (armAfter ? bound : strictly, [.text(key.date)])
        }
        let tie =
            type == .statusChange
            ? "(\(id), \(index)) \(beyond) (?, ?)" : "\(id) \(beyond) ?"
        let tieValues: [SQLValue] =
            type == .statusChange ? [.text(key.id), .integer(Int64(key.index))] : [.text(key.id)]
        return (
            "\(bound) AND (\(strictly) OR (\(date) = ? AND \(tie)))",
            [.text(key.date), .text(key.date), .text(key.date)] + tieValues
        )
    }
}

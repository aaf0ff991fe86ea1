import SQLiteStore

/// SQL for the relation endpoints. Every query starts from a pair table (`RelationSchema`), so
/// its cost follows the size of the pair, not of either country.
enum RelationRepository {
    /// Every pair with at least one shared record, or those of one country; unsorted.
    static func pairs(involving country: String?, in db: Database) throws -> [RelationCounts] {
        let filter = country == nil ? "" : "WHERE a = ?1 OR b = ?1"
        let historyFilter = country == nil ? "" : "WHERE p.a = ?1 OR p.b = ?1"
        var relations: [CountryPair: RelationCounts] = [:]
        try db.forEachRow(
            """
            SELECT a, b, 0, count(*), min(date), max(date) FROM meeting_pairs \(filter) GROUP BY a, b
            UNION ALL
            SELECT a, b, 1, count(*), min(date), max(date) FROM statement_pairs \(filter) GROUP BY a, b
            UNION ALL
            SELECT p.a, p.b, 2, count(DISTINCT p.initiative_id), min(h.date), max(h.date)
            FROM initiative_pairs p JOIN initiative_status_history h ON h.initiative_id = p.initiative_id
            \(historyFilter) GROUP BY p.a, p.b
            UNION ALL
            SELECT p.a, p.b, 3, count(*), NULL, NULL
            FROM initiative_pairs p JOIN initiative_status_history h ON h.initiative_id = p.initiative_id
            \(historyFilter) GROUP BY p.a, p.b
            """, country.map { [.text($0)] } ?? []
        ) { row in
            let pair = CountryPair(a: try row.string(0), b: try row.string(1))
            var counts = relations[pair] ?? RelationCounts(pair: pair)
            let count = try row.int(3)
            switch try row.int(2) {
            case 0: counts.meetings = count
            case 1: counts.statements = count
            case 2: counts.initiatives = count
            default: counts.statusChanges = count
            }
            counts.widen(first: row.optionalString(4), last: row.optionalString(5))
            relations[pair] = counts
        }
        return Array(relations.values)
    }

    /// The counts of one pair (zeros when the two share nothing).
    static func counts(of pair: CountryPair, in db: Database) throws -> RelationCounts {
        var counts = RelationCounts(pair: pair)
        let arguments: [SQLiteValue] = [.text(pair.a), .text(pair.b)]
        try db.forEachRow(
            """
            SELECT 0, count(*), min(date), max(date) FROM meeting_pairs WHERE a = ?1 AND b = ?2
            UNION ALL
            SELECT 1, count(*), min(date), max(date) FROM statement_pairs WHERE a = ?1 AND b = ?2
            UNION ALL
            SELECT 2, count(*), NULL, NULL FROM initiative_pairs WHERE a = ?1 AND b = ?2
            UNION ALL
            SELECT 3, count(*), min(h.date), max(h.date)
            FROM initiative_pairs p JOIN initiative_status_history h ON h.initiative_id = p.initiative_id
            WHERE p.a = ?1 AND p.b = ?2
            """, arguments
        ) { row in
            let count = try row.int(1)
            switch try row.int(0) {
            case 0: counts.meetings = count
            case 1: counts.statements = count
            case 2: counts.initiatives = count
            default: counts.statusChanges = count
            }
            counts.widen(first: row.optionalString(2), last: row.optionalString(3))
        }
        return counts
    }

    /// How many of the pair's initiatives are in each status now.
    static func initiativesByStatus(of pair: CountryPair, in db: Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        try db.forEachRow(
            """
            SELECT i.status, count(*) FROM initiative_pairs p JOIN initiatives i ON i.id = p.initiative_id
            WHERE p.a = ? AND p.b = ? GROUP BY i.status
            """, [.text(pair.a), .text(pair.b)]
        ) { row in counts[try row.string(0)] = try row.int(1) }
        return counts
    }

    /// The areas the pair's records carry most: meeting and statement topics, initiative areas;
    /// ties by name.
    static func topTopics(of pair: CountryPair, limit: Int, in db: Database) throws -> [(topic: String, count: Int)] {
        try db.query(
            """
            SELECT topic, count(*) AS n FROM (
                SELECT t.topic FROM meeting_pairs p JOIN meeting_topics t ON t.meeting_id = p.meeting_id
                WHERE p.a = ?1 AND p.b = ?2
                UNION ALL
                SELECT t.topic FROM statement_pairs p JOIN statement_topics t ON t.statement_id = p.statement_id
                WHERE p.a = ?1 AND p.b = ?2
                UNION ALL
                SELECT i.area FROM initiative_pairs p JOIN initiatives i ON i.id = p.initiative_id
                WHERE p.a = ?1 AND p.b = ?2
            ) GROUP BY topic ORDER BY n DESC, topic LIMIT ?3
            """, [.text(pair.a), .text(pair.b), .integer(Int64(limit))]
        ) { (topic: try $0.string(0), count: try $0.int(1)) }
    }

    /// An actor's part in a relation: meetings attended and statements made.
    struct ActorActivity: Sendable {
        var id: String
        var name: String
        var kind: String
        var country: String?
        var meetings: Int
        var statements: Int
    }

    /// The actors who took part in most of the pair's meetings and statements; ties by id.
    static func topActors(of pair: CountryPair, limit: Int, in db: Database) throws -> [ActorActivity] {
        try db.query(
            """
            SELECT x.actor_id, a.name, a.kind, a.country, sum(x.m), sum(x.s) FROM (
                SELECT mp.actor_id, 1 AS m, 0 AS s FROM meeting_pairs p
                JOIN meeting_participants mp ON mp.meeting_id = p.meeting_id WHERE p.a = ?1 AND p.b = ?2
                UNION ALL
                SELECT s.speaker_id, 0, 1 FROM statement_pairs p JOIN statements s ON s.id = p.statement_id
                WHERE p.a = ?1 AND p.b = ?2
            ) x JOIN actors a ON a.id = x.actor_id
            GROUP BY x.actor_id ORDER BY sum(x.m) + sum(x.s) DESC, x.actor_id LIMIT ?3
            """, [.text(pair.a), .text(pair.b), .integer(Int64(limit))]
        ) { row in
            ActorActivity(
                id: try row.string(0), name: try row.string(1), kind: try row.string(2),
                country: row.optionalString(3), meetings: try row.int(4), statements: try row.int(5))
        }
    }

    /// Events of the pair per day in the inclusive range, by timeline type.
    static func eventsPerDay(
        of pair: CountryPair, from: String, to: String, in db: Database
    ) throws -> [(type: TimelineType, date: String, count: Int)] {
        try db.query(
            """
            SELECT 0, date, count(*) FROM meeting_pairs WHERE a = ?1 AND b = ?2 AND date BETWEEN ?3 AND ?4
            GROUP BY date
            UNION ALL
            SELECT 1, date, count(*) FROM statement_pairs WHERE a = ?1 AND b = ?2 AND date BETWEEN ?3 AND ?4
            GROUP BY date
            UNION ALL
            SELECT 2, h.date, count(*)
            FROM initiative_pairs p JOIN initiative_status_history h ON h.initiative_id = p.initiative_id
            WHERE p.a = ?1 AND p.b = ?2 AND h.date BETWEEN ?3 AND ?4 GROUP BY h.date
            """, [.text(pair.a), .text(pair.b), .text(from), .text(to)]
        ) { row in
            (type: TimelineType(rank: try row.int(0)), date: try row.string(1), count: try row.int(2))
        }
    }
}

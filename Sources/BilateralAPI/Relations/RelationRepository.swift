import Storage

/// SQL for the relation endpoints. Every query starts from a pair table (`RelationSchema`), so
/// its cost follows the size of the pair, not of either country.
enum RelationRepository {
    /// Every pair with at least one shared record, or those of one country; unsorted, and
    /// without their first and last dates (see `eventDates`). Read from `relation_counts`.
    static func pairs(involving country: String?, in db: any Database) throws -> [RelationCounts] {
        let filter = country == nil ? "" : "AND (a = ?1 OR b = ?1)"
        return try db.query(
            """
            SELECT a, b, meetings, statements, initiatives, status_changes FROM relation_counts
            WHERE meetings + statements + initiatives > 0 \(filter)
            """, country.map { [.text($0)] } ?? []
        ) { row in
            var counts = RelationCounts(pair: CountryPair(a: try row.string(0), b: try row.string(1)))
            counts.meetings = try row.int(2)
            counts.statements = try row.int(3)
            counts.initiatives = try row.int(4)
            counts.statusChanges = try row.int(5)
            return counts
        }
    }

    /// The first and last event of a pair: each a single index probe (min and max apart, so
    /// SQLite answers each from one end of the pair's index range).
    static func eventDates(of pair: CountryPair, in db: any Database) throws -> (first: String?, last: String?) {
        var dates: [String] = []
        try db.forEachRow(
            """
            SELECT min(date) FROM meeting_pairs WHERE a = ?1 AND b = ?2
            UNION ALL SELECT max(date) FROM meeting_pairs WHERE a = ?1 AND b = ?2
            UNION ALL SELECT min(date) FROM statement_pairs WHERE a = ?1 AND b = ?2
            UNION ALL SELECT max(date) FROM statement_pairs WHERE a = ?1 AND b = ?2
            UNION ALL SELECT min(h.date) FROM initiative_pairs p
                JOIN initiative_status_history h ON h.initiative_id = p.initiative_id WHERE p.a = ?1 AND p.b = ?2
            UNION ALL SELECT max(h.date) FROM initiative_pairs p
                JOIN initiative_status_history h ON h.initiative_id = p.initiative_id WHERE p.a = ?1 AND p.b = ?2
            """, [.text(pair.a), .text(pair.b)]
        ) { row in
            if let date = row.optionalString(0) { dates.append(date) }
        }
        return (dates.min(), dates.max())
    }

    /// The counts of one pair (zeros when the two share nothing), from `relation_counts`, and
    /// its first and last event.
    static func counts(of pair: CountryPair, in db: any Database) throws -> RelationCounts {
        var counts = RelationCounts(pair: pair)
        try db.forEachRow(
            "SELECT meetings, statements, initiatives, status_changes FROM relation_counts WHERE a = ? AND b = ?",
            [.text(pair.a), .text(pair.b)]
        ) { row in
            counts.meetings = try row.int(0)
            counts.statements = try row.int(1)
            counts.initiatives = try row.int(2)
            counts.statusChanges = try row.int(3)
        }
        (counts.firstDate, counts.lastDate) = try eventDates(of: pair, in: db)
        return counts
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

    /// What the summary adds to the counts.
    struct Details: Sendable {
        /// The pair's initiatives by current status.
        var initiativesByStatus: [String: Int] = [:]
        /// The areas the pair's records carry most (meeting and statement topics, initiative
        /// areas; a record counts once per area), most first, ties by name.
        var topTopics: [(topic: String, count: Int)] = []
        /// The actors in most of the pair's meetings and statements, most first, ties by id.
        var topActors: [ActorActivity] = []
    }

    /// From the per-pair counters (`pair_topics`, `pair_actors`) and the pair's initiatives.
    static func details(of pair: CountryPair, top: Int, in db: any Database) throws -> Details {
        let arguments: [SQLValue] = [.text(pair.a), .text(pair.b), .integer(Int64(top))]
        var details = Details()
        var topics: [String: Int] = [:]
        let pairArguments = Array(arguments.prefix(2))
        try db.forEachRow(
            "SELECT topic, records FROM pair_topics WHERE a = ?1 AND b = ?2 AND records > 0", pairArguments
        ) { row in topics[try row.string(0), default: 0] += try row.int(1) }
        try db.forEachRow(
            """
            SELECT i.status, i.area FROM initiative_pairs p JOIN initiatives i ON i.id = p.initiative_id
            WHERE p.a = ?1 AND p.b = ?2
            """, pairArguments
        ) { row in
            details.initiativesByStatus[try row.string(0), default: 0] += 1
            topics[try row.string(1), default: 0] += 1
        }
        details.topTopics = topics.map { (topic: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.topic) < ($0.count, $1.topic) }.prefix(top).map { $0 }
        details.topActors = try db.query(
            """
            SELECT c.actor_id, a.name, a.kind, a.country, c.meetings, c.statements
            FROM pair_actors c JOIN actors a ON a.id = c.actor_id
            WHERE c.a = ?1 AND c.b = ?2 AND c.meetings + c.statements > 0
            ORDER BY c.meetings + c.statements DESC, c.actor_id LIMIT ?3
            """, arguments
        ) { row in
            ActorActivity(
                id: try row.string(0), name: try row.string(1), kind: try row.string(2),
                country: row.optionalString(3), meetings: try row.int(4), statements: try row.int(5))
        }
        return details
    }

    /// Events of the pair per day in the inclusive range, by timeline type.
    static func eventsPerDay(
        of pair: CountryPair, from: String, to: String, in db: any Database
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

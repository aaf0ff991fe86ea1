import SQLiteStore

/// SQL for the relation endpoints. Every query starts from a pair table (`RelationSchema`), so
/// its cost follows the size of the pair, not of either country.
enum RelationRepository {
    /// Every pair with at least one shared record, or those of one country; unsorted, and
    /// without their first and last dates (see `eventDates`). Read from `relation_counts`.
    static func pairs(involving country: String?, in db: Database) throws -> [RelationCounts] {
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
    static func eventDates(of pair: CountryPair, in db: Database) throws -> (first: String?, last: String?) {
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

    /// From the pair's rows of `meeting_pairs` and `statement_pairs` (which carry their records'
    /// actors and topics) and its initiatives; then the names of the top actors.
    static func details(of pair: CountryPair, top: Int, in db: Database) throws -> Details {
        let arguments: [SQLiteValue] = [.text(pair.a), .text(pair.b)]
        var details = Details()
        var topics: [String: Int] = [:]
        var activity: [String: (meetings: Int, statements: Int)] = [:]
        /// The distinct entries of a comma-separated list (a record names a topic once in effect).
        func distinct(_ list: String?) -> [Substring] {
            var seen: [Substring] = []
            for item in (list ?? "").split(separator: ",") where !seen.contains(item) { seen.append(item) }
            return seen
        }
        // Grouped by the list itself: records with the same participants or topics are counted
        // in SQL, so Swift splits each distinct list once.
        try db.forEachRow(
            """
            SELECT 0, actors, count(*) FROM meeting_pairs WHERE a = ?1 AND b = ?2 GROUP BY actors
            UNION ALL
            SELECT 1, actors, count(*) FROM statement_pairs WHERE a = ?1 AND b = ?2 GROUP BY actors
            UNION ALL
            SELECT 2, topics, count(*) FROM meeting_pairs WHERE a = ?1 AND b = ?2 GROUP BY topics
            UNION ALL
            SELECT 2, topics, count(*) FROM statement_pairs WHERE a = ?1 AND b = ?2 GROUP BY topics
            """, arguments
        ) { row in
            let kind = try row.int(0)
            let count = try row.int(2)
            for item in distinct(row.optionalString(1)) {
                switch kind {
                case 0: activity[String(item), default: (0, 0)].meetings += count
                case 1: activity[String(item), default: (0, 0)].statements += count
                default: topics[String(item), default: 0] += count
                }
            }
        }
        try db.forEachRow(
            """
            SELECT i.status, i.area FROM initiative_pairs p JOIN initiatives i ON i.id = p.initiative_id
            WHERE p.a = ?1 AND p.b = ?2
            """, arguments
        ) { row in
            details.initiativesByStatus[try row.string(0), default: 0] += 1
            topics[try row.string(1), default: 0] += 1
        }
        details.topTopics = topics.map { (topic: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.topic) < ($0.count, $1.topic) }.prefix(top).map { $0 }
        let leaders = activity.map { (id: $0.key, meetings: $0.value.meetings, statements: $0.value.statements) }
            .sorted { ($1.meetings + $1.statements, $0.id) < ($0.meetings + $0.statements, $1.id) }.prefix(top)
        guard !leaders.isEmpty else { return details }
        var actors: [String: (name: String, kind: String, country: String?)] = [:]
        try db.forEachRow(
            "SELECT id, name, kind, country FROM actors WHERE id IN (\(leaders.map { _ in "?" }.joined(separator: ",")))",
            leaders.map { .text($0.id) }
        ) { row in actors[try row.string(0)] = (try row.string(1), try row.string(2), row.optionalString(3)) }
        details.topActors = leaders.compactMap { leader in
            actors[leader.id].map {
                ActorActivity(
                    id: leader.id, name: $0.name, kind: $0.kind, country: $0.country, meetings: leader.meetings,
                    statements: leader.statements)
            }
        }
        return details
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

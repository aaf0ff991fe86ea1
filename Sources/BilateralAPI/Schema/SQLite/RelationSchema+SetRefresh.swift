import Storage

/// What the pair and counter triggers do row by row, done for a set of records at once, for a
/// deferred refresh (``DeferredRefresh``) that runs with those triggers suspended.
///
/// Same rows, same counts: `removePairs` is the delete triggers of the set's pair rows
/// (`<pairs>_count_delete`, `<pairs>_counters_delete`), `addPairs` the insert triggers of their
/// countries and of the pair rows (`<countries>_pairs_insert`, `<pairs>_count_insert`,
/// `<pairs>_counters_insert`), each grouped by what it counts. Both are checked against the
/// triggers by `DeferredRefreshTests`.
extension RelationSchema {
    /// A table of pair rows and what it derives from.
    struct PairTable {
        /// `meeting_pairs`.
        var pairs: String
        /// `meeting_id`.
        var id: String
        /// `meeting_countries`.
        var countries: String
        /// The column of `relation_counts` and `pair_actors` the rows count in: `meetings`.
        var counter: String
        /// The templates of the `actors` and `topics` payloads (`payloads`).
        var actors: String
        var topics: String
    }

    /// The meetings' pair table, with the payloads of `db`'s schema.
    static func meetingPairs(in db: any Database) -> PairTable {
        let payloads = pairPayloads[db]
        return PairTable(
            pairs: "meeting_pairs", id: "meeting_id", countries: "meeting_countries", counter: "meetings",
            actors: payloads.meetingActors, topics: payloads.meetingTopics)
    }

    /// The statements' pair table, with the payloads of `db`'s schema.
    static func statementPairs(in db: any Database) -> PairTable {
        let payloads = pairPayloads[db]
        return PairTable(
            pairs: "statement_pairs", id: "statement_id", countries: "statement_countries", counter: "statements",
            actors: payloads.statementSpeaker, topics: payloads.statementTopics)
    }

    /// The payload templates each schema's triggers use (SQLite's `json_group_array`,
    /// PostgreSQL's `string_agg` of `to_json`), which the set refresh must write identically.
    private static let pairPayloads = PerDialect<Payloads> { dialect -> Payloads in
        switch dialect.backend {
        case .sqlite: return payloads
        case .postgresql: return PostgresRelationSchema.payloads
        }
    }

    /// Takes the pair rows of the records `ids` (SQL that selects record ids) out of the counters,
    /// then deletes them.
    static func removePairs(of ids: String, in table: PairTable, db: any Database) throws {
        let (pairs, id, counter) = (table.pairs, table.id, table.counter)
        let dialect = SQLDialect.of(db)
        try db.execute(
            """
            UPDATE relation_counts SET \(counter) = \(counter) - g.n
            FROM (SELECT a, b, count(*) AS n FROM \(pairs) WHERE \(id) IN (\(ids)) GROUP BY a, b) AS g
            WHERE relation_counts.a = g.a AND relation_counts.b = g.b
            """, [])
        try db.execute(
            """
            UPDATE pair_topics SET records = records - g.n
            FROM (SELECT p.a, p.b, t.value AS topic, count(*) AS n FROM \(pairs) p, \(dialect.jsonTextElements(of: "p.topics", as: "t"))
                  WHERE p.\(id) IN (\(ids)) GROUP BY p.a, p.b, t.value) AS g
            WHERE pair_topics.a = g.a AND pair_topics.b = g.b AND pair_topics.topic = g.topic
            """, [])
        try db.execute(
            """
            UPDATE pair_actors SET \(counter) = \(counter) - g.n
            FROM (SELECT p.a, p.b, t.value AS actor_id, count(*) AS n FROM \(pairs) p, \(dialect.jsonTextElements(of: "p.actors", as: "t"))
                  WHERE p.\(id) IN (\(ids)) GROUP BY p.a, p.b, t.value) AS g
            WHERE pair_actors.a = g.a AND pair_actors.b = g.b AND pair_actors.actor_id = g.actor_id
            """, [])
        try db.execute("DELETE FROM \(pairs) WHERE \(id) IN (\(ids))", [])
    }

    /// Writes the pair rows of the records `ids` from their derived countries, and adds them to
    /// the counters. The rows go in in key order: a page of the pair table is then read and
    /// written once, where rows in record order land on pages all over the table.
    static func addPairs(of ids: String, in table: PairTable, db: any Database) throws {
        let (pairs, id, counter) = (table.pairs, table.id, table.counter)
        let dialect = SQLDialect.of(db)
        try db.execute(
            """
            INSERT INTO \(pairs) (a, b, date, \(id), actors, topics)
            SELECT x.country, y.country, x.date, x.\(id), \(of(table.actors, "x.\(id)")), \(of(table.topics, "x.\(id)"))
            FROM \(table.countries) x JOIN \(table.countries) y ON y.\(id) = x.\(id) AND y.country > x.country
            WHERE x.\(id) IN (\(ids))
            ORDER BY 1, 2, 3, 4
            ON CONFLICT DO NOTHING
            """, [])
        try db.execute(
            """
            INSERT INTO relation_counts (a, b, \(counter))
            SELECT a, b, count(*) FROM \(pairs) WHERE \(id) IN (\(ids)) GROUP BY a, b
            ON CONFLICT (a, b) DO UPDATE SET \(counter) = relation_counts.\(counter) + excluded.\(counter)
            """, [])
        try db.execute(
            """
            INSERT INTO pair_topics (a, b, topic, records)
            SELECT p.a, p.b, t.value, count(*) FROM \(pairs) p, \(dialect.jsonTextElements(of: "p.topics", as: "t"))
            WHERE p.\(id) IN (\(ids)) GROUP BY p.a, p.b, t.value
            ON CONFLICT (a, b, topic) DO UPDATE SET records = pair_topics.records + excluded.records
            """, [])
        try db.execute(
            """
            INSERT INTO pair_actors (a, b, actor_id, \(counter))
            SELECT p.a, p.b, t.value, count(*) FROM \(pairs) p, \(dialect.jsonTextElements(of: "p.actors", as: "t"))
            WHERE p.\(id) IN (\(ids)) GROUP BY p.a, p.b, t.value
            ON CONFLICT (a, b, actor_id) DO UPDATE SET \(counter) = pair_actors.\(counter) + excluded.\(counter)
            """, [])
    }
}

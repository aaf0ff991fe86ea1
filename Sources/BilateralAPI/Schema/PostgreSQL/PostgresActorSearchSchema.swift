import Storage

/// The actors' search on PostgreSQL (SQLite: ``ActorSearchSchema``'s `actors_fts`), part of
/// migration 6: `actors_search` holds one row per actor, keyed by the actor's `rowid`, with its
/// name and its aliases joined by ``ActorSearchSchema/aliasSeparator`` in position order, and a
/// `search_vector` of both (name `A`, aliases `B`, folded as ``PostgresTextSearchSchema``'s).
/// Aliases live in their own table, so, as on SQLite, this table keeps its own copy of the text;
/// triggers on `actors` and `actor_aliases` rewrite it in the statement that changes them, where
/// SQLite queues the actor for `TextSearchQueue.flush`.
///
/// `rowid IN (SELECT rowid FROM actors_fts WHERE actors_fts MATCH ?)` becomes
/// `rowid IN (SELECT rowid FROM actors_search WHERE search_vector @@ <tsquery>)`.
enum PostgresActorSearchSchema {
    /// The `aliases` of the actor whose id is the expression `id`: `group_concat` in position order.
    static func aliases(of id: String) -> String {
        """
        coalesce((SELECT string_agg(alias, '\(ActorSearchSchema.aliasSeparator)' ORDER BY position)
                  FROM actor_aliases WHERE actor_id = \(id)), '')
        """
    }

    static func create(_ db: any Database) throws {
        typealias Schema = PostgresRelationSchema
        var sql = """
            CREATE TABLE actors_search (
                rowid BIGINT PRIMARY KEY NOT NULL,
                name TEXT COLLATE "C" NOT NULL,
                aliases TEXT COLLATE "C" NOT NULL,
                search_vector tsvector GENERATED ALWAYS AS (\(PostgresTextSearchSchema.vector(["name", "aliases"]))) STORED
            );
            CREATE INDEX actors_search_vector ON actors_search USING gin (search_vector);

            """
        func rewriteAliases(_ actorID: String) -> String {
            """
            UPDATE actors_search SET aliases = \(aliases(of: actorID))
                WHERE rowid = (SELECT rowid FROM actors WHERE id = \(actorID));
            """
        }
        sql += Schema.trigger(
            "actors_search_insert", "AFTER INSERT", on: "actors",
            """
            INSERT INTO actors_search (rowid, name, aliases) VALUES (NEW.rowid, NEW.name, \(aliases(of: "NEW.id")));
            """)
        sql += Schema.trigger(
            "actors_search_delete", "AFTER DELETE", on: "actors", "DELETE FROM actors_search WHERE rowid = OLD.rowid;")
        sql += Schema.trigger(
            "actors_search_update", "AFTER UPDATE OF name", on: "actors",
            "UPDATE actors_search SET name = NEW.name WHERE rowid = NEW.rowid;")
        sql += Schema.trigger(
            "actor_aliases_search_insert", "AFTER INSERT", on: "actor_aliases", rewriteAliases("NEW.actor_id"))
        sql += Schema.trigger(
            "actor_aliases_search_delete", "AFTER DELETE", on: "actor_aliases", rewriteAliases("OLD.actor_id"))
        sql += Schema.trigger(
            "actor_aliases_search_update", "AFTER UPDATE", on: "actor_aliases",
            rewriteAliases("OLD.actor_id") + "\n" + rewriteAliases("NEW.actor_id"))
        try db.execute(sql)
    }
}

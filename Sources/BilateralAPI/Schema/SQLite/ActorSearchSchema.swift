import Storage

/// The full-text index of actors: one row per actor (rowid = the actor's rowid) with its name and
/// its aliases, for `/v1/search` and the actors' `q` filter. Aliases live in their own table, so
/// this index keeps its own copy of the text (not an external-content table). Triggers on both
/// tables queue the actor, and `TextSearchQueue.flush` rewrites its row before the write commits.
/// Tokens as the other indexes: `unicode61 remove_diacritics 2`.
enum ActorSearchSchema {
    /// What separates aliases in the index's `aliases` column (and in search snippets).
    static let aliasSeparator = " · "

    /// The SQL of the `aliases` column for the actor whose id is the expression `id`.
    static func aliases(of id: String) -> String {
        """
        coalesce((SELECT group_concat(alias, '\(aliasSeparator)')
                  FROM (SELECT alias FROM actor_aliases WHERE actor_id = \(id) ORDER BY position)), '')
        """
    }

    /// Part of migration 6 (its triggers replaced by migration 7's queue).
    static func create(_ db: any Database) throws {
        let aliasesOf = aliases(of:)
        try db.execute(
            """
            CREATE VIRTUAL TABLE actors_fts USING fts5(
                name, aliases, tokenize='unicode61 remove_diacritics 2');
            CREATE TRIGGER actors_fts_insert AFTER INSERT ON actors BEGIN
                INSERT INTO actors_fts(rowid, name, aliases) VALUES (new.rowid, new.name, \(aliasesOf("new.id")));
            END;
            CREATE TRIGGER actors_fts_delete AFTER DELETE ON actors BEGIN
                DELETE FROM actors_fts WHERE rowid = old.rowid;
            END;
            CREATE TRIGGER actors_fts_update AFTER UPDATE OF name ON actors BEGIN
                UPDATE actors_fts SET name = new.name WHERE rowid = new.rowid;
            END;
            CREATE TRIGGER actor_aliases_fts_insert AFTER INSERT ON actor_aliases BEGIN
                UPDATE actors_fts SET aliases = \(aliasesOf("new.actor_id"))
                WHERE rowid = (SELECT rowid FROM actors WHERE id = new.actor_id);
            END;
            CREATE TRIGGER actor_aliases_fts_delete AFTER DELETE ON actor_aliases BEGIN
                UPDATE actors_fts SET aliases = \(aliasesOf("old.actor_id"))
                WHERE rowid = (SELECT rowid FROM actors WHERE id = old.actor_id);
            END;
            CREATE TRIGGER actor_aliases_fts_update AFTER UPDATE ON actor_aliases BEGIN
                UPDATE actors_fts SET aliases = \(aliasesOf("new.actor_id"))
                WHERE rowid = (SELECT rowid FROM actors WHERE id = new.actor_id);
            END;
            INSERT INTO actors_fts(rowid, name, aliases) SELECT rowid, name, \(aliasesOf("actors.id")) FROM actors;
            """)
    }
}

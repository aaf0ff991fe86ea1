import Storage

/// Migration 5 on PostgreSQL: full-text search on the texts of meetings, statements and
/// initiatives (SQLite: the FTS5 tables of ``TextSearchSchema``), without an extension.
///
/// Tokens as FTS5's `unicode61 remove_diacritics 2`: words of letters and digits, lower-cased,
/// diacritics removed, no stemming. `bilateral_fold` folds a text (lower case, then NFD and the
/// combining marks removed); `bilateral_words` also turns every run of characters that are neither
/// letters nor digits into one space, so that PostgreSQL's parser sees only plain words, as
/// unicode61 does (left alone, it keeps `example.com`, `1.5` or `foo-bar` as tokens of their own).
/// Both use the ICU root collation for case and character classes, so they do not depend on the
/// database's locale (a `COLLATE "C"` value would fold ASCII letters only).
///
/// Each searchable table carries `search_vector`, a stored generated column of the `simple`
/// configuration (no stop words, no stemming) with its title weighted `A` and its other text `B`,
/// and a GIN index on it. A generated column rather than an expression index: it is written by the
/// same statement as the row (no trigger, nothing queued, no work at commit), a query names it
/// instead of repeating the indexed expression exactly, and ranking reads it instead of parsing the
/// text again. It costs the vector's storage in the table; no statement of ours selects `*`.
///
/// The column stands for SQLite's `<table>_fts`: `m.rowid IN (SELECT rowid FROM meetings_fts
/// WHERE meetings_fts MATCH ?)` becomes `m.search_vector @@ bilateral_tsquery(?)`, bound to the
/// same FTS5 query text (``queryFunctions``).
enum PostgresTextSearchSchema {
    static let migration = Migration(version: 5, name: "text_search", apply: create)

    /// The `search_vector` expression of a table's indexed columns: the first weighted `A`, the
    /// second `B` (bm25's weights on SQLite: a title counts twice its summary or description).
    static func vector(_ columns: [String]) -> String {
        zip(columns, ["A", "B"]).map { column, weight in
            "setweight(to_tsvector('simple'::regconfig, bilateral_words(coalesce(\(column), ''))), '\(weight)')"
        }.joined(separator: " || ")
    }

    static func create(_ db: any Database) throws {
        try db.execute(
            """
            CREATE FUNCTION bilateral_fold(t text) RETURNS text
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                RETURN regexp_replace(
                    normalize(lower(t COLLATE "und-x-icu"), NFD),
                    '[\\u0300-\\u036f\\u1ab0-\\u1aff\\u1dc0-\\u1dff\\u20d0-\\u20ff\\ufe20-\\ufe2f]', '', 'g');
            CREATE FUNCTION bilateral_words(t text) RETURNS text
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                RETURN regexp_replace(bilateral_fold(t) COLLATE "und-x-icu", '[^[:alnum:]]+', ' ', 'g');
            """)
        try db.execute(queryFunctions)
        for (table, columns) in TextSearchSchema.indexes {
            try db.execute(
                """
                ALTER TABLE \(table) ADD COLUMN search_vector tsvector
                    GENERATED ALWAYS AS (\(vector(columns))) STORED;
                CREATE INDEX \(table)_search ON \(table) USING gin (search_vector);
                """)
        }
    }

    /// What the repositories call with the FTS5 query text the app already builds
    /// (``FullTextQuery``: `"w1"* "w2"*`, or `"w1 w2"*` for the actors), bound as is:
    ///
    /// - `bilateral_tsquery(query)`: the same query as a `tsquery` for `search_vector @@`: each
    ///   phrase's words folded as the indexed text, phrases ANDed, a `*` making the last word of its
    ///   phrase a prefix. A phrase of several words is asked once per column weight (`A` | `B`), so
    ///   that, as in FTS5, it matches inside one column, never across a name and its aliases.
    ///   NULL when the query holds no word.
    /// - `bilateral_snippet(texts, query, open, close, ellipsis, tokens)`: FTS5's
    ///   `snippet(index, -1, open, close, ellipsis, tokens)` of the row whose indexed columns are
    ///   `texts`, in order — the same window (best column, phrase-instance scoring, the bonus of a
    ///   window starting a sentence, centring), the same marks and ellipses, the same text: a port
    ///   of `fts5SnippetFunction` (SQLite 3.40's fts5_aux.c), counting characters where FTS5 counts
    ///   bytes. Tokens are `bilateral_tokens`: runs of letters and digits (ICU), folded with
    ///   `bilateral_fold`. `ts_headline` could not serve: it matches the document's words unfolded
    ///   (a query for "seiha" would not mark "Séiha"), adds no ellipses and picks another window.
    ///   Checked against SQLite's `snippet` on 1,750 generated rows of one and two columns (words,
    ///   prefixes and phrases, diacritics, sentence punctuation): identical. It runs only on a
    ///   page's hits.
    /// The snippet's step to the next coalesced range of matched tokens in its column (FTS5's
    /// `fts5CInstIterNext`), run where the window starts and after each range it marks.
    private static let nextCoalescedRange = """
        iter_start := -1;
        iter_end := -1;
        WHILE iter_next <= coalesce(array_length(inst_offset, 1), 0) LOOP
            IF inst_column[iter_next] = best_column THEN
                j := inst_offset[iter_next] - 1 + phrase_size[inst_phrase[iter_next]];
                IF iter_start < 0 THEN
                    iter_start := inst_offset[iter_next];
                    iter_end := j;
                ELSIF inst_offset[iter_next] <= iter_end THEN
                    iter_end := greatest(iter_end, j);
                ELSE
                    EXIT;
                END IF;
            END IF;
            iter_next := iter_next + 1;
        END LOOP;
        """

    static let queryFunctions = #"""
        CREATE FUNCTION bilateral_tsquery(query text) RETURNS tsquery
            LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $function$
        DECLARE
            phrase text[];
            words text[];
            terms text[] := '{}';
            variants text[];
            weight text;
            term text;
            k integer;
        BEGIN
            FOR phrase IN SELECT regexp_matches(query, '"([^"]*)"(\*?)', 'g') LOOP
                words := array_remove(string_to_array(bilateral_words(phrase[1]), ' '), '');
                CONTINUE WHEN coalesce(array_length(words, 1), 0) = 0;
                variants := '{}';
                -- A phrase of several words matches inside one column: once per column weight.
                FOREACH weight IN ARRAY CASE WHEN array_length(words, 1) = 1 THEN ARRAY[''] ELSE ARRAY['A', 'B'] END LOOP
                    term := '';
                    FOR k IN 1..array_length(words, 1) LOOP
                        term := term || CASE WHEN k > 1 THEN ' <-> ' ELSE '' END || quote_literal(words[k])
                            || ':' || CASE WHEN k = array_length(words, 1) AND phrase[2] = '*' THEN '*' ELSE '' END || weight;
                    END LOOP;
                    variants := variants || ('(' || term || ')');
                END LOOP;
                terms := terms || ('(' || array_to_string(variants, ' | ') || ')');
            END LOOP;
            IF coalesce(array_length(terms, 1), 0) = 0 THEN
                RETURN NULL;
            END IF;
            RETURN to_tsquery('simple', array_to_string(terms, ' & '));
        END
        $function$;

        CREATE FUNCTION bilateral_tokens(doc text, OUT starts integer[], OUT ends integer[], OUT folded text[])
            LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $function$
        DECLARE
            parts text[];
            separators text[];
            position integer := 1;
            k integer;
        BEGIN
            starts := '{}';
            ends := '{}';
            folded := '{}';
            IF doc IS NULL OR doc = '' THEN
                RETURN;
            END IF;
            parts := regexp_split_to_array(doc COLLATE "und-x-icu", '[^[:alnum:]]+');
            separators := ARRAY(SELECT m[1] FROM regexp_matches(doc COLLATE "und-x-icu", '([^[:alnum:]]+)', 'g') AS m);
            FOR k IN 1..array_length(parts, 1) LOOP
                IF parts[k] <> '' THEN
                    starts := starts || position;
                    ends := ends || (position + length(parts[k]));
                    folded := folded || bilateral_fold(parts[k]);
                END IF;
                position := position + length(parts[k]) + coalesce(length(separators[k]), 0);
            END LOOP;
        END
        $function$;

        CREATE FUNCTION bilateral_snippet(
            texts text[], query text, open text, close text, ellipsis text, tokens integer
        ) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $function$
        DECLARE
            phrase text[];
            phrase_words text[] := '{}';
            phrase_prefix boolean[] := '{}';
            phrase_size integer[] := '{}';
            inst_phrase integer[] := '{}';
            inst_column integer[] := '{}';
            inst_offset integer[] := '{}';
            words text[];
            t record;
            doc text;
            n integer;
            c integer;
            p integer;
            i integer;
            j integer;
            m integer;
            ok boolean;
            firsts integer[];
            ch text;
            best_score integer := -1;
            best_column integer := 1;
            best_start integer := 0;
            column_size integer := 0;
            score integer;
            adjusted integer;
            seen boolean[];
            first_hit integer;
            last_hit integer;
            window_end integer;
            range_start integer;
            range_end integer;
            result text := '';
            offset_at integer;
            iter_next integer;
            iter_start integer;
            iter_end integer;
            position integer;
        BEGIN
            -- The phrases of the FTS5 query the app builds: "w1"* "w2"* or "w1 w2"*.
            FOR phrase IN SELECT regexp_matches(query, '"([^"]*)"(\*?)', 'g') LOOP
                words := array_remove(string_to_array(bilateral_words(phrase[1]), ' '), '');
                CONTINUE WHEN coalesce(array_length(words, 1), 0) = 0;
                phrase_words := phrase_words || array_to_string(words, ' ');
                phrase_prefix := phrase_prefix || (phrase[2] = '*');
                phrase_size := phrase_size || array_length(words, 1);
            END LOOP;
            -- Every instance of every phrase, by column, then token offset, then phrase (FTS5's xInst order).
            FOR c IN 1..coalesce(array_length(texts, 1), 0) LOOP
                t := bilateral_tokens(texts[c]);
                n := coalesce(array_length(t.folded, 1), 0);
                FOR i IN 0..n - 1 LOOP
                    FOR p IN 1..coalesce(array_length(phrase_words, 1), 0) LOOP
                        words := string_to_array(phrase_words[p], ' ');
                        CONTINUE WHEN i + phrase_size[p] > n;
                        ok := true;
                        FOR m IN 1..phrase_size[p] LOOP
                            IF m = phrase_size[p] AND phrase_prefix[p] THEN
                                ok := starts_with(t.folded[i + m], words[m]);
                            ELSE
                                ok := t.folded[i + m] = words[m];
                            END IF;
                            EXIT WHEN NOT ok;
                        END LOOP;
                        IF ok THEN
                            inst_phrase := inst_phrase || p;
                            inst_column := inst_column || c;
                            inst_offset := inst_offset || i;
                        END IF;
                    END LOOP;
                END LOOP;
            END LOOP;
            -- fts5SnippetFunction: the best window of `tokens` tokens, in the best column.
            FOR c IN 1..coalesce(array_length(texts, 1), 0) LOOP
                doc := texts[c];
                t := bilateral_tokens(doc);
                n := coalesce(array_length(t.folded, 1), 0);
                -- Sentence starts: the first token, and each token after '.' or ':' and white space.
                firsts := '{}';
                FOR i IN 0..n - 1 LOOP
                    IF i = 0 THEN
                        firsts := firsts || 0;
                    ELSE
                        j := t.starts[i + 1] - 1;
                        ch := NULL;
                        WHILE j >= 1 LOOP
                            ch := substr(doc, j, 1);
                            EXIT WHEN ch NOT IN (' ', E'\t', E'\n', E'\r');
                            j := j - 1;
                        END LOOP;
                        IF j <> t.starts[i + 1] - 1 AND ch IN ('.', ':') THEN
                            firsts := firsts || i;
                        END IF;
                    END IF;
                END LOOP;
                FOR m IN 1..coalesce(array_length(inst_offset, 1), 0) LOOP
                    CONTINUE WHEN inst_column[m] <> c;
                    -- fts5SnippetScore from this instance.
                    FOR p IN 0..1 LOOP
                        IF p = 0 THEN
                            position := inst_offset[m];
                        ELSE
                            EXIT WHEN coalesce(array_length(firsts, 1), 0) = 0 OR n <= tokens;
                            j := 1;
                            WHILE j < array_length(firsts, 1) AND firsts[j + 1] <= inst_offset[m] LOOP
                                j := j + 1;
                            END LOOP;
                            EXIT WHEN firsts[j] >= inst_offset[m];
                            position := firsts[j];
                        END IF;
                        seen := array_fill(false, ARRAY[array_length(phrase_words, 1)]);
                        score := 0;
                        first_hit := -1;
                        last_hit := 0;
                        window_end := position + tokens;
                        FOR i IN 1..array_length(inst_offset, 1) LOOP
                            IF inst_column[i] = c AND inst_offset[i] >= position AND inst_offset[i] < window_end THEN
                                score := score + CASE WHEN seen[inst_phrase[i]] THEN 1 ELSE 1000 END;
                                seen[inst_phrase[i]] := true;
                                IF first_hit < 0 THEN
                                    first_hit := inst_offset[i];
                                END IF;
                                last_hit := inst_offset[i] + phrase_size[inst_phrase[i]];
                            END IF;
                        END LOOP;
                        IF p = 0 THEN
                            adjusted := first_hit - (tokens - (last_hit - first_hit)) / 2;
                            IF adjusted + tokens > n THEN
                                adjusted := n - tokens;
                            END IF;
                            IF adjusted < 0 THEN
                                adjusted := 0;
                            END IF;
                        ELSE
                            score := score + CASE WHEN position = 0 THEN 120 ELSE 100 END;
                            adjusted := position;
                        END IF;
                        IF score > best_score THEN
                            best_score := score;
                            best_column := c;
                            best_start := adjusted;
                            column_size := n;
                        END IF;
                    END LOOP;
                END LOOP;
            END LOOP;
            doc := texts[best_column];
            IF doc IS NULL THEN
                RETURN NULL;
            END IF;
            t := bilateral_tokens(doc);
            n := coalesce(array_length(t.folded, 1), 0);
            IF column_size = 0 THEN
                column_size := n;
            END IF;
            range_start := best_start;
            range_end := best_start + tokens - 1;
            IF best_start > 0 THEN
                result := ellipsis;
            END IF;
            -- The coalesced instances of the column (fts5CInstIter), from the first at or after the window.
            iter_next := 1;
            iter_start := -1;
            LOOP
                -- next coalesced range
        \#(nextCoalescedRange)
                EXIT WHEN NOT (iter_start >= 0 AND iter_start < range_start);
            END LOOP;
            -- fts5HighlightCb over the column's tokens, in characters where FTS5 counts bytes.
            offset_at := 1;
            FOR i IN 0..n - 1 LOOP
                CONTINUE WHEN i < range_start OR i > range_end;
                IF range_start > 0 AND i = range_start THEN
                    offset_at := t.starts[i + 1];
                END IF;
                IF i = iter_start THEN
                    result := result || substr(doc, offset_at, t.starts[i + 1] - offset_at) || open;
                    offset_at := t.starts[i + 1];
                END IF;
                IF i = iter_end THEN
                    IF iter_start < range_start THEN
                        result := result || open;
                    END IF;
                    result := result || substr(doc, offset_at, t.ends[i + 1] - offset_at) || close;
                    offset_at := t.ends[i + 1];
        \#(nextCoalescedRange)
                END IF;
                IF i = range_end THEN
                    result := result || substr(doc, offset_at, t.ends[i + 1] - offset_at);
                    offset_at := t.ends[i + 1];
                    IF i >= iter_start AND i < iter_end THEN
                        result := result || close;
                    END IF;
                END IF;
            END LOOP;
            IF range_end >= column_size - 1 THEN
                result := result || substr(doc, offset_at);
            ELSE
                result := result || ellipsis;
            END IF;
            RETURN result;
        END
        $function$;
        """#
}

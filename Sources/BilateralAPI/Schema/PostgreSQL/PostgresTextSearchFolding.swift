import Storage

/// Migration 15 on PostgreSQL: `bilateral_fold` and `bilateral_words` take a short way for ASCII
/// text, which gives the same words for a fraction of the work.
///
/// Every insert of a meeting, statement or initiative computes its `search_vector` (migration 5),
/// and most of that went into Unicode: `normalize(…, NFD)`, ICU's lower case, and two regular
/// expressions over ICU character classes, about half the time of an import's `COPY meetings`.
/// Text whose every character is ASCII (`octet_length(t) = length(t)` in UTF-8) has nothing to
/// decompose and no combining mark, ICU's root lower case of it is ASCII's, and its letters and
/// digits are `[a-z0-9]` once lowered: folding it is `lower` under the "C" collation, and its
/// words are the same regular expression over that plain class, which costs about half of one
/// over ICU's `[:alnum:]`. Other text goes the way it went, so the stored vectors do not change.
///
/// (Both branches of each `CASE` end in the ICU collation: PostgreSQL refuses a `CASE` whose
/// branches carry two explicit collations.)
///
/// The functions are no longer `STRICT` (`NULL` still gives `NULL`): PostgreSQL inlines a SQL
/// function into the expression that calls it only when a strict function's body is strict too,
/// which a `CASE` is not.
enum PostgresTextSearchFolding {
    static let migration = Migration(version: 15, name: "text_search_ascii_folding") { db in
        try db.execute(
            """
            CREATE OR REPLACE FUNCTION bilateral_fold(t text) RETURNS text
                LANGUAGE sql IMMUTABLE PARALLEL SAFE
                RETURN CASE WHEN octet_length(t) = length(t) THEN lower(t COLLATE "C") COLLATE "und-x-icu"
                    ELSE regexp_replace(
                        normalize(lower(t COLLATE "und-x-icu"), NFD),
                        '[\\u0300-\\u036f\\u1ab0-\\u1aff\\u1dc0-\\u1dff\\u20d0-\\u20ff\\ufe20-\\ufe2f]', '', 'g')
                    END;
            CREATE OR REPLACE FUNCTION bilateral_words(t text) RETURNS text
                LANGUAGE sql IMMUTABLE PARALLEL SAFE
                RETURN CASE WHEN octet_length(t) = length(t)
                    THEN regexp_replace(lower(t COLLATE "C"), '[^a-z0-9]+', ' ', 'g') COLLATE "und-x-icu"
                    ELSE regexp_replace(bilateral_fold(t) COLLATE "und-x-icu", '[^[:alnum:]]+', ' ', 'g')
                    END;
            """)
    }

}

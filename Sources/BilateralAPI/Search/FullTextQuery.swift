/// What a user's `q` becomes in an FTS5 `MATCH`: built at run time by every list's `q` filter
/// and by search; the indexes they query are the schema's (`TextSearchSchema`, `ActorSearchSchema`).
enum FullTextQuery {
    /// A user's `q` as an FTS5 query: every word must occur, as a word or the start of one.
    /// Each word (letters and digits only) is quoted, so nothing the user types is read as query syntax.
    /// - Returns: nil when `q` holds no word at all (only punctuation or spaces).
    static func words(_ q: String) -> String? {
        let words = q.split { !($0.isLetter || $0.isNumber) }
        guard !words.isEmpty else { return nil }
        return words.map { "\"\($0)\"*" }.joined(separator: " ")
    }

    /// The actors' `q` as an FTS5 query: the words of `q`, in order, as a phrase whose last word
    /// may be a prefix — "a prefix of the name, of one of its words, or of an alias", as the
    /// `LIKE` match it replaces, with case and diacritics ignored.
    /// - Returns: nil when `q` holds no word.
    static func prefixPhrase(_ q: String) -> String? {
        let words = q.split { !($0.isLetter || $0.isNumber) }
        guard !words.isEmpty else { return nil }
        return "\"" + words.joined(separator: " ") + "\"*"
    }
}

import HTTPCore

/// Query parameters shared by the dated collections (meetings, statements, initiatives).
enum ListFilters {
    /// `country` values, case-insensitive, each a known code; repeated values are ANDed by the caller.
    static func countries(_ query: QueryParameters) throws -> [String] {
        var codes: [String] = []
        for code in try query.list("country") {
            let upper = KnownCountries.uppercased(code)
            guard KnownCountries.contains(upper) else {
                throw APIError.invalidParameter(
                    "country", "unknown country code '\(code)'; use ISO 3166-1 alpha-2, like KH")
            }
            if !codes.contains(upper) { codes.append(upper) }
        }
        return codes
    }

    /// `from` and `to`: inclusive real dates, `from` not after `to`.
    static func dateRange(_ query: QueryParameters) throws -> (from: String?, to: String?) {
        let from = try query.single("from")
        let to = try query.single("to")
        for (name, value) in [("from", from), ("to", to)] {
            if let value, !Rules.isValidDate(value) {
                throw APIError.invalidParameter(name, "must be a real calendar date, YYYY-MM-DD")
            }
        }
        if let from, let to, from > to { throw APIError.invalidParameter("to", "must not be before from") }
        return (from, to)
    }

    /// `q`: 1–200 characters with at least one word; every word must match (as a word start).
    static func text(_ query: QueryParameters) throws -> String? {
        guard let q = try query.single("q") else { return nil }
        guard Rules.length(q) <= 200 else { throw APIError.invalidParameter("q", "must be at most 200 characters") }
        guard FullTextQuery.words(q) != nil else {
            throw APIError.invalidParameter("q", "must contain at least one word (letters or digits)")
        }
        return q
    }

    /// `sort`: `-date` (default, newest first) or `date`.
    static func dateOrderIsAscending(_ query: QueryParameters) throws -> Bool {
        switch try query.single("sort") ?? "-date" {
        case "-date": false
        case "date": true
        case let other: throw APIError.invalidParameter("sort", "unknown sort '\(other)'; accepted: -date, date")
        }
    }

    /// Cuts a page read with `limit + 1` rows to `limit`, and returns the cursor of its last
    /// row when the extra row showed that more follow.
    static func trim<Row>(_ rows: inout [Row], limit: Int, cursor: (Row) -> String) -> String? {
        guard rows.count > limit else { return nil }
        rows.removeLast(rows.count - limit)
        return rows.last.map(cursor)
    }
}

import Storage

/// Reads the countries table.
public struct CountryRepository: Sendable {
    public struct Filter: Sendable {
        public var region: String?
        public var query: String?
        /// Codes strictly after this one (keyset paging).
        public var after: String?
        public var limit: Int

        public init(region: String? = nil, query: String? = nil, after: String? = nil, limit: Int = 50) {
            self.region = region
            self.query = query
            self.after = after
            self.limit = limit
        }
    }

    private static let columns = "code, alpha3, numeric, name, official_name, region, subregion"

    public init() {}

    public func find(_ code: String, in db: any Database) throws -> Country? {
        try db.queryOne(
            "SELECT \(Self.columns) FROM countries WHERE code = ?", [.text(KnownCountries.uppercased(code))],
            row: Self.country)
    }

    /// Countries in code order; `limit + 1` rows are read so the caller knows whether more follow.
    public func list(_ filter: Filter, in db: any Database) throws -> [Country] {
        var conditions: [String] = []
        var arguments: [SQLValue] = []
        if let region = filter.region {
            let dialect = SQLDialect.of(db)
            conditions.append("\(dialect.caseless("region")) = \(dialect.caselessParameter)")
            arguments.append(.text(region))
        }
        if let query = filter.query {
            // A code (alpha-2, alpha-3, numeric) exactly, or part of the name, ignoring case.
            let dialect = SQLDialect.of(db)
            conditions.append(
                """
                (code = upper(?) OR alpha3 = upper(?) OR numeric = ?
                 OR \(dialect.caselessLike("name", "?")) OR \(dialect.caselessLike("official_name", "?")))
                """)
            let pattern = "%" + Self.escapeLike(query) + "%"
            arguments += [.text(query), .text(query), .text(query), .text(pattern), .text(pattern)]
        }
        if let after = filter.after {
            conditions.append("code > ?")
            arguments.append(.text(after))
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(.integer(Int64(filter.limit + 1)))
        return try db.query(
            "SELECT \(Self.columns) FROM countries \(whereClause) ORDER BY code LIMIT ?", arguments,
            row: Self.country)
    }

    /// Whether `code` is a known alpha-2 code (case-sensitive: callers normalise first).
    public func exists(_ code: String, in db: any Database) throws -> Bool {
        try db.queryOne("SELECT 1 FROM countries WHERE code = ?", [.text(code)]) { _ in true } ?? false
    }

    private static func country(_ row: Row) throws -> Country {
        Country(
            code: try row.string(0), alpha3: try row.string(1), numeric: try row.string(2), name: try row.string(3),
            officialName: row.optionalString(4), region: row.optionalString(5), subregion: row.optionalString(6))
    }

    /// LIKE treats `%` and `_` as wildcards; a user's query means them literally.
    static func escapeLike(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}

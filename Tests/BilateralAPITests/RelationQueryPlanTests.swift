import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

/// The relation reads must follow the pair indexes of migration 6, never walk a collection:
/// with 300,000 records, a scan costs a hundred times the budget of a timeline page.
@Suite("Query plans of the relation reads")
struct RelationQueryPlanTests {
    static func timeline(_ change: (inout TimelineQuery) -> Void) -> TimelineQuery {
        var query = TimelineQuery(pair: CountryPair(a: "US", b: "KH"))
        change(&query)
        return query
    }

    static let after = TimelineQuery.Key(date: "2024-06-04", type: .statement, id: "s1", index: 0)

    @Test(arguments: [
        ("first page", timeline { _ in }),
        ("ascending", timeline { $0.ascending = true }),
        ("after a cursor", timeline { $0.after = after }),
        (
            "ascending after a status change",
            timeline {
                $0.ascending = true
                $0.after = .init(date: "2024-06-04", type: .statusChange, id: "i1", index: 2)
            }
        ),
        (
            "dates and types",
            timeline {
                $0.from = "2024-01-01"
                $0.to = "2024-12-31"
                $0.types = [.meeting, .statusChange]
            }
        ),
    ])
    func timelinePagesReadThePairIndexes(name: String, query: TimelineQuery) throws {
        try withStore { pool, _ in
            let (sql, arguments) = query.sql()
            let plan = try pool.read { db in
                try db.query("EXPLAIN QUERY PLAN " + sql, arguments) { try $0.string(3) }
            }
            #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(name): \(plan)")
            for table in ["meeting_pairs", "statement_pairs"]
            where query.types.contains(table == "meeting_pairs" ? .meeting : .statement) {
                #expect(plan.contains { $0.contains("SEARCH p USING PRIMARY KEY (a=? AND b=?") }, "\(name): \(plan)")
            }
        }
    }
}

import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

/// The statement and initiative filters of the API, like the meeting ones (`QueryPlanTests`,
/// which shares `plan` and `scans`), must be index lookups: no walk over every record.
@Suite("Query plans of the statement and initiative filters")
struct RecordQueryPlanTests {
    static func statements(_ change: (inout StatementRepository.Filter) -> Void) -> StatementRepository.Filter {
        var filter = StatementRepository.Filter()
        change(&filter)
        return filter
    }

    static func initiatives(_ change: (inout InitiativeRepository.Filter) -> Void) -> InitiativeRepository.Filter {
        var filter = InitiativeRepository.Filter()
        change(&filter)
        return filter
    }

    /// The plan's lines that read a whole table or index; an ordered walk of the collection's own
    /// date index is allowed only when nothing narrows the list (it stops after one page), and an
    /// FTS5 match reports itself as a virtual-table "scan" answered by its index (`0:M`).
    static func scans(_ plan: [String], unfilteredWalk: String?) -> [String] {
        plan.filter { line in
            guard line.hasPrefix("SCAN") else { return false }
            if let unfilteredWalk, line.contains(unfilteredWalk) { return false }
            return !(line.contains("VIRTUAL TABLE INDEX 0:M"))
        }
    }

    static func plan(_ query: (sql: String, arguments: [SQLValue]), in db: SQLiteDatabase) throws -> [String] {
        try db.query("EXPLAIN QUERY PLAN " + query.sql, query.arguments) { try $0.string(3) }
    }

    @Test(arguments: [
        ("country", statements { $0.countries = ["KH"] }),
        ("two countries", statements { $0.countries = ["KH", "US"] }),
        ("speaker", statements { $0.speakers = ["hun-sen"] }),
        ("two speakers", statements { $0.speakers = ["hun-sen", "pat-ryder"] }),
        ("channel", statements { $0.channels = ["social_media"] }),
        ("meeting", statements { $0.meeting = "austin-manet-2024-06-04" }),
        ("topic", statements { $0.topics = ["demining"] }),
        (
            "dates",
            statements {
                $0.paging.from = "2024-01-01"; $0.paging.to = "2024-06-30"
            }
        ),
        ("text", statements { $0.paging.query = "mutual trust" }),
        (
            "speaker after a cursor",
            statements {
                $0.speakers = ["hun-sen"]; $0.paging.after = ("2024-06-04", "s1")
            }
        ),
        ("no filter", statements { _ in }),
    ])
    func statementFiltersUseIndexes(name: String, filter: StatementRepository.Filter) throws {
        try withStore { pool, _ in
            let plan = try pool.read {
                try Self.plan(StatementRepository.pageQuery(filter, in: SQLDialect(backend: .sqlite)), in: $0)
            }
            let scans = Self.scans(plan, unfilteredWalk: name == "no filter" ? "statements_date" : nil)
            #expect(scans.isEmpty, "\(name): \(plan)")
        }
    }

    @Test(arguments: [
        ("country", initiatives { $0.countries = ["KH"] }),
        ("two countries", initiatives { $0.countries = ["KH", "US"] }),
        ("area", initiatives { $0.areas = ["demining"] }),
        ("status", initiatives { $0.statuses = ["agreed", "active"] }),
        (
            "status changes in a range",
            initiatives {
                $0.paging.from = "2024-01-01"; $0.paging.to = "2024-06-30"
            }
        ),
        ("text", initiatives { $0.paging.query = "demining" }),
        (
            "country and status",
            initiatives {
                $0.countries = ["KH"]; $0.statuses = ["under_discussion"]
            }
        ),
        ("no filter", initiatives { _ in }),
    ])
    func initiativeFiltersUseIndexes(name: String, filter: InitiativeRepository.Filter) throws {
        try withStore { pool, _ in
            let plan = try pool.read {
                try Self.plan(InitiativeRepository.pageQuery(filter, in: SQLDialect(backend: .sqlite)), in: $0)
            }
            let scans = Self.scans(plan, unfilteredWalk: name == "no filter" ? "initiatives_status_date" : nil)
            #expect(scans.isEmpty, "\(name): \(plan)")
        }
    }
}

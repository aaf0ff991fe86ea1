import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

/// The list filters of the API must be index lookups, never a walk over every meeting
/// (issue 3: no full scans at 100k meetings). SQLite's plan shape does not depend on the data
/// here (no ANALYZE statistics), so an empty database shows the plan a large one gets.
@Suite("Query plans of the meeting filters")
struct QueryPlanTests {
    static func filter(_ change: (inout MeetingRepository.Filter) -> Void) -> MeetingRepository.Filter {
        var filter = MeetingRepository.Filter()
        change(&filter)
        return filter
    }

    @Test(arguments: [
        ("country", filter { $0.countries = ["KH"] }),
        ("two countries", filter { $0.countries = ["KH", "US"] }),
        (
            "country and dates",
            filter {
                $0.countries = ["KH"]; $0.paging.from = "2024-01-01"; $0.paging.to = "2024-12-31"
            }
        ),
        (
            "country, ascending, after a cursor",
            filter {
                $0.countries = ["KH"]; $0.paging.ascending = true; $0.paging.after = ("2024-01-01", "m1")
            }
        ),
        ("actor", filter { $0.actors = ["hun-sen"] }),
        ("two actors", filter { $0.actors = ["hun-sen", "lloyd-austin"] }),
        ("kind", filter { $0.kinds = ["call"] }),
        ("topic", filter { $0.topics = ["demining", "trade"] }),
        (
            "dates",
            filter {
                $0.paging.from = "2024-01-01"; $0.paging.to = "2024-06-30"
            }
        ),
        ("text", filter { $0.paging.query = "mutual trust" }),
        (
            "country and text",
            filter {
                $0.countries = ["KH"]; $0.paging.query = "demining"
            }
        ),
        ("no filter", filter { _ in }),
    ])
    func noFilterScansEveryMeeting(name: String, filter: MeetingRepository.Filter) throws {
        try withStore { pool, _ in
            let plan = try pool.read {
                try RecordQueryPlanTests.plan(
                    MeetingRepository.pageQuery(filter, in: SQLDialect(backend: .sqlite)), in: $0)
            }
            let scans = RecordQueryPlanTests.scans(plan, unfilteredWalk: name == "no filter" ? "meetings_date" : nil)
            #expect(scans.isEmpty, "\(name): \(plan)")
        }
    }
}

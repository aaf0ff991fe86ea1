/// The kinds of event on a relation's timeline. Their order breaks ties between events of one
/// date: meetings, then statements (often made at or after them), then the status changes they led to.
enum TimelineType: String, CaseIterable, Sendable {
    case meeting
    case statement
    case statusChange = "status_change"

    /// Position in the tie-break order (and the type's number in SQL results).
    var rank: Int {
        switch self {
        case .meeting: 0
        case .statement: 1
        case .statusChange: 2
        }
    }

    init(rank: Int) {
        self = rank == 0 ? .meeting : rank == 1 ? .statement : .statusChange
    }

    static let names = allCases.map(\.rawValue)
}

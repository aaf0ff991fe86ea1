/// What `/v1/search` looks through: each a full-text index and the table it indexes.
enum SearchType: String, CaseIterable, Sendable {
    case meeting
    case statement
    case initiative
    case actor

    static let names = allCases.map(\.rawValue)

    /// Breaks ties between equally ranked hits of different types.
    var rank: Int {
        switch self {
        case .meeting: 0
        case .statement: 1
        case .initiative: 2
        case .actor: 3
        }
    }

    init?(rank: Int) {
        guard let type = Self.allCases.first(where: { $0.rank == rank }) else { return nil }
        self = type
    }

    /// `id, label, date` of the hit's record, selected beside the index (`f`) joined to its table.
    var details: (columns: String, join: String) {
        switch self {
        case .meeting: ("r.id, r.title, r.date", "meetings r ON r.rowid = f.rowid")
        case .statement:
            (
                "r.id, a.name || ', ' || r.date, r.date",
                "statements r ON r.rowid = f.rowid JOIN actors a ON a.id = r.speaker_id"
            )
        case .initiative: ("r.id, r.title, r.status_date", "initiatives r ON r.rowid = f.rowid")
        case .actor: ("r.id, r.name, NULL", "actors r ON r.rowid = f.rowid")
        }
    }
}

import HTTPCore

/// How much two countries share: the records of each collection that involve both (the counts
/// `?country=A&country=B` gives on each collection), the initiatives' status changes, and the
/// dates of the first and last event (meeting, statement or status change).
struct RelationCounts: Sendable {
    var pair: CountryPair
    var meetings = 0
    var statements = 0
    var initiatives = 0
    var statusChanges = 0
    var firstDate: String?
    var lastDate: String?

    /// What "most active" ranks by: the records the two countries share.
    var total: Int { meetings + statements + initiatives }

    /// The members shared by a relation in a list and the summary of one relation, in this order:
    /// `countries, total, meetings, statements, initiatives, status_changes, first_date, last_date`.
    func writeMembers(to json: inout JSONWriter) {
        pair.write(to: &json)
        json.key("total")
        json.int(total)
        json.key("meetings")
        json.int(meetings)
        json.key("statements")
        json.int(statements)
        json.key("initiatives")
        json.int(initiatives)
        json.key("status_changes")
        json.int(statusChanges)
        json.key("first_date")
        json.optionalString(firstDate)
        json.key("last_date")
        json.optionalString(lastDate)
    }
}

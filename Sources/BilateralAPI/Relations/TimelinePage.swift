import HTTPCore
import Storage

/// A page of timeline events with the records they need to be drawn without another request:
/// the whole meeting, the whole statement (speaker's name and country included), or the whole
/// initiative with the status-history entry the event is.
struct TimelinePage {
    var keys: [TimelineQuery.Key]
    var meetings: [String: MeetingView] = [:]
    var statements: [String: StatementView] = [:]
    var initiatives: [String: StoredRecord<InitiativeContent>] = [:]

    /// Loads the records of `keys`, one query per table whatever the page's length.
    init(keys: [TimelineQuery.Key], in db: any Database) throws {
        self.keys = keys
        func ids(_ type: TimelineType) -> [String] {
            var seen: Set<String> = []
            return keys.filter { $0.type == type && seen.insert($0.id).inserted }.map(\.id)
        }
        for view in try MeetingRepository.load(ids(.meeting), in: db) { meetings[view.record.id] = view }
        for view in try StatementRepository.load(ids(.statement), in: db) { statements[view.record.id] = view }
        for record in try InitiativeRepository.load(ids(.statusChange), in: db) { initiatives[record.id] = record }
    }

    /// Each event as `{type, date, date_precision, id, history_index, meeting, statement,
    /// initiative, status_change}`; the members that do not apply to its type are null.
    func write(_ key: TimelineQuery.Key, to json: inout JSONWriter) {
        let meeting = key.type == .meeting ? meetings[key.id] : nil
        let statement = key.type == .statement ? statements[key.id] : nil
        let initiative = key.type == .statusChange ? initiatives[key.id] : nil
        let history = initiative?.content.statusHistory ?? []
        let change = history.indices.contains(key.index) ? history[key.index] : nil
        json.beginObject()
        json.key("type")
        json.string(key.type.rawValue)
        json.key("date")
        json.string(key.date)
        json.key("date_precision")
        json.string(
            meeting?.record.content.datePrecision ?? statement?.record.content.datePrecision ?? "day")
        json.key("id")
        json.string(key.id)
        json.key("history_index")
        json.optionalInt(key.type == .statusChange ? key.index : nil)
        json.key("meeting")
        if let meeting { meeting.write(to: &json) } else { json.null() }
        json.key("statement")
        if let statement { statement.write(to: &json) } else { json.null() }
        json.key("initiative")
        if let initiative { initiative.write(to: &json) } else { json.null() }
        json.key("status_change")
        if let change { change.write(to: &json) } else { json.null() }
        json.endObject()
    }
}

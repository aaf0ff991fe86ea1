import HTTPCore

/// What a client writes of an initiative.
struct InitiativeContent: Equatable, Sendable {
    struct StatusChange: Equatable, Sendable {
        var status: String
        var date: String
        var note: String?
        var meetingID: String?
        var statementID: String?
    }

    var title: String
    var area: String
    var countries: [String]
    var statusHistory: [StatusChange]
    var description: String?
    var startDate: String?
    var endDate: String?
    /// Sorted: the relation with meetings is a set, seen from both sides.
    var meetingIDs: [String]
    var statementIDs: [String]
    var sourceIDs: [String]

    /// SPEC: the status is the latest history entry by date; among equal dates, the later entry.
    var current: StatusChange? {
        statusHistory.enumerated().max { a, b in (a.element.date, a.offset) < (b.element.date, b.offset) }?.element
    }
}

extension StoredRecord where Content == InitiativeContent {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        writeMembers(to: &json)
        json.endObject()
    }

    /// The members of the representation, without the braces (an export line puts `type` first).
    func writeMembers(to json: inout JSONWriter) {
        let c = content
        json.key("id"); json.string(id)
        json.key("title"); json.string(c.title)
        json.key("area"); json.string(c.area)
        json.key("countries"); json.strings(c.countries)
        json.key("status"); json.optionalString(c.current?.status)
        json.key("status_history"); json.beginArray()
        for change in c.statusHistory { change.write(to: &json) }
        json.endArray()
        json.key("description"); json.optionalString(c.description)
        json.key("start_date"); json.optionalString(c.startDate)
        json.key("end_date"); json.optionalString(c.endDate)
        let lists: [(StaticString, [String])] = [
            ("meeting_ids", c.meetingIDs), ("statement_ids", c.statementIDs), ("source_ids", c.sourceIDs),
        ]
        for (key, ids) in lists {
            json.key(key); json.strings(ids)
        }
        json.key("created_at"); json.string(createdAt)
        json.key("updated_at"); json.string(updatedAt)
        json.key("version"); json.int(version)
    }
}

extension InitiativeContent.StatusChange {
    /// `{status, date, note, meeting_id, statement_id}`: a `status_history` entry (also a timeline item's).
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("status"); json.string(status)
        json.key("date"); json.string(date)
        json.key("note"); json.optionalString(note)
        json.key("meeting_id"); json.optionalString(meetingID)
        json.key("statement_id"); json.optionalString(statementID)
        json.endObject()
    }
}

import HTTPCore

/// What a client writes of a meeting.
struct MeetingContent: Equatable, Sendable {
    struct Participant: Equatable, Sendable {
        var actorID: String
        var role: String
    }

    var title: String
    var date: String
    var datePrecision: String
    var kind: String
    var locationCity: String?
    var locationCountry: String?
    var participants: [Participant]
    var topics: [String]
    var summary: String?
    var sourceIDs: [String]
}

/// A meeting with what it derives from other records: participant names and countries, the
/// meeting's countries, and the initiatives that name it.
struct MeetingView: Sendable {
    struct Participant: Sendable {
        var name: String
        var country: String?
    }

    var record: StoredRecord<MeetingContent>
    /// Parallel to `record.content.participants`.
    var participants: [Participant]
    var countries: [String]
    /// The initiatives whose `meeting_ids` name this meeting, sorted by id: the initiative owns the
    /// link (docs/api-changes.md), the meeting only shows it.
    var initiativeIDs: [String]

    func write(to json: inout JSONWriter) {
        json.beginObject()
        writeMembers(to: &json)
        json.endObject()
    }

    /// The members of the representation, without the braces (an export line puts `type` first).
    func writeMembers(to json: inout JSONWriter) {
        let c = record.content
        json.key("id"); json.string(record.id)
        json.key("title"); json.string(c.title)
        json.key("date"); json.string(c.date)
        json.key("date_precision"); json.string(c.datePrecision)
        json.key("kind"); json.string(c.kind)
        json.key("location"); json.beginObject()
        json.key("city"); json.optionalString(c.locationCity)
        json.key("country"); json.optionalString(c.locationCountry)
        json.endObject()
        json.key("participants"); json.beginArray()
        for (participant, derived) in zip(c.participants, participants) {
            json.beginObject()
            json.key("actor_id"); json.string(participant.actorID)
            json.key("name"); json.string(derived.name)
            json.key("country"); json.optionalString(derived.country)
            json.key("role"); json.string(participant.role)
            json.endObject()
        }
        json.endArray()
        json.key("countries"); json.strings(countries)
        json.key("topics"); json.strings(c.topics)
        json.key("summary"); json.optionalString(c.summary)
        json.key("initiative_ids"); json.strings(initiativeIDs)
        json.key("source_ids"); json.strings(c.sourceIDs)
        json.key("created_at"); json.string(record.createdAt)
        json.key("updated_at"); json.string(record.updatedAt)
        json.key("version"); json.int(record.version)
    }
}

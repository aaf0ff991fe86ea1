import HTTPCore

/// What a client writes of a statement.
struct StatementContent: Equatable, Sendable {
    var speakerID: String
    var date: String
    var datePrecision: String
    var channel: String
    var platform: String?
    var text: String
    var paraphrase: Bool
    var language: String?
    var meetingID: String?
    var about: [String]
    var topics: [String]
    var sourceIDs: [String]
}

/// A statement with its derived speaker and countries.
struct StatementView: Sendable {
    var record: StoredRecord<StatementContent>
    var speakerName: String
    var speakerCountry: String?
    var countries: [String]

    func write(to json: inout JSONWriter) {
        json.beginObject()
        writeMembers(to: &json)
        json.endObject()
    }

    /// The members of the representation, without the braces (an export line puts `type` first).
    func writeMembers(to json: inout JSONWriter) {
        let c = record.content
        json.key("id"); json.string(record.id)
        json.key("speaker_id"); json.string(c.speakerID)
        json.key("speaker"); json.beginObject()
        json.key("name"); json.string(speakerName)
        json.key("country"); json.optionalString(speakerCountry)
        json.endObject()
        json.key("date"); json.string(c.date)
        json.key("date_precision"); json.string(c.datePrecision)
        json.key("channel"); json.string(c.channel)
        json.key("platform"); json.optionalString(c.platform)
        json.key("text"); json.string(c.text)
        json.key("paraphrase"); json.bool(c.paraphrase)
        json.key("language"); json.optionalString(c.language)
        json.key("meeting_id"); json.optionalString(c.meetingID)
        json.key("about"); json.strings(c.about)
        json.key("countries"); json.strings(countries)
        json.key("topics"); json.strings(c.topics)
        json.key("source_ids"); json.strings(c.sourceIDs)
        json.key("created_at"); json.string(record.createdAt)
        json.key("updated_at"); json.string(record.updatedAt)
        json.key("version"); json.int(record.version)
    }
}

import HTTPCore
import Storage

/// Meetings as an export writes them: straight from their rows, each table read once in id order
/// (`RecordReader.forEachRow`), with no lookup per meeting and no `MeetingView` in between, whose
/// strings and arrays would cost more than the writing. Participants' names come from a bounded
/// cache (`ActorNames`) instead of a join per row.
///
/// The bytes are those of `MeetingView.writeMembers`, member for member (a test compares every
/// line with the record's GET representation): a member added there is added here.
extension MeetingRepository {
    /// Calls `body` with each meeting matching `condition`, by id, as what writes its members.
    static func forEachRepresentation(
        where condition: String, in db: any Database,
        _ body: (_ members: (inout JSONWriter) throws -> Void) throws -> Void
    ) throws {
        var names = ActorNames()
        try exportReader.forEachRow(where: condition, in: db) { row, children in
            try body { json in
                // The columns as `columns` lists them.
                json.key("id"); try json.string(row, 0)
                json.key("title"); try json.string(row, 1)
                json.key("date"); try json.string(row, 2)
                json.key("date_precision"); try json.string(row, 3)
                json.key("kind"); try json.string(row, 4)
                json.key("location"); json.beginObject()
                json.key("city"); json.optionalString(row, 5)
                json.key("country"); json.optionalString(row, 6)
                json.endObject()
                json.key("participants"); json.beginArray()
                try children.forEach(ExportTable.participants) { participant in
                    let actor = try participant.string(1)
                    let derived = try names.participant(actor, in: db)
                    json.beginObject()
                    json.key("actor_id"); json.string(actor)
                    json.key("name"); json.string(derived.name)
                    json.key("country"); json.optionalString(derived.country)
                    json.key("role"); try json.string(participant, 2)
                    json.endObject()
                }
                json.endArray()
                json.key("countries"); try json.strings(&children, ExportTable.countries)
                json.key("topics"); try json.strings(&children, ExportTable.topics)
                json.key("summary"); json.optionalString(row, 7)
                json.key("initiative_ids"); try json.strings(&children, ExportTable.initiatives)
                json.key("source_ids"); try json.strings(&children, ExportTable.sources)
                json.key("created_at"); try json.string(row, 8)
                json.key("updated_at"); try json.string(row, 9)
                json.key("version"); try json.int(row, 10)
            }
        }
    }

    /// The tables `exportReader` reads beside the meetings, in its order.
    private enum ExportTable: Int {
        case participants, countries, topics, initiatives, sources
    }
}
